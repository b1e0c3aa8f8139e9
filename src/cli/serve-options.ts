/**
 * Options shared by the commands that serve MCP or run tools (start, stdio, call, tools): result
 * limits, write switches, tool naming, and for the network transports bind address, token and
 * origin allow-lists. Converts them into validated settings; bad values name their flag.
 */
import { BoundedFileError, readBoundedFile } from '../config/bounded-file.js';
import type { Argv } from 'yargs';
import { SmcpError } from '../errors.js';
import { defineMcpSettings } from '../mcp/settings.js';
import { checkToolNames } from '../mcp/tool-registry.js';
import type { McpSettings } from '../mcp/settings.js';
import type { RuntimeHttpOptions } from '../daemon/runtime.js';
import type { ClientOptions } from '../snowflake/client.js';
import { applySmcpConfig } from './config-defaults.js';
import { givenOptionNames } from './argv.js';
import { checkPort } from './options.js';

/** Parsed MCP-layer flags. */
export interface McpFlagArgs {
  allowWrite: boolean;
  allowDdl: boolean;
  maxRows?: number;
  maxBytes?: number;
  timeout?: number;
  toolPrefix?: string;
  format?: string;
  poolSize?: number;
  poolShare?: number;
  tools?: string[];
}

/** Parsed network flags. */
export interface HttpFlagArgs {
  port: number;
  host: string;
  stateless: boolean;
  authTokenFile?: string;
  allowedOrigin?: string[];
  allowedHost?: string[];
  corsOrigin?: string[];
  allowLocalUsers?: boolean;
  trustedProxy?: string[];
  maxSessionsPerClient?: number;
  maxRequestsPerSession?: number;
  maxRequestsPerAddress?: number;
  websocketBufferMb?: number;
}

const LIMITS = 'Limits and safety:';
const NETWORK = 'Network:';

/** The MCP-layer options, which config.toml may default. */
export const MCP_FLAG_KEYS = [
  'allow-write',
  'allow-ddl',
  'max-rows',
  'max-bytes',
  'timeout',
  'tool-prefix',
  'format',
  'pool-size',
  'pool-share',
  'tools',
] as const;

/** The network options, which config.toml may default. */
export const HTTP_FLAG_KEYS = [
  'port',
  'host',
  'stateless',
  'auth-token-file',
  'allowed-origin',
  'allowed-host',
  'cors-origin',
  'allow-local-users',
  'trusted-proxy',
  'max-sessions-per-client',
  'max-requests-per-session',
  'max-requests-per-address',
  'websocket-buffer-mb',
] as const;

/** Adds the MCP-layer flags, defaulted from config.toml (throws CONFIG_INVALID when it is bad). */
export function withMcpFlags<T>(yargs: Argv<T>): Argv<T & McpFlagArgs> {
  const withFlags = yargs
    .option('allow-write', {
      type: 'boolean',
      default: false,
      group: LIMITS,
      describe: 'allow DML (INSERT, UPDATE, …)',
    })
    .option('allow-ddl', {
      type: 'boolean',
      default: false,
      group: LIMITS,
      describe: 'allow DDL too (needs --allow-write)',
    })
    .option('max-rows', {
      type: 'number',
      group: LIMITS,
      describe: 'rows a call returns at most (default 1000)',
    })
    .option('max-bytes', {
      type: 'number',
      group: LIMITS,
      describe: 'bytes a call returns at most (default 1 MiB)',
    })
    .option('timeout', {
      type: 'number',
      group: LIMITS,
      describe: 'default statement timeout in seconds (default 60)',
    })
    .option('tool-prefix', {
      type: 'string',
      group: LIMITS,
      describe: 'prefix for tool names, e.g. snowflake_',
    })
    .option('format', {
      type: 'string',
      group: LIMITS,
      describe: 'default result text: markdown, csv or json',
    })
    .option('pool-size', {
      type: 'number',
      group: LIMITS,
      describe: 'Snowflake connections open at most (default 8)',
    })
    .option('pool-share', {
      type: 'number',
      group: LIMITS,
      describe: 'Snowflake connections one client may hold at once (default half the pool)',
    })
    .option('tools', {
      type: 'string',
      array: true,
      group: LIMITS,
      describe: 'serve only these tools (names without prefix, comma- or space-separated)',
    }) as unknown as Argv<T & McpFlagArgs>;
  return applySmcpConfig(withFlags, { keys: MCP_FLAG_KEYS });
}

