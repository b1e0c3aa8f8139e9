/**
 * Raw clients the fuzz run sends through: a keep-alive HTTP sender that returns whatever the
 * server answered (no client-side validation of our own garbage), a 2025-era Streamable HTTP
 * session, a legacy SSE stream (GET /sse + POST /messages) and WebSocket connections on /mcp with
 * subprotocol mcp. Each stream feeds a {@link ReplyLedger} that checks every message.
 */
import { Agent, request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import type { FuzzCase } from './fuzz-cases.js';
import type { HttpReply } from './fuzz-checks.js';
import { ReplyLedger, requestIdOf } from './fuzz-checks.js';
import { initializeBody, INITIALIZED_BODY } from '../helpers/mcp-messages.js';

/** The default JSON-RPC POST headers. */
export const POST_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

/** Sends raw HTTP requests over a small pool of keep-alive sockets. */
export class RawHttp {
  private readonly agent: Agent;

  constructor(
    private readonly base: string,
    sockets: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets });
  }

  /**
   * Sends one request and resolves with the answer. A request the server answered early and then
   * cut (an oversized body refused on its Content-Length) still resolves with that answer; rejects
   * only when no answer came at all.
   */
  send(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string | Buffer,
  ): Promise<HttpReply> {
    const url = new URL(path, this.base);
    return new Promise((resolve, reject) => {
      let answered = false;
      const req = request(
        url,
        { method, headers, agent: this.agent, timeout: 60_000 },
        (res: IncomingMessage) => {
          answered = true;
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              contentType: String(res.headers['content-type'] ?? ''),
              body: Buffer.concat(chunks),
              ...(typeof res.headers['mcp-session-id'] === 'string'
                ? { sessionId: res.headers['mcp-session-id'] }
                : {}),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('no answer within 60 s')));
      req.on('error', (error) => {
        if (!answered) reject(error);
      });
      req.end(body);
    });
  }

  /** Closes the pooled sockets. */
  close(): void {
    this.agent.destroy();
  }
}

/** Headers of case `c` over `defaults`: a `null` in the case removes the default. */
export function caseHeaders(c: FuzzCase, defaults: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = { ...defaults };
  for (const [key, value] of Object.entries(c.headers)) {
    if (value === null) delete headers[key];
    else headers[key] = value;
  }
  return headers;
}

/** Opens a 2025-era Streamable HTTP session and returns its id. */
export async function openHttpSession(http: RawHttp): Promise<string> {
  const init = await http.send('POST', '/mcp', { ...POST_HEADERS }, initializeBody('fuzz', 0));
  if (init.status !== 200) throw new Error(`initialize answered ${init.status}: ${init.body.toString()}`);
  const id = init.sessionId;
  if (!id) throw new Error('initialize returned no Mcp-Session-Id');
  await http.send(
    'POST',
    '/mcp',
    { ...POST_HEADERS, 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' },
    INITIALIZED_BODY,
  );
  return id;
}

/** The legacy HTTP+SSE stream: GET /sse held open, messages checked by a ledger. */
export class LegacyStream {
  readonly ledger = new ReplyLedger('legacy-sse');
  private sentinel = 0;

  private constructor(
    private readonly res: IncomingMessage,
    readonly postPath: string,
  ) {}

  /** Opens GET /sse and resolves once the endpoint event names the POST path. */
  static open(base: string): Promise<LegacyStream> {
    return new Promise((resolve, reject) => {
      const req = request(new URL('/sse', base), { headers: { accept: 'text/event-stream' } }, (res) => {
        let buffer = '';
        let stream: LegacyStream | undefined;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const event = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const name = /^event: (.*)$/m.exec(event)?.[1] ?? 'message';
            const data = event
              .split('\n')
              .filter((l) => l.startsWith('data:'))
              .map((l) => l.slice(5).trimStart())
              .join('\n');
            if (name === 'endpoint' && !stream) {
              stream = new LegacyStream(res, data);
              resolve(stream);
            } else if (name === 'message') stream?.ledger.receive(data);
          }
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** True while the stream is open. */
  get open(): boolean {
    return !this.res.destroyed && !this.res.readableEnded;
  }

  /** Posts a tools/list and resolves with the tool count answered on the stream (undefined: none). */
  async toolCount(http: RawHttp): Promise<number | undefined> {
    const id = `legacy-sentinel-${++this.sentinel}`;
    const answer = this.ledger.waitFor(id, 10_000);
    const posted = await http.send(
      'POST',
      this.postPath,
      { ...POST_HEADERS },
      JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/list' }),
    );
    if (posted.status !== 202) return undefined;
    const m = await answer;
    const tools = (m?.result as { tools?: unknown[] } | undefined)?.tools;
    return tools?.length;
  }

  /** Ends the stream. */
  close(): void {
    this.res.destroy();
  }
}

/** One WebSocket connection on /mcp (subprotocol mcp), initialized, with a ledger. */
export class FuzzSocket {
  readonly ledger: ReplyLedger;
  private closeCode: number | undefined;
  private readonly closed: Promise<number>;
  private sentinel = 0;

  private constructor(
    private readonly ws: WebSocket,
    label: string,
  ) {
    this.ledger = new ReplyLedger(label);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) this.ledger.problems.push(`${label}: the server sent a binary frame`);
      else this.ledger.receive(data.toString('utf8'));
    });
    ws.on('error', () => {}); // the close event reports what matters
    this.closed = new Promise((resolve) =>
      ws.once('close', (code: number) => {
        this.closeCode = code;
        resolve(code);
      }),
    );
  }

  /** Connects and runs the 2025-era initialize handshake. */
  static async open(base: string, label: string): Promise<FuzzSocket> {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/mcp`, 'mcp', { maxPayload: 64 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const socket = new FuzzSocket(ws, label);
    const init = socket.ledger.waitFor('init', 10_000);
    ws.send(initializeBody('fuzz', 'init'));
    if (!(await init)) throw new Error('WebSocket initialize got no answer');
    ws.send(INITIALIZED_BODY);
    return socket;
  }

  /** True while the connection is open. */
  get isOpen(): boolean {
    return this.closeCode === undefined && this.ws.readyState === WebSocket.OPEN;
  }

  /**
   * Sends case `c`, then a ping; resolves when the ping is answered ('answered') or the server closed
   * the connection (its close code). A certain error's request id is handed to the ledger.
   */
  async send(c: FuzzCase): Promise<'answered' | number | 'silent'> {
    const id = c.expectError ? requestIdOf(c.payload) : undefined;
    if (id !== undefined) this.ledger.expectErrorFor(id, c.index);
    this.ws.send(c.payload, { binary: c.binary });
    return this.ping();
  }

  /** Sends a ping request and waits for its answer or the close. */
  async ping(timeoutMs = 15_000): Promise<'answered' | number | 'silent'> {
    if (!this.isOpen) return this.closeCode ?? (await this.closed);
    const id = `sentinel-${++this.sentinel}`;
    const answer = this.ledger.waitFor(id, timeoutMs);
    this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' }));
    const result = await Promise.race([answer, this.closed]);
    if (typeof result === 'number') return result;
    return result ? 'answered' : 'silent';
  }

  /** Closes with 1000 and waits for the close. */
  async close(): Promise<void> {
    if (this.closeCode === undefined) {
      this.ws.close(1000);
      const timer = setTimeout(() => this.ws.terminate(), 3000);
      await this.closed;
      clearTimeout(timer);
    }
  }
}
