/**
 * What a well-formed answer to a fuzz case is. HTTP: a 2xx/4xx status (5xx only 503 with a JSON
 * body), a JSON or SSE-of-JSON body, JSON-RPC error objects with an integer code and a string
 * message (or the tool API's `{error: {code, message}}`), 202 with no body for notifications.
 * Streams (WebSocket, legacy SSE): every message a JSON-RPC response or notification; requests the
 * case made certain to fail must be answered with an error.
 */
import type { FuzzCase } from './fuzz-cases.js';

/** A raw HTTP answer. */
export interface HttpReply {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
  /** The Mcp-Session-Id response header, when present. */
  readonly sessionId?: string;
}

type Json = unknown;

function isObject(v: Json): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Problems with one JSON-RPC message from the server, or undefined when it is well-formed. */
export function rpcProblem(message: Json): string | undefined {
  if (!isObject(message)) return `not a JSON object: ${preview(JSON.stringify(message))}`;
  if (message.jsonrpc !== '2.0') return 'jsonrpc is not "2.0"';
  if ('method' in message) {
    // A server notification or request (progress, logging): only the method must be a string.
    return typeof message.method === 'string' ? undefined : 'method is not a string';
  }
  const id = message.id;
  if (id !== null && typeof id !== 'string' && typeof id !== 'number') return 'id is not string/number/null';
  if ('error' in message === 'result' in message) return 'needs exactly one of result and error';
  if ('error' in message) {
    const error = message.error;
    if (!isObject(error)) return 'error is not an object';
    if (!Number.isInteger(error.code)) return `error.code is not an integer: ${String(error.code)}`;
    if (typeof error.message !== 'string') return 'error.message is not a string';
  } else if (!isObject(message.result)) return 'result is not an object';
  return undefined;
}

/** True when a JSON-RPC message is an error or a tool result flagged isError. */
export function isErrorReply(message: Json): boolean {
  if (!isObject(message)) return false;
  if ('error' in message) return true;
  return isObject(message.result) && message.result.isError === true;
}

/** The first ~160 characters of a text, for failure reports. */
export function preview(text: string | Buffer | undefined): string {
  const s = typeof text === 'string' ? text : (text?.toString('utf8') ?? '');
  return s.length > 160 ? `${s.slice(0, 160)}… (${s.length} chars)` : s;
}

/** Messages of an SSE body (each `data:` line that is not empty). */
function sseMessages(text: string): Json[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('data:') && line.slice(5).trim() !== '')
    .map((line) => JSON.parse(line.slice(5).trim()) as Json);
}

/** Outcome label of an HTTP reply (for the distribution report) and its problem, if any. */
export function checkHttpReply(c: FuzzCase, reply: HttpReply): { outcome: string; problem?: string } {
  const { status } = reply;
  const text = reply.body.toString('utf8');
  if (status >= 500 && status !== 503)
    return { outcome: `${status}`, problem: `HTTP ${status}: ${preview(text)}` };
  if (status < 200 || (status >= 300 && status < 400))
    return { outcome: `${status}`, problem: `HTTP ${status}` };
  if (status === 202) {
    const legacyAck = c.target === 'http-legacy' && text === 'Accepted';
    if (text !== '' && !legacyAck) return { outcome: '202', problem: `202 with a body: ${preview(text)}` };
    // Legacy /messages answers on the stream; elsewhere 202 means notifications only.
    if (c.expectError && c.target !== 'http-legacy')
      return { outcome: '202', problem: 'a certain error got 202' };
    return { outcome: '202' };
  }
  let messages: Json[];
  try {
    if (reply.contentType.includes('text/event-stream')) messages = sseMessages(text);
    else if (reply.contentType.includes('application/json')) messages = [JSON.parse(text) as Json];
    else return { outcome: `${status}`, problem: `HTTP ${status} ${reply.contentType}: ${preview(text)}` };
  } catch {
    return { outcome: `${status}`, problem: `HTTP ${status} body is not JSON: ${preview(text)}` };
  }
  if (c.target === 'http-tool-api') return checkToolApi(c, status, messages[0]);
  const flat = messages.flatMap((m) => (Array.isArray(m) ? (m as Json[]) : [m]));
  for (const m of flat) {
    const problem = rpcProblem(m);
    if (problem) return { outcome: `${status}`, problem: `HTTP ${status}: ${problem}: ${preview(text)}` };
  }
  const errors = flat.filter(isErrorReply);
  const first = errors[0];
  const code = isObject(first) && isObject(first.error) ? ` ${String(first.error.code)}` : ' isError';
  const outcome = `${status}${errors.length > 0 ? code : ' ok'}`;
  if (c.expectError && status < 400 && errors.length === 0)
    return { outcome, problem: `a certain error was accepted: ${preview(text)}` };
  return { outcome };
}