/** Adds the network flags (bind, token, allow-lists), defaulted from config.toml. */
export function withHttpFlags<T>(yargs: Argv<T>): Argv<T & HttpFlagArgs> {
  const withFlags = yargs
    .option('port', {
      type: 'number',
      default: 8000,
      group: NETWORK,
      describe: 'TCP port for MCP (0 picks a free one)',
    })
    .option('host', { type: 'string', default: '127.0.0.1', group: NETWORK, describe: 'bind address' })
    .option('stateless', {
      type: 'boolean',
      default: false,
      group: NETWORK,
      describe: 'no sessions (behind a load balancer)',
    })
    .option('auth-token-file', {
      type: 'string',
      group: NETWORK,
      describe: 'file holding the bearer token (default: $SMCP_TOKEN); required for a non-loopback --host',
    })
    .option('allowed-origin', {
      type: 'string',
      array: true,
      group: NETWORK,
      describe: 'extra allowed Origin',
    })
    .option('allowed-host', {
      type: 'string',
      array: true,
      group: NETWORK,
      describe: 'extra allowed Host header',
    })
    .option('cors-origin', {
      type: 'string',
      array: true,
      group: NETWORK,
      describe: 'origin that gets CORS headers',
    })
    .option('allow-local-users', {
      type: 'boolean',
      group: NETWORK,
      describe: "serve other local OS users without a token (default: only smcp's own user and root)",
    })
    .option('trusted-proxy', {
      type: 'string',
      array: true,
      group: NETWORK,
      describe: 'reverse proxy address whose X-Forwarded-For names the client',
    })
    .option('max-sessions-per-client', {
      type: 'number',
      group: LIMITS,
      describe: 'open sessions and WebSockets per client (default 256)',
    })
    .option('max-requests-per-session', {
      type: 'number',
      group: LIMITS,
      describe: 'requests in flight per session or connection (default 16)',
    })
    .option('max-requests-per-address', {
      type: 'number',
      group: LIMITS,
      describe: 'sessionless requests in flight per client (default 256)',
    })
    .option('websocket-buffer-mb', {
      type: 'number',
      group: LIMITS,
      describe: 'MiB of answers queued over all WebSockets before the slowest is closed (default 64)',
    });
  return applySmcpConfig(withFlags, { keys: HTTP_FLAG_KEYS });
}

/** Validated MCP settings from the flags (each bad value named by its flag). */
export function mcpSettingsFrom(args: McpFlagArgs): McpSettings {
  const input: Record<string, unknown> = { allowWrite: args.allowWrite, allowDdl: args.allowDdl };
  if (args.allowDdl && !args.allowWrite) {
    throw new SmcpError('USAGE', '--allow-ddl needs --allow-write as well', { field: '--allow-ddl' });
  }
  const map: [keyof McpFlagArgs, string, string][] = [
    ['maxRows', 'maxRows', '--max-rows'],
    ['maxBytes', 'maxBytes', '--max-bytes'],
    ['timeout', 'defaultTimeoutSeconds', '--timeout'],
    ['toolPrefix', 'toolPrefix', '--tool-prefix'],
    ['format', 'defaultFormat', '--format'],
    ['tools', 'tools', '--tools'],
  ];
  for (const [arg, key] of map) if (args[arg] !== undefined) input[key] = args[arg];
  if (args.tools?.length) {
    input.tools = args.tools
      .flatMap((t) => t.split(','))
      .map((t) => t.trim())
      .filter(Boolean);
    try {
      checkToolNames(input.tools as string[]);
    } catch (err) {
      throw new SmcpError('USAGE', `--tools: ${(err as Error).message}`, { field: '--tools' });
    }
  }
  try {
    return defineMcpSettings(input);
  } catch (err) {
    const field = err instanceof SmcpError ? err.details.field : undefined;
    const flag = map.find(([, key]) => key === field)?.[2];
    if (flag && err instanceof SmcpError) {
      throw new SmcpError('USAGE', `${flag}: ${err.message.replace(/^invalid MCP setting \S+: /, '')}`, {
        field: flag,
      });
    }
    throw err;
  }
}

