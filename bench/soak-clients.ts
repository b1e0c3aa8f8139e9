/**
 * The soak's client connections, one per transport, all through official SDK clients except the
 * stateless 2026-07-28 requests (plain fetch, as a scripted client would send them):
 * - http: v2 Client over Streamable HTTP (2025-era session; closing terminates it with DELETE)
 * - stateless: one POST per call with the 2026-07-28 `_meta` envelope, no session
 * - websocket: v1 Client over WebSocketClientTransport (subprotocol mcp)
 * - sse: v1 Client over the legacy SSEClientTransport (GET /sse + POST /messages)
 * - stdio: v2 Client over a spawned `smcp stdio` (its own process and embedded emulator)
 * Every call carries a generous client timeout: on this 2-core machine a slow answer is load, and
 * the soak counts only what the server got wrong.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { WebSocketClientTransport } from '@modelcontextprotocol/sdk/client/websocket.js';
import { WebSocket as WsWebSocket } from 'ws';
import { SMCP_BIN, soakHome } from './soak-daemon.js';

/** The transports the soak mixes. */
export const TRANSPORTS = ['http', 'stateless', 'websocket', 'sse', 'stdio'] as const;
/** One of TRANSPORTS. */
export type TransportKind = (typeof TRANSPORTS)[number];

/** Client-side timeout of one call (generous: only server faults should count as errors). */
export const CALL_TIMEOUT_MS = 180_000;

/** One open client: calls tools until closed. */
export interface SoakConnection {
  readonly kind: TransportKind;
  /** The tool result (`{ content, structuredContent?, isError? }`); throws on protocol or transport errors. */
  call(name: string, args: Record<string, unknown>): Promise<unknown>;
  /** Ends the session the way a well-behaved client does (DELETE, close frame, process exit). */
  close(): Promise<void>;
  /** PID of the server process when the client owns it (stdio). */
  readonly pid?: number;
}

/** Where the clients connect and how a stdio server is started. */
export interface ConnectTarget {
  /** `http://127.0.0.1:PORT` of the daemon. */
  readonly base: string;
  /** Directory for the stdio servers' homes. */
  readonly scratch: string;
  /** Extra `smcp stdio` flags (the daemon's MCP flags, so both serve the same caps). */
  readonly stdioArgs: readonly string[];
}

/** A JSON-RPC error answered to a stateless request, thrown like the SDKs throw theirs. */
export class RpcAnswerError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly httpStatus: number,
  ) {
    super(message);
    this.name = 'RpcAnswerError';
  }
}

const CLIENT_INFO = { name: 'smcp-soak', version: '1' };
let nextRequestId = 1;

/** Opens one client of `kind`; throws when the connection or handshake fails. */
export async function connect(kind: TransportKind, target: ConnectTarget): Promise<SoakConnection> {
  switch (kind) {
    case 'http':
      return connectHttp(target.base);
    case 'stateless':
      return statelessConnection(target.base);
    case 'websocket':
      return connectV1(
        kind,
        new WebSocketClientTransport(new URL(`${target.base.replace(/^http/, 'ws')}/mcp`)),
      );
    case 'sse':
      return connectV1(kind, new SSEClientTransport(new URL(`${target.base}/sse`)));
    case 'stdio':
      return connectStdio(target);
  }
}

async function connectHttp(base: string): Promise<SoakConnection> {
  const client = new Client(CLIENT_INFO);
  const transport = new StreamableHTTPClientTransport(new URL(`${base}/mcp`));
  await client.connect(transport, { timeout: CALL_TIMEOUT_MS });
  return {
    kind: 'http',
    call: (name, args) => client.callTool({ name, arguments: args }, { timeout: CALL_TIMEOUT_MS }),
    close: async () => {
      await transport.terminateSession();
      await client.close();
    },
  };
}

type V1Transport = WebSocketClientTransport | SSEClientTransport;

async function connectV1(kind: 'websocket' | 'sse', transport: V1Transport): Promise<SoakConnection> {
  // Node 20 has no global WebSocket; the v1 WebSocketClientTransport needs one.
  const g = globalThis as { WebSocket?: unknown };
  g.WebSocket ??= WsWebSocket;
  const client = new V1Client(CLIENT_INFO);
  await client.connect(transport, { timeout: CALL_TIMEOUT_MS });
  return {
    kind,
    call: (name, args) => client.callTool({ name, arguments: args }, undefined, { timeout: CALL_TIMEOUT_MS }),
    close: () => client.close(),
  };
}

async function connectStdio(target: ConnectTarget): Promise<SoakConnection> {
  const home = soakHome(target.scratch);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(home.env)) if (value !== undefined) env[key] = value;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [SMCP_BIN, 'stdio', ...target.stdioArgs],
    env,
    stderr: 'pipe',
  });
  // Read stderr so a chatty server can never block on a full pipe; keep the tail for diagnosis.
  let stderrTail = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-4000);
  });
  const client = new Client(CLIENT_INFO);
  try {
    await client.connect(transport, { timeout: CALL_TIMEOUT_MS });
  } catch (err) {
    await transport.close().catch(() => undefined);
    home.remove();
    throw new Error(`smcp stdio did not start: ${String(err)} ${stderrTail}`, { cause: err });
  }
  return {
    kind: 'stdio',
    pid: transport.pid ?? undefined,
    call: (name, args) => client.callTool({ name, arguments: args }, { timeout: CALL_TIMEOUT_MS }),
    close: async () => {
      await client.close();
      home.remove();
    },
  };
}

/** Stateless 2026-07-28: no connection to open; each call is one self-describing POST. */
function statelessConnection(base: string): SoakConnection {
  const meta = {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientInfo': CLIENT_INFO,
    'io.modelcontextprotocol/clientCapabilities': {},
  };
  return {
    kind: 'stateless',
    close: () => Promise.resolve(),
    call: async (name, args) => {
      const id = nextRequestId++;
      const res = await fetch(`${base}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2026-07-28',
          'mcp-method': 'tools/call',
          'mcp-name': name,
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id,
          method: 'tools/call',
          params: { name, arguments: args, _meta: meta },
        }),
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      });
      const body = await readRpcBody(res);
      if (body.error) throw new RpcAnswerError(body.error.code, body.error.message, res.status);
      if (body.id !== id || body.result === undefined) {
        throw new RpcAnswerError(0, `malformed answer (HTTP ${res.status})`, res.status);
      }
      return body.result;
    },
  };
}

interface RpcBody {
  id?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

/** One JSON-RPC response from a JSON or SSE-framed body (progress notifications skipped). */
async function readRpcBody(res: Response): Promise<RpcBody> {
  const text = await res.text();
  try {
    if (!(res.headers.get('content-type') ?? '').includes('text/event-stream'))
      return JSON.parse(text) as RpcBody;
    const messages = text
      .split('\n')
      .filter((line) => line.startsWith('data:') && line.slice(5).trim() !== '')
      .map((line) => JSON.parse(line.slice(5).trim()) as RpcBody & { method?: unknown })
      .filter((m) => m.method === undefined);
    if (messages.length === 1) return messages[0];
  } catch {
    // falls through to the malformed answer below
  }
  throw new RpcAnswerError(0, `unreadable answer (HTTP ${res.status}): ${text.slice(0, 200)}`, res.status);
}
