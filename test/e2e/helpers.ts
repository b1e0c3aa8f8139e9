/**
 * End-to-end helpers: the real `smcp start --foreground --port 0` in an isolated home (the port is
 * read from the line it prints on stdout), official SDK clients for every transport, raw
 * 2026-07-28 requests, and small readers for tool results.
 */
import type { ChildProcess } from 'node:child_process';
import { Client } from '@modelcontextprotocol/client';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { WebSocketClientTransport } from '@modelcontextprotocol/sdk/client/websocket.js';
import { WebSocket as WsWebSocket } from 'ws';
import { isolatedHome, SMCP_BIN, startSmcp, stopChild } from '../helpers/cli.js';
import type { IsolatedHome } from '../helpers/cli.js';

/** A running `smcp start --foreground` child. */
export interface E2eServer {
  /** `http://127.0.0.1:PORT` (no path). */
  readonly base: string;
  readonly child: ChildProcess;
  readonly home: IsolatedHome;
  /** Everything the child wrote to stderr so far (JSON log lines). */
  stderr(): string;
  /** Sends `signal` (SIGTERM), waits for the exit (code returned; SIGKILL after 10 s), removes the home. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** SIGTERM, then the exit code if the child exits within `ms`, else 'still running' (not killed). */
  exitWithin(ms: number): Promise<number | null | 'still running'>;
}

const SERVING_LINE = /smcp serving MCP on (http:\/\/127\.0\.0\.1:(\d+))\/mcp/;

/**
 * Starts `smcp start --foreground --port 0 …extra` and resolves once it prints where it serves;
 * `env` adds variables (e.g. SMCP_TOKEN) to the isolated home's environment.
 */
export async function startE2eServer(
  extra: string[] = [],
  timeoutMs = 20_000,
  env: NodeJS.ProcessEnv = {},
): Promise<E2eServer> {
  const home = isolatedHome();
  const child = startSmcp(['start', '--foreground', '--port', '0', ...extra], { ...home.env, ...env });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`smcp did not start in ${timeoutMs} ms: ${stderr}`)),
      timeoutMs,
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = SERVING_LINE.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`smcp exited with ${code} before serving: ${stdout}${stderr}`));
    });
  }).catch(async (err: unknown) => {
    await stopChild(child, 'SIGKILL');
    home.remove();
    throw err;
  });
  return {
    base,
    child,
    home,
    stderr: () => stderr,
    stop: async (signal = 'SIGTERM') => {
      const code = await stopChild(child, signal);
      home.remove();
      return code;
    },
    exitWithin: (ms) => {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve('still running'), ms);
        child.once('exit', (code) => {
          clearTimeout(timer);
          resolve(code);
        });
        child.kill('SIGTERM');
      });
    },
  };
}

/** Node 20 has no global WebSocket; the v1 SDK WebSocketClientTransport needs one. */
export function installWebSocketGlobal(): void {
  const g = globalThis as { WebSocket?: unknown };
  g.WebSocket ??= WsWebSocket;
}

/** A v2 client connected over Streamable HTTP (2025-era session unless the server is stateless). */
export async function connectHttp(
  base: string,
  name = 'e2e-http',
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name, version: '1' });
  const transport = new StreamableHTTPClientTransport(new URL(`${base}/mcp`));
  await client.connect(transport);
  return { client, transport };
}

/** A v1 client connected over legacy HTTP+SSE. */
export async function connectSse(base: string, name = 'e2e-sse'): Promise<V1Client> {
  const client = new V1Client({ name, version: '1' });
  await client.connect(new SSEClientTransport(new URL(`${base}/sse`)));
  return client;
}

/** A v1 client connected over WebSocket (ws://…/mcp, subprotocol mcp). */
export async function connectWebSocket(base: string, name = 'e2e-ws'): Promise<V1Client> {
  installWebSocketGlobal();
  const client = new V1Client({ name, version: '1' });
  await client.connect(new WebSocketClientTransport(new URL(`${base.replace(/^http/, 'ws')}/mcp`)));
  return client;
}

