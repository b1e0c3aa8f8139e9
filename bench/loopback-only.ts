/**
 * Preloaded (`--import`) into a peer server the benchmark runs but does not control: every
 * net.Server listen that would bind all interfaces (`0.0.0.0`, `::` or no host) binds 127.0.0.1
 * instead. @bytebase/dbhub 0.21.2 hard-codes `listen(port, "0.0.0.0")` and has no host flag;
 * nothing the benchmark starts may listen beyond loopback.
 */
import { Server } from 'node:net';

const WILDCARDS = new Set(['0.0.0.0', '::', '']);
// Called with the server as `this` below, never detached from it.
// eslint-disable-next-line @typescript-eslint/unbound-method
const original = Server.prototype.listen;

function loopbackArgs(args: unknown[]): unknown[] {
  const [first, second] = args;
  if (typeof first === 'object' && first !== null && !('_handle' in first)) {
    const options = first as { host?: string; path?: string };
    if (options.path !== undefined) return args;
    if (options.host === undefined || WILDCARDS.has(options.host))
      return [{ ...options, host: '127.0.0.1' }, ...args.slice(1)];
    return args;
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof second === 'string')
      return WILDCARDS.has(second) ? [first, '127.0.0.1', ...args.slice(2)] : args;
    return [first, '127.0.0.1', ...args.slice(1)];
  }
  return args;
}

Server.prototype.listen = function listen(this: Server, ...args: unknown[]): Server {
  return (original as (...a: unknown[]) => Server).apply(this, loopbackArgs(args));
} as typeof Server.prototype.listen;