function checkToolApi(c: FuzzCase, status: number, body: Json): { outcome: string; problem?: string } {
  if (status === 200) {
    if (!isObject(body) || !Array.isArray(body.content))
      return { outcome: '200', problem: 'no content array' };
    const outcome = body.isError === true ? '200 isError' : '200 ok';
    if (c.expectError && body.isError !== true) return { outcome, problem: 'a certain error was accepted' };
    return { outcome };
  }
  const error = isObject(body) ? body.error : undefined;
  if (!isObject(error) || typeof error.code !== 'string' || typeof error.message !== 'string')
    return { outcome: `${status}`, problem: `HTTP ${status} without {error:{code,message}}` };
  return { outcome: `${status} ${error.code}` };
}

/**
 * Follows one stream of server messages (a WebSocket or a legacy SSE stream): checks each, wakes
 * whoever waits for an id, and remembers request ids that must be answered with an error.
 */
export class ReplyLedger {
  readonly problems: string[] = [];
  /** Parse errors (-32700) received so far. */
  parseErrors = 0;
  private readonly waiters = new Map<string | number, (message: Record<string, unknown>) => void>();
  private readonly mustFail = new Map<string | number, number>();

  constructor(private readonly label: string) {}

  /** Feeds one raw message text from the server. */
  receive(text: string): void {
    let message: Json;
    try {
      message = JSON.parse(text) as Json;
    } catch {
      this.problems.push(`${this.label}: a message that is not JSON: ${preview(text)}`);
      return;
    }
    const problem = rpcProblem(message);
    if (problem) {
      this.problems.push(`${this.label}: ${problem}: ${preview(text)}`);
      return;
    }
    const m = message as Record<string, unknown>;
    if (isObject(m.error) && m.error.code === -32700) this.parseErrors++;
    const id = m.id;
    if (typeof id !== 'string' && typeof id !== 'number') return;
    const caseIndex = this.mustFail.get(id);
    if (caseIndex !== undefined) {
      this.mustFail.delete(id);
      if (!isErrorReply(m))
        this.problems.push(`${this.label}: case ${caseIndex} was accepted: ${preview(text)}`);
    }
    const waiter = this.waiters.get(id);
    if (waiter) {
      this.waiters.delete(id);
      waiter(m);
    }
  }

  /** Records that the request `id` sent by case `index` must be answered with an error. */
  expectErrorFor(id: string | number, index: number): void {
    this.mustFail.set(id, index);
  }

  /** Resolves with the message answering `id`, or undefined after `timeoutMs`. */
  waitFor(id: string | number, timeoutMs: number): Promise<Record<string, unknown> | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(id);
        resolve(undefined);
      }, timeoutMs);
      this.waiters.set(id, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
    });
  }

  /** Cases whose certain error has not arrived (call after the stream is quiet). */
  unanswered(): number[] {
    return [...this.mustFail.values()];
  }
}

/** The string/number id of a payload that parses as a JSON-RPC request, if any. */
export function requestIdOf(payload: string | Buffer): string | number | undefined {
  try {
    const value = JSON.parse(payload.toString()) as Json;
    if (!isObject(value) || typeof value.method !== 'string') return undefined;
    return typeof value.id === 'string' || typeof value.id === 'number' ? value.id : undefined;
  } catch {
    return undefined;
  }
}