/** A v2 client on a spawned `smcp stdio` (isolated home); `errors` collects transport errors. */
export async function connectStdio(
  extra: string[] = [],
): Promise<{ client: Client; transport: StdioClientTransport; errors: Error[]; home: IsolatedHome }> {
  const home = isolatedHome();
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(home.env)) if (value !== undefined) env[key] = value;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [SMCP_BIN, 'stdio', ...extra],
    env,
    stderr: 'pipe',
  });
  const errors: Error[] = [];
  const client = new Client({ name: 'e2e-stdio', version: '1' });
  client.onerror = (err) => errors.push(err);
  try {
    await client.connect(transport);
  } catch (err) {
    home.remove();
    throw err;
  }
  return { client, transport, errors, home };
}

/** The parts of a tool result the tests read (v1 and v2 clients return the same shape). */
export interface ToolAnswer {
  readonly isError?: boolean;
  readonly content: readonly { type: string; text?: string }[];
  readonly structuredContent?: Record<string, unknown>;
}

/** Narrows a client's callTool answer to ToolAnswer. */
export function answer(result: unknown): ToolAnswer {
  return result as ToolAnswer;
}

/** All text blocks of a tool result, joined by newlines. */
export function textOf(result: unknown): string {
  return answer(result)
    .content.map((block) => block.text ?? '')
    .join('\n');
}

/** The structured tabular result of execute_query / fetch_results. */
export interface Tabular {
  readonly columns: { name: string; type: string }[];
  readonly rows: unknown[][];
  readonly rowCount: number;
  readonly totalRows?: number;
  readonly offset: number;
  readonly truncated: boolean;
  readonly truncatedBy?: 'rows' | 'bytes';
  readonly nextOffset?: number;
  readonly queryId: string;
}

/** structuredContent of a tabular tool result (throws when the call failed). */
export function tabular(result: unknown): Tabular {
  const a = answer(result);
  if (a.isError) throw new Error(`tool call failed: ${textOf(result)}`);
  return a.structuredContent as unknown as Tabular;
}

/** The JSON-RPC headers every POST needs. */
export const JSON_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

/** The `_meta` envelope a 2026-07-28 request carries instead of initialize. */
export const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'e2e-raw', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

/** A JSON-RPC response as the tests read it. */
export interface RpcResponse {
  readonly id?: number | string | null;
  readonly result?: Record<string, unknown>;
  readonly error?: { code: number; message: string };
}

/** Reads a JSON or single-response SSE body as one JSON-RPC response. */
export async function readRpc(res: Response): Promise<RpcResponse> {
  const text = await res.text();
  if ((res.headers.get('content-type') ?? '').includes('text/event-stream')) {
    const responses = text
      .split('\n')
      .filter((line) => line.startsWith('data:') && line.slice(5).trim() !== '')
      .map((line) => JSON.parse(line.slice(5).trim()) as RpcResponse & { method?: string })
      .filter((m) => m.method === undefined);
    if (responses.length !== 1) throw new Error(`expected one response in the stream: ${text}`);
    return responses[0];
  }
  return JSON.parse(text) as RpcResponse;
}

/**
 * POSTs one stateless 2026-07-28 request (headers `MCP-Protocol-Version`, `Mcp-Method` and for
 * tools/call `Mcp-Name`, matching the body) and returns the HTTP status and the JSON-RPC response.
 */
export async function modernRequest(
  base: string,
  method: string,
  params: Record<string, unknown> = {},
  id: number = 1,
): Promise<{ status: number; body: RpcResponse }> {
  const headers: Record<string, string> = {
    ...JSON_HEADERS,
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': method,
  };
  if (typeof params.name === 'string') headers['mcp-name'] = params.name;
  const res = await fetch(`${base}/mcp`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, _meta: MODERN_META } }),
  });
  return { status: res.status, body: await readRpc(res) };
}

/**
 * Polls `check` (async) every 100 ms until it returns a value other than undefined, bounded. The
 * default bound is generous (a busy 2-core machine): it limits a failing test, it times nothing.
 */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The SQL that reads the emulator's query history (a plain SELECT, allowed read-only). */
export const HISTORY_SQL =
  'SELECT QUERY_TEXT, EXECUTION_STATUS, ERROR_CODE FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY())';
