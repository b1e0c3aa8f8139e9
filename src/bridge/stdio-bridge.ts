/**
 * `smcp stdio` as a thin bridge to the running daemon: each message a desktop client writes on
 * stdin is POSTed to the daemon's MCP endpoint over loopback HTTP, and every message of the answer
 * (progress, the result) is written back on stdout as it arrives; the 2025-era GET stream carries
 * the daemon's own notifications (list_changed). So the client shares the daemon's pool, guard,
 * limits, status and audit trail, and is checked as any local HTTP client is: its OS user by the
 * daemon's peer-uid check, the daemon's token when one is set.
 *
 * Both protocol eras pass: a 2025-era client's initialize opens a daemon session (remembered, so it
 * can be opened again behind the client's back after a restart); a 2026-07-28 request carries its
 * version in `_meta` and goes out with the headers that era requires. A client's cancel reaches
 * the daemon in band and by closing the call's HTTP answer, either of which cancels the statement.
 * A call whose answer breaks off fails at once with DAEMON_RESTARTED; a message that finds no
 * daemon waits for one to come back (bounded) and is then sent again.
 */
import type { Readable, Writable } from 'node:stream';
import { edgeCodes } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import { closeConnections, exchange } from './daemon-http.js';
import type { ExchangeOutcome } from './daemon-http.js';
import { isModern, rpcHeaders } from './rpc-headers.js';
import { StdinMessages } from './stdin-messages.js';
import type { JsonRpcMessage, RequestId } from './stdin-messages.js';

/** Where the daemon serves MCP (what its endpoint file says; see daemon/endpoint-file.ts). */
export interface DaemonEndpoint {
  readonly pid: number;
  /** `http://127.0.0.1:PORT/mcp`: loopback only. */
  readonly mcp: string;
  /** The daemon's bearer token, when it requires one. */
  readonly token?: string;
}

/** Options of {@link runStdioBridge}. */
export interface StdioBridgeOptions {
  readonly input?: Readable;
  readonly output?: Writable;
  /** The daemon's endpoint now (read again whenever the daemon went away). */
  readonly findEndpoint: () => DaemonEndpoint | undefined;
  readonly logger: Logger;
  /** How long a message waits for a daemon that went away to come back; default 30 s. */
  readonly reconnectWaitMs?: number;
}

/** The running bridge. */
export interface StdioBridgeHandle {
  /** Resolves when the client has gone (stdin ended) or `close()` was called. */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

/** A client request being relayed. */
interface Pending {
  readonly controller: AbortController;
  /** The client cancelled it: whatever still comes for it is dropped. */
  cancelled: boolean;
  /** Its response went to the client. */
  answered: boolean;
}

const key = (id: RequestId): string => `${typeof id}:${id}`;

/** Relays one desktop client to the daemon at `endpoint` until the client goes. */
export function runStdioBridge(endpoint: DaemonEndpoint, options: StdioBridgeOptions): StdioBridgeHandle {
  return new StdioBridge(endpoint, options).start();
}

class StdioBridge {
  private readonly input: Readable;
  private readonly output: Writable;
  private readonly logger: Logger;
  private readonly pending = new Map<string, Pending>();
  /** The client's 2025-era initialize, sent again to open a new daemon session after a restart. */
  private initRequest: JsonRpcMessage | undefined;
  private initializedSeen = false;
  private sessionId: string | undefined;
  private protocolVersion: string | undefined;
  private stream: AbortController | undefined;
  private reconnecting: Promise<boolean> | undefined;
  private reinitCount = 0;
  /** Settles when the client's initialize has; later messages wait for its session. */
  private opening: Promise<void> = Promise.resolve();
  private closing = false;
  private markClosed: () => void = () => {};
  private readonly closedPromise = new Promise<void>((resolve) => (this.markClosed = resolve));

  constructor(
    private endpoint: DaemonEndpoint,
    private readonly options: StdioBridgeOptions,
  ) {
    this.input = options.input ?? process.stdin;
    this.output = options.output ?? process.stdout;
    this.logger = options.logger;
  }

  start(): StdioBridgeHandle {
    const reader = new StdinMessages(
      (message) => void this.route(message),
      (reason) => this.logger.debug('stdio session error', { error: `stdin held ${reason}` }),
    );
    const onData = (chunk: Buffer): void => {
      try {
        reader.append(chunk);
      } catch (err) {
        // As in-process: a line past the limit ends the connection.
        this.logger.debug('stdio session error', { error: (err as Error).message });
        void this.close();
      }
    };
    const onEnd = (): void => void this.close();
    this.input.on('data', onData);
    this.input.once('end', onEnd);
    this.input.once('close', onEnd);
    this.output.on('error', onEnd);
    void this.closedPromise.then(() => {
      this.input.off('data', onData);
      this.input.pause();
    });
    return { closed: this.closedPromise, close: () => this.close() };
  }

