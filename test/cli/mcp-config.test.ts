import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { parse as parseToml } from 'smol-toml';
import {
  MCP_CLIENTS,
  claudeCodeCommand,
  clientDocument,
  clientSnippet,
  daemonUrl,
  serverEntry,
} from '../../src/cli/mcp-client-configs.js';
import type { McpClientId, ServerRequest } from '../../src/cli/mcp-client-configs.js';
import { isolatedHome, runSmcp } from '../helpers/cli.js';
import type { IsolatedHome } from '../helpers/cli.js';

const SECRET = 'tok-NEVER-PRINT-9f2c4e7a1b';
const STDIO: ServerRequest = {
  name: 'snowflake',
  transport: 'stdio',
  stdio: { command: '/opt/node/bin/node', args: ['/opt/smcp/bin/smcp', 'stdio', '--connection', 'prod'] },
  url: 'http://127.0.0.1:8000/mcp',
  token: false,
};
const HTTP: ServerRequest = { ...STDIO, transport: 'http', token: true };
const HTTP_NO_TOKEN: ServerRequest = { ...HTTP, token: false };

/** What each client's file must hold: servers key, and the entry fields for stdio and HTTP. */
const EXPECTED: Record<McpClientId, { root: string; stdio: object; http: object }> = {
  'claude-desktop': {
    root: 'mcpServers',
    stdio: { command: '/opt/node/bin/node' },
    http: { command: 'npx' },
  },
  'claude-code': {
    root: 'mcpServers',
    stdio: { type: 'stdio', command: '/opt/node/bin/node' },
    http: { type: 'http', url: HTTP.url, headers: { Authorization: 'Bearer ${SMCP_TOKEN}' } },
  },
  cursor: {
    root: 'mcpServers',
    stdio: { command: '/opt/node/bin/node' },
    http: { url: HTTP.url, headers: { Authorization: 'Bearer ${env:SMCP_TOKEN}' } },
  },
  vscode: {
    root: 'servers',
    stdio: { type: 'stdio', command: '/opt/node/bin/node' },
    http: { type: 'http', url: HTTP.url, headers: { Authorization: 'Bearer ${env:SMCP_TOKEN}' } },
  },
  windsurf: {
    root: 'mcpServers',
    stdio: { command: '/opt/node/bin/node' },
    http: { serverUrl: HTTP.url, headers: { Authorization: 'Bearer ${env:SMCP_TOKEN}' } },
  },
  codex: {
    root: 'mcp_servers',
    stdio: { command: '/opt/node/bin/node' },
    http: { url: HTTP.url, bearer_token_env_var: 'SMCP_TOKEN' },
  },
  gemini: {
    root: 'mcpServers',
    stdio: { command: '/opt/node/bin/node' },
    http: { httpUrl: HTTP.url, headers: { Authorization: 'Bearer ${SMCP_TOKEN}' } },
  },
  generic: {
    root: 'mcpServers',
    stdio: { command: '/opt/node/bin/node' },
    http: { type: 'http', url: HTTP.url, headers: { Authorization: 'Bearer ${SMCP_TOKEN}' } },
  },
};

function parseSnippet(
  client: McpClientId,
  text: string,
): Record<string, Record<string, Record<string, unknown>>> {
  return (client === 'codex' ? parseToml(text) : JSON.parse(text)) as Record<
    string,
    Record<string, Record<string, unknown>>
  >;
}

