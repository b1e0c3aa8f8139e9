/**
 * An SDK `Transport` over one `ws` WebSocket: one JSON-RPC message per text frame, as the v1 SDK's
 * WebSocketClientTransport speaks it. Bad frames get a JSON-RPC error (parse error, invalid
 * request) and the connection keeps serving; binary frames close it with 1003. Outbound
 * backpressure: above the high-water mark the socket stops reading from the peer until its send
 * buffer drains; above the hard limit the peer is closed with 1013 as too slow.
 */
import type { JSONRPCMessage, MessageExtraInfo } from '@modelcontextprotocol/server';
import { parseJSONRPCMessage } from '@modelcontextprotocol/server';
import type { RawData, WebSocket } from 'ws';
import { edgeCodes } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import type { AttachableTransport, InnerTransportEvents } from './tracked-transport.js';

/** The normal close; every other close code comes from the error catalogue (src/errors.ts). */
export const WS_NORMAL_CLOSE = 1000;

/** The close code for a connection ended because of `code`. */
export function closeCodeOf(code: ErrorCode): number {
  return edgeCodes(code).ws;
}

/** Backpressure thresholds in bytes. */
export interface BackpressureLimits {
  readonly highWaterBytes: number;
  readonly maxBufferedBytes: number;
  /** What all connections together may have waiting to be sent. */
  readonly budget: SendBudget;
}

/**
 * Bytes queued for sending over every WebSocket together. Each connection is also capped on its
 * own, but forty slow readers just under that cap still hold gigabytes: past the shared budget the
 * `evict` callback closes the connection that holds the most.
 */
export class SendBudget {
  private total = 0;

  constructor(
    readonly maxBytes: number,
    private readonly evict: () => void,
  ) {}

  /** Bytes queued now over all connections. */
  get bytes(): number {
    return this.total;
  }

  /** `n` more bytes are queued. */
  add(n: number): void {
    this.total += n;
    if (this.total > this.maxBytes) this.evict();
  }

  /** `n` queued bytes were written or dropped. */
  remove(n: number): void {
    this.total = Math.max(0, this.total - n);
  }
}

const OPEN = 1;

/** Text of a frame (ws hands over a Buffer, an array of Buffers or an ArrayBuffer). */
function frameText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** The transport of each socket, for the listeners below (weak: a closed socket drops out). */
const transports = new WeakMap<WebSocket, WebSocketServerTransport>();

// Socket listeners shared by every connection: ws calls them with `this` bound to the socket, so a
// connection costs a WeakMap entry instead of three closures.
function onSocketMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  transports.get(this)?.receive(data, isBinary);
}

function onSocketClose(this: WebSocket): void {
  transports.get(this)?.closed();
}

function onSocketError(this: WebSocket, error: Error): void {
  transports.get(this)?.failed(error);
}

/**
 * One MCP connection over a WebSocket. Lean, since a process may hold ten thousand idle ones: no
 * closures per connection, and a wrapper can attach itself ({@link attach}) instead of setting the
 * three callback properties.
 */
export class WebSocketServerTransport implements AttachableTransport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;
  private events: InnerTransportEvents | undefined;
  private isClosed = false;
  /** Bytes handed to the socket and not yet written (this connection's share of the budget). */
  private queued = 0;
  /** When the connection opened (ms since the epoch), for /health. */
  readonly connectedAt = Date.now();
  /** Frames received, for /health. */
  messageCount = 0;

  constructor(
    readonly socket: WebSocket,
    private readonly limits: BackpressureLimits,
  ) {}

  /** Reports to `events` instead of the callback properties. */
  attach(events: InnerTransportEvents): void {
    this.events = events;
  }

  start(): Promise<void> {
    transports.set(this.socket, this);
    this.socket.on('message', onSocketMessage);
    this.socket.on('close', onSocketClose);
    this.socket.on('error', onSocketError);
    return Promise.resolve();
  }

  send(message: JSONRPCMessage): Promise<void> {
    const socket = this.socket;
    if (socket.readyState !== OPEN) return Promise.reject(new Error('WebSocket is not open'));
    if (socket.bufferedAmount > this.limits.maxBufferedBytes) {
      void this.close(closeCodeOf('RATE_LIMITED'), 'client reads too slowly');
      return Promise.reject(new Error('WebSocket peer reads too slowly; closed'));
    }
    const text = JSON.stringify(message);
    // Characters, not bytes: a cheap estimate that is exact for the ASCII JSON-RPC mostly carries.
    const size = text.length;
    this.queued += size;
    this.limits.budget.add(size);
    socket.send(text, (error) => {
      if (!this.isClosed) {
        this.queued -= size;
        this.limits.budget.remove(size);
      }
      if (error) return;
      // Written to the kernel: resume reading once the backlog is back under half the mark.
      if (socket.isPaused && socket.bufferedAmount < this.limits.highWaterBytes / 2) socket.resume();
    });
    if (!socket.isPaused && socket.bufferedAmount > this.limits.highWaterBytes) socket.pause();
    return Promise.resolve();
  }

  /** Closes with `code` (1000 unless a reason calls for another). */
  close(code: number = WS_NORMAL_CLOSE, reason = ''): Promise<void> {
    if (this.socket.readyState === OPEN) this.socket.close(code, reason);
    else if (this.socket.readyState !== 3) this.socket.terminate();
    this.closed();
    return Promise.resolve();
  }

  /** A frame arrived (called by the shared socket listener). */
  receive(data: RawData, isBinary: boolean): void {
    // ws still delivers frames that arrive between our close frame and the peer's: drop them.
    if (this.isClosed) return;
    this.messageCount++;
    if (isBinary) {
      void this.close(
        closeCodeOf('UNSUPPORTED_MEDIA_TYPE'),
        'binary frames are not supported; send JSON-RPC as text',
      );
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(frameText(data));
    } catch {
      this.replyError(-32700, 'Parse error: the frame is not valid JSON');
      return;
    }
    let message: JSONRPCMessage;
    try {
      message = parseJSONRPCMessage(value);
    } catch {
      const id = typeof value === 'object' && value !== null && 'id' in value ? value.id : null;
      this.replyError(
        -32600,
        'Invalid Request: not a JSON-RPC 2.0 message',
        typeof id === 'string' || typeof id === 'number' ? id : null,
      );
      return;
    }
    if (this.events) this.events.innerMessage(message);
    else this.onmessage?.(message);
  }

  /** The socket failed (called by the shared socket listener). */
  failed(error: Error): void {
    if (this.events) this.events.innerError(error);
    else this.onerror?.(error);
  }

  private replyError(code: number, message: string, id: string | number | null = null): void {
    if (this.socket.readyState !== OPEN) return;
    this.socket.send(JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } }));
  }

  /** The connection ended, whoever closed it; reported once. */
  closed(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    // What was still queued will never be written: give it back to the shared budget.
    this.limits.budget.remove(this.queued);
    this.queued = 0;
    if (this.events) this.events.innerClosed();
    else this.onclose?.();
  }
}
