/**
 * Ready-to-paste MCP client configuration for smcp: one small table entry per client saying where
 * its file lives, which key holds the servers, how a stdio and an HTTP server are written, and how
 * the client spells an environment variable reference. Pure: no file or process access, so every
 * shape is unit-testable; the `mcp-config` command supplies the paths and the environment.
 *
 * A bearer token is never written: the Authorization header always references SMCP_TOKEN in the
 * client's own interpolation syntax (Codex names the variable in bearer_token_env_var instead).
 */
import { join, win32 } from 'node:path';
import { stringify as stringifyToml } from 'smol-toml';

/** Every client `smcp mcp-config --client` knows, in the order the default output lists them. */
export const MCP_CLIENTS = [
  'claude-desktop',
  'claude-code',
  'cursor',
  'vscode',
  'windsurf',
  'codex',
  'gemini',
  'generic',
] as const;

/** One of {@link MCP_CLIENTS}. */
export type McpClientId = (typeof MCP_CLIENTS)[number];

/** The environment variable every generated Authorization header reads the token from. */
export const TOKEN_ENV = 'SMCP_TOKEN';

/** True when `value` names a known client. */
export function isMcpClient(value: string): value is McpClientId {
  return (MCP_CLIENTS as readonly string[]).includes(value);
}

/** How a client starts `smcp stdio`: an executable and its arguments. */
export interface StdioLaunch {
  readonly command: string;
  readonly args: readonly string[];
}

/** What to configure: the server key, the transport and, for HTTP, whether a token is required. */
export interface ServerRequest {
  /** Key under the client's servers object (validated by the caller: letters, digits, `_`, `-`). */
  readonly name: string;
  readonly transport: 'stdio' | 'http';
  /** Used for stdio. */
  readonly stdio: StdioLaunch;
  /** The daemon's Streamable HTTP endpoint, used for http. */
  readonly url: string;
  /** True when the daemon requires a bearer token (only meaningful for http). */
  readonly token: boolean;
}

/** Where the client's configuration files live on this machine. */
export interface PlatformInfo {
  readonly platform: NodeJS.Platform;
  readonly home: string;
  readonly env: NodeJS.ProcessEnv;
}

/** One client's snippet, ready to print. */
export interface ClientSnippet {
  readonly client: McpClientId;
  readonly title: string;
  /** The file the snippet is merged into, when the client has one. */
  readonly file?: string;
  readonly format: 'json' | 'toml';
  /** The JSON or TOML text (no trailing newline). */
  readonly text: string;
  /** A shell command that registers the server instead of editing the file. */
  readonly command?: string;
  /** Short hints printed under the snippet. */
  readonly notes: readonly string[];
}

type Entry = Record<string, unknown>;

/** One client's rules. */
interface ClientProfile {
  readonly title: string;
  readonly format: 'json' | 'toml';
  /** Top-level key mapping server names to entries. */
  readonly rootKey: string;
  file(p: PlatformInfo): string | undefined;
  /** The client's syntax for "the value of environment variable `name`" inside a string. */
  envRef(name: string): string;
  stdio(launch: StdioLaunch): Entry;
  /** `auth` is the Authorization header value (already an env reference), when a token is required. */
  http(url: string, auth: string | undefined): Entry;
  notes?(req: ServerRequest): string[];
}

const bearer = (profile: Pick<ClientProfile, 'envRef'>): string => `Bearer ${profile.envRef(TOKEN_ENV)}`;
const withHeaders = (entry: Entry, auth: string | undefined): Entry =>
  auth ? { ...entry, headers: { Authorization: auth } } : entry;
const plainStdio = (launch: StdioLaunch): Entry => ({ command: launch.command, args: [...launch.args] });

function appData(p: PlatformInfo): string {
  return p.env.APPDATA ?? win32.join(p.home, 'AppData', 'Roaming');
}

function homeFile(p: PlatformInfo, ...parts: string[]): string {
  return p.platform === 'win32' ? win32.join(p.home, ...parts) : join(p.home, ...parts);
}

const TOKEN_HINT = `The Authorization header reads ${TOKEN_ENV} from the environment the client starts in.`;