/** Reads the bearer token from --auth-token-file or $SMCP_TOKEN (flags never carry secrets). */
export function readToken(args: HttpFlagArgs, env: NodeJS.ProcessEnv = process.env): string | undefined {
  // Precedence flag > environment > config.toml: a file named only in config.toml yields to SMCP_TOKEN.
  const typed = givenOptionNames().has('auth-token-file');
  if (args.authTokenFile && (typed || !env.SMCP_TOKEN?.trim())) {
    let token: string;
    try {
      token = readBoundedFile(args.authTokenFile).trim();
    } catch (err) {
      const reason = err instanceof BoundedFileError ? err.reason : `cannot be read (${String(err)})`;
      throw new SmcpError('CONFIG_INVALID', `--auth-token-file ${args.authTokenFile} ${reason}`, {
        file: args.authTokenFile,
        field: '--auth-token-file',
      });
    }
    if (token.length < 16) {
      throw new SmcpError(
        'CONFIG_INVALID',
        `the token in ${args.authTokenFile} is shorter than 16 characters`,
        {
          file: args.authTokenFile,
          field: '--auth-token-file',
        },
      );
    }
    return token;
  }
  const fromEnv = env.SMCP_TOKEN?.trim();
  if (fromEnv !== undefined && fromEnv !== '' && fromEnv.length < 16) {
    throw new SmcpError('CONFIG_INVALID', 'SMCP_TOKEN is shorter than 16 characters', {
      field: 'SMCP_TOKEN',
    });
  }
  return fromEnv || undefined;
}

/** A positive whole number from `flag`, or USAGE naming the flag. */
function positiveFlag(value: number | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1) {
    throw new SmcpError('USAGE', `${flag} must be a positive integer, got ${String(value)}`, { field: flag });
  }
  return value;
}

/**
 * Pool options from the flags (each bad value named by its flag). A process that serves a single
 * client (`smcp stdio`, `smcp call` in-process) gives it the whole pool unless told otherwise.
 */
export function poolOptionsFrom(args: McpFlagArgs, options: { singleClient?: boolean } = {}): ClientOptions {
  const max = positiveFlag(args.poolSize, '--pool-size');
  const share =
    positiveFlag(args.poolShare, '--pool-share') ?? (options.singleClient ? (max ?? 8) : undefined);
  if (share !== undefined && share > (max ?? 8)) {
    throw new SmcpError('USAGE', `--pool-share (${share}) cannot exceed --pool-size (${max ?? 8})`, {
      field: '--pool-share',
    });
  }
  return { ...(max !== undefined ? { max } : {}), ...(share !== undefined ? { maxPerClient: share } : {}) };
}

/** HTTP server options from the flags. */
export function httpOptionsFrom(args: HttpFlagArgs): RuntimeHttpOptions {
  const token = readToken(args);
  const sessions = positiveFlag(args.maxSessionsPerClient, '--max-sessions-per-client');
  const perSession = positiveFlag(args.maxRequestsPerSession, '--max-requests-per-session');
  const perAddress = positiveFlag(args.maxRequestsPerAddress, '--max-requests-per-address');
  const bufferMb = positiveFlag(args.websocketBufferMb, '--websocket-buffer-mb');
  return {
    host: args.host,
    port: checkPort(args.port),
    stateless: args.stateless,
    ...(token ? { token } : {}),
    ...(args.allowedOrigin?.length ? { allowedOrigins: args.allowedOrigin } : {}),
    ...(args.allowedHost?.length ? { allowedHosts: args.allowedHost } : {}),
    ...(args.corsOrigin?.length ? { corsOrigins: args.corsOrigin } : {}),
    ...(args.allowLocalUsers ? { allowLocalUsers: true } : {}),
    ...(args.trustedProxy?.length ? { trustedProxies: args.trustedProxy } : {}),
    ...(sessions !== undefined ? { maxSessionsPerClient: sessions } : {}),
    ...(perSession !== undefined ? { maxConcurrentPerClient: perSession } : {}),
    ...(perAddress !== undefined ? { maxConcurrentPerAddress: perAddress } : {}),
    ...(bufferMb !== undefined ? { webSocket: { maxBufferedBytesTotal: bufferMb * 1024 * 1024 } } : {}),
  };
}