  private async close(): Promise<void> {
    if (this.closing) return this.closedPromise;
    this.closing = true;
    // As in-process: calls still in flight when the client goes are abandoned (and so cancelled).
    for (const entry of this.pending.values()) entry.controller.abort();
    this.stream?.abort();
    if (this.sessionId) {
      // Ends the daemon session now rather than at its idle timeout.
      const done = new AbortController();
      const timer = setTimeout(() => done.abort(), 1000);
      await exchange({
        url: new URL(this.endpoint.mcp),
        method: 'DELETE',
        headers: this.legacyHeaders(),
        signal: done.signal,
        onMessage: () => {},
      });
      clearTimeout(timer);
    }
    closeConnections();
    this.markClosed();
    return this.closedPromise;
  }

  private write(message: JsonRpcMessage): void {
    if (this.closing) return;
    this.output.write(`${JSON.stringify(message)}\n`);
  }

  private async route(message: JsonRpcMessage): Promise<void> {
    if (this.closing) return;
    try {
      if (message.method === 'initialize' && message.id !== undefined && !isModern(message)) {
        const opened = this.request(message, message.id);
        this.opening = opened.catch(() => {});
        return await opened;
      }
      await this.opening;
      if (message.method !== undefined && message.id !== undefined) await this.request(message, message.id);
      else if (message.method !== undefined) await this.notification(message);
      else await this.forward(message); // The client's answer to a request of the daemon.
    } catch (err) {
      this.logger.warn('relaying a message to the daemon failed', { error: String(err) });
      if (message.method !== undefined && message.id !== undefined) {
        this.reply(message.id, 'INTERNAL', 'smcp stdio could not relay the request to the daemon');
      }
    }
  }

  private legacyHeaders(): Record<string, string> {
    return rpcHeaders(undefined, this.endpoint.token, this.sessionId, this.protocolVersion);
  }

  private headersFor(message: JsonRpcMessage): Record<string, string> {
    return rpcHeaders(message, this.endpoint.token, this.sessionId, this.protocolVersion);
  }

  private post(
    message: JsonRpcMessage,
    onMessage: (message: JsonRpcMessage, status: number) => void,
    signal?: AbortSignal,
  ): Promise<ExchangeOutcome> {
    return exchange({
      url: new URL(this.endpoint.mcp),
      method: 'POST',
      headers: this.headersFor(message),
      body: JSON.stringify(message),
      ...(signal ? { signal } : {}),
      onMessage,
    });
  }

  private async request(message: JsonRpcMessage, id: RequestId): Promise<void> {
    const isInitialize = message.method === 'initialize' && !isModern(message);
    if (isInitialize) {
      // A new session from scratch; remembered once the daemon took it.
      this.initRequest = undefined;
      this.sessionId = undefined;
      this.protocolVersion = undefined;
    }
    const entry: Pending = { controller: new AbortController(), cancelled: false, answered: false };
    this.pending.set(key(id), entry);
    try {
      for (let attempt = 0; ; attempt++) {
        if (this.reconnecting) await this.reconnecting;
        const usedSession = this.sessionId;
        let refusal: JsonRpcMessage | undefined;
        const outcome = await this.post(
          message,
          (answer, status) => {
            if (status >= 400) refusal = answer;
            else this.fromDaemon(answer, id, entry, isInitialize);
          },
          entry.controller.signal,
        );
        if (outcome.kind === 'aborted' || entry.cancelled) return;
        if (outcome.kind === 'unreachable') {
          if (attempt === 0 && (await this.reconnect())) continue;
          return this.reply(
            id,
            'DAEMON_NOT_RUNNING',
            `no smcp daemon answers at ${this.endpoint.mcp} (${outcome.reason})`,
          );
        }
        if (outcome.kind === 'broken') return this.wentAway(id, entry, outcome.reason);
        if (outcome.status === 404 && usedSession !== undefined && !isInitialize && attempt === 0) {
          // The daemon forgot the session (restarted, or it idled out): open a new one (unless a
          // request beside this one already did), send again.
          if (this.sessionId === usedSession) {
            this.sessionId = undefined;
            await this.reconnect();
          } else if (this.reconnecting) {
            await this.reconnecting;
          }
          if (this.sessionId !== undefined) continue;
        }
        if (isInitialize && outcome.status < 400) {
          this.sessionId = outcome.sessionId;
          this.initRequest = message;
        }
        if (outcome.status >= 400) {
          if (refusal?.error) return this.write({ jsonrpc: '2.0', id, error: refusal.error });
          return this.reply(
            id,
            'INTERNAL',
            `the daemon answered HTTP ${outcome.status}${outcome.refusal ? `: ${outcome.refusal}` : ''}`,
          );
        }
        if (!entry.answered && outcome.status !== 202) {
          return this.wentAway(id, entry, 'its answer ended without a response');
        }
        return;
      }
    } finally {
      this.pending.delete(key(id));
    }
  }

