/**
 * Load over message transports (WebSocket, stdio): JSON-RPC channels that match answers to
 * requests by id, and a closed-loop load run in which each of N clients keeps exactly one
 * tools/call in flight. WebSocket clients each own a socket; stdio has one pipe per server process,
 * so its N clients share one channel (N requests in flight on it). Every answer is timed and checked,
 * like load-gen.ts does for HTTP.
 */
import type { ChildProcess } from 'node:child_process';
import { WebSocket } from 'ws';
import { closedLoop } from './load-gen.js';
import type { LoadResult } from './load-gen.js';

/** A JSON-RPC response as the load reads it. */
export interface RpcReply {
  readonly result?: unknown;
  readonly error?: unknown;
}

/** One connection speaking JSON-RPC: requests get their replies by id. */
export interface RpcChannel {
  request(method: string, params: Record<string, unknown>): Promise<RpcReply>;
  notify(method: string, params?: Record<string, unknown>): void;
  close(): void;
}

/** Shared id bookkeeping of both channel kinds. */
class Pending {
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: RpcReply) => void>();

  /** Registers a request and returns its id and the promise of its reply. */
  open(): { id: number; reply: Promise<RpcReply> } {
    const id = this.nextId++;
    const reply = new Promise<RpcReply>((resolve) => this.waiting.set(id, resolve));
    return { id, reply };
  }

  /** Resolves the request a parsed message answers; other messages (notifications) are ignored. */
  deliver(text: string): void {
    let msg: { id?: unknown; result?: unknown; error?: unknown };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      return; // a banner or log line on stdout is not ours to judge
    }
    if (typeof msg !== 'object' || msg === null || typeof msg.id !== 'number') return;
    const resolve = this.waiting.get(msg.id);
    if (!resolve) return;
    this.waiting.delete(msg.id);
    resolve(msg.error !== undefined ? { error: msg.error } : { result: msg.result });
  }

  /** Fails every open request (the connection ended). */
  failAll(why: string): void {
    for (const resolve of this.waiting.values()) resolve({ error: why });
    this.waiting.clear();
  }
}

/** Opens a WebSocket (subprotocol mcp) to `url` as a channel. */
export function openWsChannel(url: string): Promise<RpcChannel> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ['mcp'], { perMessageDeflate: false });
    const pending = new Pending();
    ws.on('message', (data: Buffer) => pending.deliver(data.toString()));
    ws.on('close', () => pending.failAll('socket closed'));
    ws.once('error', reject);
    ws.once('open', () => {
      ws.on('error', () => pending.failAll('socket error'));
      resolve({
        request: (method, params) => {
          const { id, reply } = pending.open();
          ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
          return reply;
        },
        notify: (method, params) => ws.send(JSON.stringify({ jsonrpc: '2.0', method, params })),
        close: () => ws.terminate(),
      });
    });
  });
}

/** Wraps a child's stdin/stdout (newline-delimited JSON-RPC) as a channel. */
export function stdioChannel(child: ChildProcess): RpcChannel {
  const pending = new Pending();
  let buffered = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    buffered += chunk;
    let nl = buffered.indexOf('\n');
    while (nl >= 0) {
      pending.deliver(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
      nl = buffered.indexOf('\n');
    }
  });
  child.once('exit', () => pending.failAll('process exited'));
  const write = (msg: object): void => {
    child.stdin!.write(`${JSON.stringify(msg)}\n`);
  };
  return {
    request: (method, params) => {
      const { id, reply } = pending.open();
      write({ jsonrpc: '2.0', id, method, params });
      return reply;
    },
    notify: (method, params) => write({ jsonrpc: '2.0', method, params }),
    close: () => child.stdin!.end(),
  };
}

/** initialize (2025-11-25) + notifications/initialized on `channel`; throws when refused. */
export async function initializeChannel(channel: RpcChannel): Promise<void> {
  const reply = await channel.request('initialize', {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'bench', version: '1' },
  });
  if (reply.error !== undefined) throw new Error(`initialize refused: ${JSON.stringify(reply.error)}`);
  channel.notify('notifications/initialized');
}

/** A message-transport load run. */
export interface RpcLoadSpec {
  /** Client i uses channels[i % channels.length]. */
  readonly channels: readonly RpcChannel[];
  readonly clients: number;
  readonly durationMs: number;
  readonly tool: { readonly name: string; readonly args: Record<string, unknown> };
  readonly check: (result: unknown) => boolean;
}

/** Runs `clients` closed loops of tools/call for `durationMs`; every reply timed and checked. */
export async function runRpcLoad(spec: RpcLoadSpec): Promise<LoadResult> {
  const params = { name: spec.tool.name, arguments: spec.tool.args };
  return closedLoop(spec.clients, spec.durationMs, async (i) => {
    const reply = await spec.channels[i % spec.channels.length].request('tools/call', params);
    if (reply.error === undefined && spec.check(reply.result)) return undefined;
    return JSON.stringify(reply.error ?? reply.result).slice(0, 200);
  });
}