describe('mcp-config: client configuration shapes', () => {
  for (const client of MCP_CLIENTS) {
    it(`writes ${client} stdio and HTTP entries under its own servers key`, () => {
      const want = EXPECTED[client];
      const stdioDoc = clientDocument(client, STDIO);
      expect(Object.keys(stdioDoc)).to.deep.equal([want.root]);
      const stdio = serverEntry(client, STDIO);
      expect(stdio).to.include(want.stdio);
      expect(stdio.args).to.deep.equal(STDIO.stdio.args);
      expect(serverEntry(client, HTTP)).to.deep.include(want.http);
      const snippet = clientSnippet(client, HTTP, { platform: 'linux', home: '/home/u', env: {} });
      expect(parseSnippet(client, snippet.text)[want.root].snowflake).to.deep.equal(
        serverEntry(client, HTTP),
      );
    });
  }

  it('leaves the Authorization header out when no token is in use', () => {
    for (const client of MCP_CLIENTS) {
      const entry = JSON.stringify(serverEntry(client, HTTP_NO_TOKEN));
      expect(entry, client).to.not.match(/Authorization|SMCP_TOKEN/);
    }
  });

  it('bridges Claude Desktop to HTTP through mcp-remote with an env-referencing header', () => {
    expect(serverEntry('claude-desktop', HTTP).args).to.deep.equal([
      '-y',
      'mcp-remote',
      HTTP.url,
      '--header',
      'Authorization:Bearer ${SMCP_TOKEN}',
    ]);
  });

  it('prints claude mcp add commands with the header kept literal for Claude Code to expand', () => {
    expect(claudeCodeCommand(STDIO)).to.equal(
      'claude mcp add snowflake -- /opt/node/bin/node /opt/smcp/bin/smcp stdio --connection prod',
    );
    expect(claudeCodeCommand(HTTP)).to.equal(
      "claude mcp add --transport http snowflake http://127.0.0.1:8000/mcp --header 'Authorization: Bearer ${SMCP_TOKEN}'",
    );
  });

  it('names the file each client reads on macOS, Windows and Linux', () => {
    const at = (
      client: McpClientId,
      platform: NodeJS.Platform,
      env: NodeJS.ProcessEnv = {},
    ): string | undefined =>
      clientSnippet(client, STDIO, {
        platform,
        home: platform === 'win32' ? 'C:\\Users\\u' : '/Users/u',
        env,
      }).file;
    expect(at('claude-desktop', 'darwin')).to.equal(
      '/Users/u/Library/Application Support/Claude/claude_desktop_config.json',
    );
    expect(at('claude-desktop', 'win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' })).to.equal(
      'C:\\Users\\u\\AppData\\Roaming\\Claude\\claude_desktop_config.json',
    );
    expect(at('cursor', 'linux')).to.equal('/Users/u/.cursor/mcp.json');
    expect(at('windsurf', 'darwin')).to.equal('/Users/u/.codeium/windsurf/mcp_config.json');
    expect(at('codex', 'linux')).to.equal('/Users/u/.codex/config.toml');
    expect(at('codex', 'linux', { CODEX_HOME: '/srv/codex' })).to.equal('/srv/codex/config.toml');
    expect(at('gemini', 'win32')).to.equal('C:\\Users\\u\\.gemini\\settings.json');
    expect(at('generic', 'linux')).to.equal(undefined);
  });

  it('turns a wildcard bind into a loopback URL and brackets IPv6', () => {
    expect(daemonUrl('127.0.0.1', 8000)).to.equal('http://127.0.0.1:8000/mcp');
    expect(daemonUrl('0.0.0.0', 9000)).to.equal('http://127.0.0.1:9000/mcp');
    expect(daemonUrl('::', 9000)).to.equal('http://[::1]:9000/mcp');
    expect(daemonUrl('fd00::5', 1)).to.equal('http://[fd00::5]:1/mcp');
  });
});

