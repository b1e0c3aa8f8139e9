/**
 * The daemon's endpoint file (`endpoint.json` in the private runtime dir, mode 0600): where the
 * running daemon serves MCP over HTTP and the bearer token it requires, for `smcp stdio` to bridge
 * desktop clients to it. The daemon writes it once it serves and removes it when it stops; readers
 * trust it only while the pid it names is a live smcp process. Light on imports (node:fs and the
 * pidfile helpers), so a bridged `smcp stdio` starts fast.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { checkPrivateDir } from '../config/private-dir.js';
import { looksLikeSmcp, processExists } from './pidfile.js';

/** What the endpoint file says. */
export interface DaemonEndpoint {
  readonly pid: number;
  /** The MCP endpoint, `http://127.0.0.1:PORT/mcp`. */
  readonly mcp: string;
  /** The connection the daemon serves (its name, or `emulator`). */
  readonly connection: string;
  /** The bearer token the daemon requires, when it has one (the file is the user's alone). */
  readonly token?: string;
}

/** Writes `endpoint` to `file` (0600, replaced atomically so a reader never sees half of it). */
export function writeEndpointFile(file: string, endpoint: DaemonEndpoint): void {
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(endpoint)}\n`, { mode: 0o600 });
  renameSync(partial, file);
}

/** Removes `file` when it is this process's. */
export function removeEndpointFile(file: string): void {
  if (readRaw(file)?.pid === process.pid) rmSync(file, { force: true });
}

/**
 * The endpoint of the daemon running now, or undefined: no file, a file that does not parse, a
 * runtime dir that is not private, or a pid that is no live smcp process (a daemon killed hard).
 */
export function readEndpointFile(file: string): DaemonEndpoint | undefined {
  try {
    checkPrivateDir(dirname(file));
  } catch {
    return undefined;
  }
  const endpoint = readRaw(file);
  if (!endpoint || !processExists(endpoint.pid) || !looksLikeSmcp(endpoint.pid)) return undefined;
  return endpoint;
}

function readRaw(file: string): DaemonEndpoint | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { pid, mcp, connection, token } = parsed as Record<string, unknown>;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return undefined;
  // Only a loopback URL: the file must never send a client's traffic off the machine.
  if (typeof mcp !== 'string' || !/^http:\/\/(127\.0\.0\.1|\[::1\]):\d+\/mcp$/.test(mcp)) return undefined;
  if (typeof connection !== 'string') return undefined;
  if (token !== undefined && typeof token !== 'string') return undefined;
  return { pid, mcp, connection, ...(token !== undefined ? { token } : {}) };
}
