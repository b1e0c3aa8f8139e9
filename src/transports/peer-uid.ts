/**
 * Which local OS user is on the other end of a loopback TCP connection. Loopback is not a
 * security boundary on a shared machine: any user can connect to 127.0.0.1. On Linux the kernel
 * lists every TCP socket with its owner's uid in /proc/net/tcp and /proc/net/tcp6; the peer's
 * socket is the line whose local address is our remote address and whose remote address is our
 * local address. Elsewhere (or when /proc cannot be read) the answer is "unknown".
 *
 * Cost: one read of the table per burst of new connections (the parsed table is reused while it
 * still holds the connections asked about), one Map lookup per connection after that; the answer
 * is cached per socket, so keep-alive requests pay nothing.
 */
import { readFile } from 'node:fs/promises';
import type { Socket } from 'node:net';

/** The table lines that matter: "<local hex addr:port> <remote hex addr:port>" → uid. */
type SocketTable = Map<string, number>;

const TABLES = ['/proc/net/tcp', '/proc/net/tcp6'] as const;

/** /proc's address form: IPv4 as one little-endian word, IPv6 as four. Undefined when unparsable. */
export function procAddress(address: string, port: number): string | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/i.exec(address);
  if (v4) {
    const bytes = v4.slice(1, 5).map(Number);
    if (address.includes(':')) {
      // An IPv4-mapped IPv6 address lives in tcp6 as ::ffff:a.b.c.d.
      const words = ['00000000', '00000000', 'FFFF0000', wordLE(bytes)];
      return `${words.join('')}:${hexPort}`;
    }
    return `${wordLE(bytes)}:${hexPort}`;
  }
  if (address === '::1') return `${'00000000'.repeat(3)}01000000:${hexPort}`;
  return undefined;
}

function wordLE(bytes: number[]): string {
  return bytes
    .slice()
    .reverse()
    .map((b) => b.toString(16).toUpperCase().padStart(2, '0'))
    .join('');
}

/** Parses /proc/net/tcp{,6} text into "<local> <remote>" → uid. */
export function parseSocketTable(text: string, into: SocketTable = new Map()): SocketTable {
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const fields = lines[i].trim().split(/\s+/);
    // sl local rem st tx:rx tr:when retrnsmt uid …
    if (fields.length < 8) continue;
    const uid = Number(fields[7]);
    if (Number.isInteger(uid)) into.set(`${fields[1]} ${fields[2]}`, uid);
  }
  return into;
}

/**
 * One kernel table (/proc/net/tcp or tcp6), read on demand: concurrent lookups share a read, and
 * the last read is kept for lookups it can already answer. Each read costs kernel time that grows
 * with the TCP hash table (milliseconds), which is why only the table of the socket's family is read.
 */
class KernelTable {
  private table: SocketTable | undefined;
  /** The read in flight and when it started (a read that began before a connection misses it). */
  private reading: { readonly startedAt: number; readonly table: Promise<SocketTable> } | undefined;

  constructor(
    private readonly path: string,
    private readonly readTable: (path: string) => Promise<string>,
  ) {}

  /** The uid of `key`, from the kept table or from a read that started after `since`. */
  async uidOf(key: string, since: number): Promise<number | undefined> {
    const kept = this.table?.get(key);
    if (kept !== undefined) return kept;
    return (await this.readAfter(since)).get(key);
  }

  /**
   * The table as read by a read that started at or after `since` (the connection exists by then):
   * concurrent lookups share such a read; an older read in flight is waited out, then read again.
   */
  private async readAfter(since: number): Promise<SocketTable> {
    const current = this.reading;
    if (current && current.startedAt >= since) return current.table;
    if (current) await current.table.catch(() => undefined);
    // Another lookup may have started a fresh read while this one waited.
    if (this.reading && this.reading.startedAt >= since) return this.reading.table;
    const reading = { startedAt: performance.now(), table: this.read() };
    this.reading = reading;
    try {
      return await reading.table;
    } finally {
      if (this.reading === reading) this.reading = undefined;
    }
  }

  private async read(): Promise<SocketTable> {
    const text = await this.readTable(this.path).catch(() => '');
    this.table = parseSocketTable(text);
    return this.table;
  }
}

/** Looks up peers of loopback connections; one instance per listening server. */
export class PeerUidResolver {
  private readonly tables: Record<'tcp' | 'tcp6', KernelTable>;
  private readonly cache = new WeakMap<Socket, Promise<number | undefined>>();

  /** @param readTable how to read a table file (tests may pass their own). */
  constructor(readTable: (path: string) => Promise<string> = (p) => readFile(p, 'utf8')) {
    this.tables = { tcp: new KernelTable(TABLES[0], readTable), tcp6: new KernelTable(TABLES[1], readTable) };
  }

  /** True where the kernel tables can be read at all (Linux with /proc). */
  static supported(): boolean {
    return process.platform === 'linux';
  }

  /**
   * The uid owning the other end of `socket`, or undefined when it cannot be told (not loopback,
   * not Linux, /proc unreadable, the peer already gone). Cached per socket. Never rejects.
   */
  uidOf(socket: Socket): Promise<number | undefined> {
    let answer = this.cache.get(socket);
    if (!answer) {
      answer = this.lookup(socket).catch(() => undefined);
      this.cache.set(socket, answer);
    }
    return answer;
  }

  private async lookup(socket: Socket): Promise<number | undefined> {
    if (!PeerUidResolver.supported()) return undefined;
    const { remoteAddress, remotePort, localAddress, localPort } = socket;
    if (!remoteAddress || !remotePort || !localAddress || !localPort) return undefined;
    const peer = procAddress(remoteAddress, remotePort);
    const us = procAddress(localAddress, localPort);
    if (!peer || !us) return undefined; // not a loopback address we can match
    // An IPv4 socket is listed in tcp only, an IPv6 one (mapped addresses too) in tcp6 only.
    const table = localAddress.includes(':') ? this.tables.tcp6 : this.tables.tcp;
    return table.uidOf(`${peer} ${us}`, performance.now());
  }
}