describe('smcp mcp-config', function () {
  this.timeout(30_000);
  let home: IsolatedHome;

  before(() => {
    home = isolatedHome();
  });
  after(() => home.remove());

  it('prints one parseable snippet per client with --json', async () => {
    const runs = await Promise.all(
      MCP_CLIENTS.map((client) =>
        runSmcp(['mcp-config', '--client', client, '--json', '--transport', 'http'], home.env),
      ),
    );
    runs.forEach((run, i) => {
      const client = MCP_CLIENTS[i];
      expect(run.code, run.stderr).to.equal(0);
      const doc = parseSnippet(client, run.stdout);
      expect(Object.keys(doc), client).to.deep.equal([EXPECTED[client].root]);
      expect(Object.keys(doc[EXPECTED[client].root]), client).to.deep.equal(['snowflake']);
    });
  });

  it('never prints the token, from SMCP_TOKEN or --auth-token-file, in any output', async () => {
    const tokenFile = join(home.home, 'token');
    writeFileSync(tokenFile, `${SECRET}-from-file\n`, { mode: 0o600 });
    const env = { ...home.env, SMCP_TOKEN: SECRET };
    const runs = await Promise.all([
      runSmcp(['mcp-config'], env),
      runSmcp(['mcp-config', '--transport', 'http'], env),
      runSmcp(['mcp-config', '--transport', 'http', '--auth-token-file', tokenFile], env),
      ...MCP_CLIENTS.map((client) =>
        runSmcp(['mcp-config', '--client', client, '--json', '--transport', 'http'], env),
      ),
    ]);
    for (const run of runs) {
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout + run.stderr).to.not.contain(SECRET);
    }
    // The token is in use, so every HTTP snippet carries an env-referencing header.
    expect(runs[1].stdout).to.contain('Bearer ${env:SMCP_TOKEN}').and.contain('bearer_token_env_var');
    expect(runs[2].stdout).to.contain(`export SMCP_TOKEN="$(cat ${tokenFile})"`);
  });

  it('prints a Claude Desktop stdio config that the official MCP client can run', async () => {
    const run = await runSmcp(
      ['mcp-config', '--client', 'claude-desktop', '--json', '--name', 'sf'],
      home.env,
    );
    expect(run.code, run.stderr).to.equal(0);
    const entry = (JSON.parse(run.stdout) as { mcpServers: { sf: { command: string; args: string[] } } })
      .mcpServers.sf;
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(home.env)) if (value !== undefined) env[key] = value;
    const transport = new StdioClientTransport({
      command: entry.command,
      args: entry.args,
      env,
      stderr: 'pipe',
    });
    const client = new Client({ name: 'mcp-config-test', version: '1' });
    await client.connect(transport);
    try {
      const result = (await client.callTool({ name: 'list_databases', arguments: {} })) as {
        isError?: boolean;
        structuredContent?: { databases?: { name: string }[] };
      };
      expect(result.isError ?? false).to.equal(false);
      expect(result.structuredContent?.databases?.map((d) => d.name)).to.include('SAMPLE_DB');
    } finally {
      await client.close();
    }
  });

  it("points HTTP clients at the running daemon's real address, and --npx never fetches a package", async () => {
    const start = await runSmcp(['start', '--port', '0'], home.env, 40_000);
    expect(start.code, start.stderr).to.equal(0);
    try {
      const status = JSON.parse((await runSmcp(['status', '--json'], home.env)).stdout) as {
        endpoints: { mcp: string };
      };
      expect(status.endpoints.mcp).to.not.include(':8000/');
      const run = await runSmcp(
        ['mcp-config', '--client', 'cursor', '--json', '--transport', 'http'],
        home.env,
      );
      expect(run.code, run.stderr).to.equal(0);
      const entry = (JSON.parse(run.stdout) as { mcpServers: { snowflake: { url: string } } }).mcpServers
        .snowflake;
      expect(entry.url).to.equal(status.endpoints.mcp);
      const explicit = await runSmcp(
        ['mcp-config', '--client', 'cursor', '--json', '--transport', 'http', '--port', '9123'],
        home.env,
      );
      expect(explicit.stdout).to.include('http://127.0.0.1:9123/mcp');
    } finally {
      await runSmcp(['stop'], home.env, 40_000);
    }
    const npx = await runSmcp(['mcp-config', '--client', 'cursor', '--json', '--npx'], home.env);
    const stdio = (
      JSON.parse(npx.stdout) as { mcpServers: { snowflake: { command: string; args: string[] } } }
    ).mcpServers.snowflake;
    expect(stdio.command).to.equal('npx');
    expect(stdio.args.slice(0, 3)).to.deep.equal(['--no', '--', 'smcp']);
  });

  it('exits 2 naming --client for an unknown client', async () => {
    const run = await runSmcp(['mcp-config', '--client', 'emacs'], home.env);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain('--client').and.contain('claude-desktop');
    expect(run.stdout).to.equal('');
  });

  it('exits 2 naming the flag for --json without --client, a bad --name or --transport', async () => {
    const runs = await Promise.all([
      runSmcp(['mcp-config', '--json'], home.env),
      runSmcp(['mcp-config', '--name', 'no spaces'], home.env),
      runSmcp(['mcp-config', '--transport', 'sse'], home.env),
    ]);
    expect(runs.map((r) => r.code)).to.deep.equal([2, 2, 2]);
    expect(runs[0].stderr).to.contain('--json');
    expect(runs[1].stderr).to.contain('--name');
    expect(runs[2].stderr).to.contain('--transport');
  });
});