const PROFILES: Record<McpClientId, ClientProfile> = {
  'claude-desktop': {
    title: 'Claude Desktop',
    format: 'json',
    rootKey: 'mcpServers',
    file: (p) => {
      if (p.platform === 'darwin') {
        return join(p.home, 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json');
      }
      if (p.platform === 'win32') return win32.join(appData(p), 'Claude', 'claude_desktop_config.json');
      return join(p.env.XDG_CONFIG_HOME ?? join(p.home, '.config'), 'Claude', 'claude_desktop_config.json');
    },
    // The file itself has no interpolation; mcp-remote expands ${VAR} in its own arguments.
    envRef: (name) => `\${${name}}`,
    stdio: plainStdio,
    // The config file only spawns stdio servers, so HTTP goes through the mcp-remote bridge.
    http: (url, auth) => ({
      command: 'npx',
      args: [
        '-y',
        'mcp-remote',
        url,
        ...(isLoopbackUrl(url) ? [] : ['--allow-http']),
        ...(auth ? ['--header', `Authorization:${auth}`] : []),
      ],
    }),
    notes: (req) => [
      'Restart Claude Desktop after editing the file.',
      ...(req.transport === 'http'
        ? ['Claude Desktop only spawns stdio servers: mcp-remote (npx) bridges to the daemon.']
        : []),
      ...(req.transport === 'http' && req.token
        ? [`mcp-remote expands \${${TOKEN_ENV}} from the environment Claude Desktop starts with.`]
        : []),
    ],
  },
  'claude-code': {
    title: 'Claude Code',
    format: 'json',
    rootKey: 'mcpServers',
    file: () => '.mcp.json',
    envRef: (name) => `\${${name}}`,
    stdio: (launch) => ({ type: 'stdio', ...plainStdio(launch) }),
    http: (url, auth) => withHeaders({ type: 'http', url }, auth),
    notes: (req) => (req.transport === 'http' && req.token ? [TOKEN_HINT] : []),
  },
  cursor: {
    title: 'Cursor',
    format: 'json',
    rootKey: 'mcpServers',
    file: (p) => homeFile(p, '.cursor', 'mcp.json'),
    envRef: (name) => `\${env:${name}}`,
    stdio: plainStdio,
    http: (url, auth) => withHeaders({ url }, auth),
    notes: (req) => (req.transport === 'http' && req.token ? [TOKEN_HINT] : []),
  },
  vscode: {
    title: 'VS Code',
    format: 'json',
    rootKey: 'servers',
    file: () => join('.vscode', 'mcp.json'),
    envRef: (name) => `\${env:${name}}`,
    stdio: (launch) => ({ type: 'stdio', ...plainStdio(launch) }),
    http: (url, auth) => withHeaders({ type: 'http', url }, auth),
    notes: (req) => [
      'Or add it to your user profile with the command "MCP: Open User Configuration".',
      ...(req.transport === 'http' && req.token ? [TOKEN_HINT] : []),
    ],
  },
  windsurf: {
    title: 'Windsurf',
    format: 'json',
    rootKey: 'mcpServers',
    file: (p) => homeFile(p, '.codeium', 'windsurf', 'mcp_config.json'),
    envRef: (name) => `\${env:${name}}`,
    stdio: plainStdio,
    http: (url, auth) => withHeaders({ serverUrl: url }, auth),
    notes: (req) => (req.transport === 'http' && req.token ? [TOKEN_HINT] : []),
  },
  codex: {
    title: 'Codex',
    format: 'toml',
    rootKey: 'mcp_servers',
    file: (p) =>
      p.env.CODEX_HOME ? join(p.env.CODEX_HOME, 'config.toml') : homeFile(p, '.codex', 'config.toml'),
    envRef: (name) => name,
    stdio: plainStdio,
    // Codex takes the token's variable name, not a header template.
    http: (url, auth) => (auth ? { url, bearer_token_env_var: TOKEN_ENV } : { url }),
    notes: (req) =>
      req.transport === 'http' && req.token
        ? [`Codex sends "Authorization: Bearer <value of ${TOKEN_ENV}>" (bearer_token_env_var).`]
        : [],
  },
  gemini: {
    title: 'Gemini CLI',
    format: 'json',
    rootKey: 'mcpServers',
    file: (p) => homeFile(p, '.gemini', 'settings.json'),
    envRef: (name) => `\${${name}}`,
    stdio: plainStdio,
    http: (url, auth) => withHeaders({ httpUrl: url }, auth),
    notes: (req) => (req.transport === 'http' && req.token ? [TOKEN_HINT] : []),
  },
  generic: {
    title: 'Any other MCP client',
    format: 'json',
    rootKey: 'mcpServers',
    file: () => undefined,
    envRef: (name) => `\${${name}}`,
    stdio: plainStdio,
    http: (url, auth) => withHeaders({ type: 'http', url }, auth),
    notes: (req) =>
      req.transport === 'http'
        ? [
            `Streamable HTTP endpoint: ${req.url}`,
            ...(req.token
              ? [`Send "Authorization: Bearer <token>"; replace \${${TOKEN_ENV}} as your client expects.`]
              : []),
          ]
        : ['Most clients accept this "mcpServers" shape for a server they spawn.'],
  },
};

function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The client's display name. */
export function clientTitle(client: McpClientId): string {
  return PROFILES[client].title;
}

/** The server entry alone (what goes under the client's servers key). */
export function serverEntry(client: McpClientId, req: ServerRequest): Entry {
  const profile = PROFILES[client];
  if (req.transport === 'stdio') return profile.stdio(req.stdio);
  return profile.http(req.url, req.token ? bearer(profile) : undefined);
}

/** The document to merge into the client's file: `{ <rootKey>: { <name>: entry } }`. */
export function clientDocument(client: McpClientId, req: ServerRequest): Entry {
  return { [PROFILES[client].rootKey]: { [req.name]: serverEntry(client, req) } };
}

/** The snippet text (JSON pretty-printed with two spaces, or TOML), without a trailing newline. */
export function snippetText(client: McpClientId, req: ServerRequest): string {
  const doc = clientDocument(client, req);
  return PROFILES[client].format === 'toml' ? stringifyToml(doc).trimEnd() : JSON.stringify(doc, null, 2);
}

/** Quotes `arg` for a POSIX shell (also literal in PowerShell) unless it is plainly safe. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The `claude mcp add …` command registering the same server in Claude Code. */
export function claudeCodeCommand(req: ServerRequest): string {
  if (req.transport === 'stdio') {
    return ['claude', 'mcp', 'add', req.name, '--', req.stdio.command, ...req.stdio.args]
      .map(shellQuote)
      .join(' ');
  }
  const header = req.token ? ['--header', `Authorization: ${bearer(PROFILES['claude-code'])}`] : [];
  // Single quotes keep ${SMCP_TOKEN} literal, so Claude Code expands it when it connects.
  return ['claude', 'mcp', 'add', '--transport', 'http', req.name, req.url, ...header]
    .map(shellQuote)
    .join(' ');
}

/** Everything printed for one client: file, snippet, optional command and notes. */
export function clientSnippet(
  client: McpClientId,
  req: ServerRequest,
  platform: PlatformInfo,
): ClientSnippet {
  const profile = PROFILES[client];
  const file = profile.file(platform);
  return {
    client,
    title: profile.title,
    ...(file !== undefined ? { file } : {}),
    format: profile.format,
    text: snippetText(client, req),
    ...(client === 'claude-code' ? { command: claudeCodeCommand(req) } : {}),
    notes: profile.notes?.(req) ?? [],
  };
}

/**
 * The URL a client uses to reach a daemon bound to `host`:`port`. A wildcard bind (0.0.0.0, ::)
 * is not an address to connect to, so it maps to loopback; IPv6 literals get brackets.
 */
export function daemonUrl(host: string, port: number): string {
  let target = host;
  if (host === '0.0.0.0' || host === '') target = '127.0.0.1';
  else if (host === '::' || host === '[::]') target = '[::1]';
  else if (host.includes(':') && !host.startsWith('[')) target = `[${host}]`;
  return `http://${target}:${port}/mcp`;
}
