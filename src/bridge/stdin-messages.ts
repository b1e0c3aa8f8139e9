/**
 * Reading MCP messages off a desktop client's stdin for the `smcp stdio` bridge, by the rules the
 * SDK's StdioServerTransport applies in-process, so a client gets the same answers either way:
 * one JSON-RPC message per line (`\r\n` accepted); a line that is not JSON is skipped; JSON that
 * is not one JSON-RPC message (a batch, a bare value, a malformed envelope) is reported and
 * dropped; more than 10 MiB buffered without a complete line ends the connection. The checks mirror
 * the SDK's message schemas without loading them (zod), which keeps the bridge's start-up small.
 */

/** The SDK's stdio read-buffer limit (STDIO_DEFAULT_MAX_BUFFER_SIZE). */
export const STDIN_MAX_BUFFER_BYTES = 10 * 1024 * 1024;

/** A JSON-RPC request id. */
export type RequestId = string | number;

/** One JSON-RPC message as it travels (checked by {@link isJsonRpcMessage}). */
export interface JsonRpcMessage {
  readonly jsonrpc: '2.0';
  readonly id?: RequestId;
  readonly method?: string;
  readonly params?: Record<string, unknown>;
  readonly result?: Record<string, unknown>;
  readonly error?: { readonly code: number; readonly message: string; readonly data?: unknown };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is RequestId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));
}

function onlyKeys(value: Record<string, unknown>, allowed: readonly string[]): boolean {
  return Object.keys(value).every((key) => allowed.includes(key));
}

/** `params` as the SDK takes it: absent, or an object whose `_meta` (if any) is an object with a valid progress token. */
function validParams(params: unknown): boolean {
  if (params === undefined) return true;
  if (!isObject(params)) return false;
  const meta = params._meta;
  if (meta === undefined) return true;
  if (!isObject(meta)) return false;
  return meta.progressToken === undefined || isId(meta.progressToken);
}

/** True when `value` is one JSON-RPC 2.0 request, notification, result or error (as the SDK's schema says). */
export function isJsonRpcMessage(value: unknown): value is JsonRpcMessage {
  if (!isObject(value) || value.jsonrpc !== '2.0') return false;
  if (typeof value.method === 'string') {
    if (!validParams(value.params)) return false;
    if ('id' in value) return isId(value.id) && onlyKeys(value, ['jsonrpc', 'id', 'method', 'params']);
    return onlyKeys(value, ['jsonrpc', 'method', 'params']);
  }
  if ('result' in value)
    return isId(value.id) && isObject(value.result) && onlyKeys(value, ['jsonrpc', 'id', 'result']);
  if ('error' in value) {
    const error = value.error;
    if (value.id !== undefined && !isId(value.id)) return false;
    if (!isObject(error) || typeof error.code !== 'number' || !Number.isInteger(error.code)) return false;
    return typeof error.message === 'string' && onlyKeys(value, ['jsonrpc', 'id', 'error']);
  }
  return false;
}

/** Splits stdin chunks into messages. */
export class StdinMessages {
  private buffer: Buffer | undefined;

  /**
   * @param onMessage gets each message, in order.
   * @param onInvalid gets a reason for each JSON line that is not a JSON-RPC message.
   */
  constructor(
    private readonly onMessage: (message: JsonRpcMessage) => void,
    private readonly onInvalid: (reason: string) => void,
  ) {}

  /** Takes a chunk; throws (and forgets what it held) once more than the limit waits for a newline. */
  append(chunk: Buffer): void {
    if ((this.buffer?.length ?? 0) + chunk.length > STDIN_MAX_BUFFER_BYTES) {
      this.buffer = undefined;
      throw new Error(`ReadBuffer exceeded maximum size of ${STDIN_MAX_BUFFER_BYTES} bytes`);
    }
    this.buffer = this.buffer ? Buffer.concat([this.buffer, chunk]) : chunk;
    this.drain();
  }

  private drain(): void {
    while (this.buffer) {
      const index = this.buffer.indexOf(10);
      if (index === -1) return;
      const line = this.buffer.toString('utf8', 0, index).replace(/\r$/, '');
      this.buffer = this.buffer.subarray(index + 1);
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        continue; // As in-process: a line that is not JSON is skipped without an answer.
      }
      if (isJsonRpcMessage(parsed)) this.onMessage(parsed);
      else this.onInvalid(Array.isArray(parsed) ? 'a JSON-RPC batch' : 'JSON that is not a JSON-RPC message');
    }
  }
}
