/**
 * `smcp mcp-config`: prints ready-to-paste MCP client configuration — the `smcp stdio` command a
 * client spawns, or the daemon's HTTP URL — for common clients, with the file each snippet goes in
 * on this machine. Never prints a token: with one in use, headers reference $SMCP_TOKEN.
 */
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { numberDefault, stringDefault } from '../../config/options/table.js';
import { daemonFiles, resolvePaths } from '../../config/paths.js';
import { findDaemon } from '../../daemon/control.js';
import { SmcpError } from '../../errors.js';
import {
  MCP_CLIENTS,
  TOKEN_ENV,
  clientSnippet,
  daemonUrl,
  isMcpClient,
  shellQuote,
  snippetText,
} from '../mcp-client-configs.js';
import type { McpClientId, ServerRequest, StdioLaunch } from '../mcp-client-configs.js';
import { checkPort } from '../options.js';
import { say } from '../output.js';

interface McpConfigArgs {
  client?: string;
  transport: string;
  name: string;
  connection?: string;
  port?: number;
  host?: string;
  authTokenFile?: string;
  npx: boolean;
  json: boolean;
}

/** This package's executable; the same relative path from src/cli/commands and dist/cli/commands. */
const SMCP_BIN = fileURLToPath(new URL('../../../bin/smcp', import.meta.url));

function builder(yargs: Argv): Argv<McpConfigArgs> {
  return yargs
    .option('client', {
      type: 'string',
      describe: `one of ${MCP_CLIENTS.join(', ')} (default: all)`,
    })
    .option('transport', {
      type: 'string',
      default: 'stdio',
      describe: 'stdio (the client spawns smcp stdio) or http (the client connects to the daemon)',
    })
    .option('name', { type: 'string', default: 'snowflake', describe: 'server key in the client config' })
    .option('connection', { type: 'string', describe: 'named connection for smcp stdio' })
    .option('port', {
      type: 'number',
      describe: `daemon port (http; default: the running daemon's, else ${numberDefault('port')})`,
    })
    .option('host', {
      type: 'string',
      describe: `daemon address (http; default: the running daemon's, else ${stringDefault('host')})`,
    })
    .option('auth-token-file', {
      type: 'string',
      describe: `the daemon requires a bearer token (http); clients read it from $${TOKEN_ENV}`,
    })
    .option('npx', { type: 'boolean', default: false, describe: 'launch with npx smcp instead of this path' })
    .option('json', {
      type: 'boolean',
      default: false,
      describe: 'print only the snippet for --client',
    });
}

/** Where the running daemon serves MCP, if one runs and answers. */
async function runningDaemonAddress(): Promise<{ host: string; port: number } | undefined> {
  try {
    const lookup = await findDaemon(daemonFiles(resolvePaths()), 2000);
    if (lookup.kind !== 'running') return undefined;
    const url = new URL(lookup.status.endpoints.mcp);
    return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) };
  } catch {
    return undefined;
  }
}

/** Validates the flags into a request; each bad value names its flag (USAGE, exit 2). */
function toRequest(
  args: McpConfigArgs & { port: number; host: string },
  env: NodeJS.ProcessEnv,
): ServerRequest {
  const transport = args.transport;
  if (transport !== 'stdio' && transport !== 'http') {
    throw new SmcpError('USAGE', `--transport must be stdio or http, got ${JSON.stringify(transport)}`, {
      field: '--transport',
    });
  }
  if (!/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(args.name)) {
    throw new SmcpError(
      'USAGE',
      `--name must start with a letter and hold only letters, digits, _ and - (got ${JSON.stringify(args.name)})`,
      { field: '--name' },
    );
  }
  if (args.connection !== undefined && args.connection.trim() === '') {
    throw new SmcpError('USAGE', '--connection needs a connection name', { field: '--connection' });
  }
  const port = checkPort(args.port);
  if (transport === 'http' && port === 0) {
    throw new SmcpError('USAGE', '--port 0 is not an address a client can connect to', { field: '--port' });
  }
  const tail = ['stdio', ...(args.connection !== undefined ? ['--connection', args.connection] : [])];
  // Absolute node + script: GUI clients often lack the shell's PATH (nvm), and Windows cannot run
  // the #! script itself.
  const stdio: StdioLaunch = args.npx
    ? // --no: run an smcp that is installed, never fetch whatever the registry calls smcp.
      { command: 'npx', args: ['--no', '--', 'smcp', ...tail] }
    : { command: process.execPath, args: [SMCP_BIN, ...tail] };
  const token = Boolean(args.authTokenFile) || Boolean(env[TOKEN_ENV]?.trim());
  return { name: args.name, transport, stdio, url: daemonUrl(args.host, port), token };
}

function printSection(client: McpClientId, req: ServerRequest, args: McpConfigArgs): void {
  const snippet = clientSnippet(client, req, {
    platform: process.platform,
    home: homedir(),
    env: process.env,
  });
  say(`# ${snippet.title}`);
  if (snippet.command) {
    say('Run:');
    say(`  ${snippet.command}`);
    if (snippet.file) say(`or merge into ${snippet.file} (project scope):`);
  } else if (snippet.file) {
    say(`Merge into ${snippet.file}:`);
  }
  say(snippet.text);
  for (const note of snippet.notes) say(`- ${note}`);
  if (req.transport === 'http' && req.token && args.authTokenFile) {
    say(`- export ${TOKEN_ENV}="$(cat ${shellQuote(args.authTokenFile)})" before starting the client.`);
  }
  say();
}

async function handler(args: ArgumentsCamelCase<McpConfigArgs>): Promise<void> {
  if (args.client !== undefined && !isMcpClient(args.client)) {
    throw new SmcpError(
      'USAGE',
      `--client must be one of ${MCP_CLIENTS.join(', ')}; got ${JSON.stringify(args.client)}`,
      { field: '--client' },
    );
  }
  if (args.json && args.client === undefined) {
    throw new SmcpError('USAGE', '--json prints one client: name it with --client', { field: '--json' });
  }
  // HTTP clients must reach the daemon where it really listens, not where it listens by default.
  const running =
    args.transport === 'http' && (args.port === undefined || args.host === undefined)
      ? await runningDaemonAddress()
      : undefined;
  const req = toRequest(
    {
      ...args,
      port: args.port ?? running?.port ?? numberDefault('port'),
      host: args.host ?? running?.host ?? stringDefault('host'),
    },
    process.env,
  );
  if (args.json) {
    say(snippetText(args.client as McpClientId, req));
    return;
  }
  const clients = args.client !== undefined ? [args.client] : [...MCP_CLIENTS];
  for (const client of clients) printSection(client, req, args);
}

/** The `mcp-config` command module. */
export const mcpConfigCommand: CommandModule<object, McpConfigArgs> = {
  command: 'mcp-config',
  describe: 'Print ready-to-paste MCP client configuration (Claude, Cursor, VS Code, …)',
  builder,
  handler,
};