  /** A message of a POST's answer: the response goes to the client once, the rest as it comes. */
  private fromDaemon(answer: JsonRpcMessage, id: RequestId, entry: Pending, isInitialize: boolean): void {
    const isResponse = answer.method === undefined;
    if (isResponse && answer.id === id) {
      if (entry.answered || entry.cancelled) return;
      entry.answered = true;
      if (isInitialize && typeof answer.result?.protocolVersion === 'string') {
        this.protocolVersion = answer.result.protocolVersion;
      }
    }
    this.write(answer);
  }

  /** The daemon went away during a call: the client hears so at once, and the bridge looks for it again. */
  private wentAway(id: RequestId, entry: Pending, reason: string): void {
    if (!entry.answered && !entry.cancelled) {
      this.reply(
        id,
        'DAEMON_RESTARTED',
        `the smcp daemon restarted (or stopped) while this request ran, so it did not complete (${reason}); send it again`,
      );
    }
    void this.reconnect();
  }

  private reply(id: RequestId, code: ErrorCode, message: string): void {
    this.write({ jsonrpc: '2.0', id, error: { code: edgeCodes(code).rpc, message, data: { code } } });
  }

  private async notification(message: JsonRpcMessage): Promise<void> {
    if (message.method === 'notifications/cancelled') {
      const requestId = message.params?.requestId;
      const entry =
        typeof requestId === 'string' || typeof requestId === 'number'
          ? this.pending.get(key(requestId))
          : undefined;
      if (entry) entry.cancelled = true;
      // In band first (the reason reaches the daemon), then the call's answer is closed, which is
      // how a 2026-07-28 call is cancelled and cancels a 2025-era one too.
      if (!isModern(message)) await this.forward(message);
      entry?.controller.abort();
      return;
    }
    await this.forward(message);
    if (message.method === 'notifications/initialized' && !isModern(message)) {
      this.initializedSeen = true;
      this.openStream();
    }
  }

  /** Sends a message that expects no answer (a notification, or the client's own response). */
  private async forward(message: JsonRpcMessage): Promise<void> {
    const outcome = await this.post(message, (answer) => this.write(answer));
    if (outcome.kind === 'answered' && outcome.status < 400) return;
    this.logger.debug('the daemon did not take a notification', {
      method: message.method,
      outcome: outcome.kind,
    });
  }

  /** The 2025-era GET stream: the daemon's notifications that belong to no request. */
  private openStream(): void {
    if (!this.sessionId || this.closing) return;
    this.stream?.abort();
    const controller = new AbortController();
    this.stream = controller;
    void exchange({
      url: new URL(this.endpoint.mcp),
      method: 'GET',
      headers: this.legacyHeaders(),
      signal: controller.signal,
      onMessage: (message, status) => {
        if (status < 400) this.write(message);
      },
    }).then((outcome) => {
      if (this.closing || controller.signal.aborted || this.stream !== controller) return;
      // 405: a stateless daemon has no such stream; anything else ending it means the daemon went.
      if (outcome.kind === 'answered' && outcome.status === 405) return;
      this.logger.debug('the daemon closed the notification stream', { outcome: outcome.kind });
      void this.reconnect();
    });
  }

  /**
   * Finds the daemon again (its endpoint file) and, for a 2025-era client, opens a new session with
   * the remembered initialize. Resolves false when none answers within the wait. One at a time.
   */
  private reconnect(): Promise<boolean> {
    this.reconnecting ??= this.findDaemon().finally(() => (this.reconnecting = undefined));
    return this.reconnecting;
  }

  private async findDaemon(): Promise<boolean> {
    this.stream?.abort();
    this.stream = undefined;
    const deadline = Date.now() + (this.options.reconnectWaitMs ?? 30_000);
    while (!this.closing) {
      const found = this.options.findEndpoint();
      if (found) {
        this.endpoint = found;
        if (!this.initRequest || (await this.reinitialize())) return true;
      }
      if (Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (!this.closing)
      this.logger.warn('no smcp daemon came back', { waitedMs: this.options.reconnectWaitMs ?? 30_000 });
    return false;
  }

  /** Opens a daemon session with the client's initialize; the answer stays here. */
  private async reinitialize(): Promise<boolean> {
    const init = this.initRequest;
    if (!init) return true;
    this.sessionId = undefined;
    this.protocolVersion = undefined;
    const id = `smcp-bridge-reinit-${++this.reinitCount}`;
    let version: string | undefined;
    const outcome = await this.post({ ...init, id }, (answer, status) => {
      const result = answer.id === id && status < 400 ? answer.result : undefined;
      if (typeof result?.protocolVersion === 'string') version = result.protocolVersion;
    });
    if (outcome.kind !== 'answered' || outcome.status >= 400 || version === undefined) return false;
    this.sessionId = outcome.sessionId;
    this.protocolVersion = version;
    if (this.initializedSeen) {
      await this.forward({ jsonrpc: '2.0', method: 'notifications/initialized' });
      this.openStream();
    }
    this.logger.info('reconnected to the smcp daemon', { pid: this.endpoint.pid });
    return true;
  }
}
