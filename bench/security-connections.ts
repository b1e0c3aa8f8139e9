/**
 * What the local-user check costs per new connection: the daemon's CPU per connection that carries
 * one cheap authenticated request (`GET /mcp/tools`, `Connection: close`), on a daemon without a
 * token (every new loopback connection's owner is looked up in /proc/net/tcp{,6}) and on one with
 * a bearer token (the token identifies the client; /proc is not read). Cells run in interleaved
 * rounds, with and without extra idle connections held open (the kernel table the check reads
 * grows with every socket in this network namespace, the client's end and the daemon's).
 *
 * Connections are made one at a time, so every one pays its own table read (a burst shares one).
 * After the daemon's answer and its FIN the client resets the socket: no TIME_WAIT entry stays
 * behind to grow the table between cells, so each cell's table holds the sockets really open
 * (a client churning N connections/s would leave about 60·N TIME_WAIT lines in it).
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { median, round } from './measure.js';
import { cpuTimesOf } from './proc-stats.js';

/** A daemon under test: its PID (for CPU), port, and the headers its clients add. */
export interface ConnectionTarget {
  readonly name: 'check' | 'token';
  readonly pid: number;
  readonly port: number;
  readonly headers: Readonly<Record<string, string>>;
}

/** How much to run. */
export interface ConnectionPlan {
  readonly connections: number;
  readonly rounds: number;
  readonly idleSockets: number;
  readonly warmup: number;
  readonly log: (line: string) => void;
}

/** One cell's figures. */
export interface CellFigures {
  readonly cpuUsPerConnection: number;
  /** The part of it spent in the kernel (system time: reading /proc, sockets). */
  readonly systemUsPerConnection: number;
  readonly wallUsPerConnection: number;
  /** Lines (sockets) in /proc/net/tcp + tcp6, median of readings taken during the cell. */
  readonly tableLines: number;
}

/** Medians over the rounds of one kind of cell, and every round's figures. */
export interface CellSummary extends CellFigures {
  readonly rounds: CellFigures[];
}

/** What runConnectionCost reports. */
export interface ConnectionCostResult {
  readonly connectionsPerCell: number;
  readonly rounds: number;
  readonly idleSockets: number;
  readonly idleDropped: number;
  readonly check: CellSummary;
  readonly token: CellSummary;
  readonly checkWithIdle: CellSummary;
  readonly tokenWithIdle: CellSummary;
  /** check − token, CPU µs per connection (medians). */
  readonly checkCostUs: number;
  readonly checkCostWithIdleUs: number;
  /** Extra CPU µs per connection per 1,000 more table lines, from the two differences. */
  readonly usPer1000Lines: number;
}

/** Sockets (lines after the headers) in this network namespace's TCP tables. */
export function tcpTableLines(): number {
  let lines = 0;
  for (const path of ['/proc/net/tcp', '/proc/net/tcp6']) {
    try {
      lines += readFileSync(path, 'utf8').trimEnd().split('\n').length - 1;
    } catch {
      // no IPv6 table
    }
  }
  return lines;
}

/** One connection, one `GET /mcp/tools`, the daemon's close, then a reset. Rejects unless 200. */
function oneConnection(target: ConnectionTarget): Promise<void> {
  return new Promise((resolve, reject) => {
    // Half-open allowed: no FIN of ours goes out before the reset.
    const socket = connect({ host: '127.0.0.1', port: target.port, allowHalfOpen: true });
    let head = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.once('error', reject);
    socket.on('data', (chunk: Buffer) => {
      if (head.length < 16) head += chunk.toString('latin1', 0, 16);
    });
    socket.once('end', () => {
      socket.resetAndDestroy();
      if (head.startsWith('HTTP/1.1 200')) resolve();
      else reject(new Error(`GET /mcp/tools on the ${target.name} daemon answered ${head.split('\r')[0]}`));
    });
    const extra = Object.entries(target.headers).map(([k, v]) => `${k}: ${v}\r\n`);
    socket.write(
      `GET /mcp/tools HTTP/1.1\r\nHost: 127.0.0.1:${target.port}\r\n${extra.join('')}Connection: close\r\n\r\n`,
    );
  });
}

/** `count` connections one after another; the table is read every `count / 5` connections. */
async function connections(target: ConnectionTarget, count: number, lines: number[]): Promise<void> {
  const every = Math.max(1, Math.floor(count / 5));
  for (let i = 0; i < count; i++) {
    if (i % every === 0) lines.push(tcpTableLines());
    await oneConnection(target);
  }
}

async function measureCell(target: ConnectionTarget, count: number): Promise<CellFigures> {
  const lines: number[] = [];
  const cpu0 = cpuTimesOf(target.pid);
  const t0 = performance.now();
  await connections(target, count, lines);
  const wall = performance.now() - t0;
  const cpu1 = cpuTimesOf(target.pid);
  const perConnection = (seconds: number): number => round((seconds * 1e6) / count, 0);
  return {
    cpuUsPerConnection: perConnection(cpu1.user + cpu1.system - cpu0.user - cpu0.system),
    systemUsPerConnection: perConnection(cpu1.system - cpu0.system),
    wallUsPerConnection: round((wall * 1000) / count, 0),
    tableLines: median(lines),
  };
}

/** Idle connections held open to a daemon, and how many it dropped while they were held. */
interface IdleSockets {
  readonly dropped: () => number;
  close(): void;
}

async function openIdle(port: number, count: number): Promise<IdleSockets> {
  const sockets: Socket[] = [];
  let dropped = 0;
  let closing = false;
  const open = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port });
      sockets.push(socket);
      socket.once('connect', () => resolve());
      socket.once('error', reject);
      socket.once('close', () => {
        if (!closing) dropped++;
      });
    });
  const close = (): void => {
    closing = true;
    for (const s of sockets) s.resetAndDestroy();
  };
  try {
    for (let i = 0; i < count; i += 100)
      await Promise.all(Array.from({ length: Math.min(100, count - i) }, open));
  } catch (error) {
    close();
    throw error;
  }
  // Let the daemon accept them all before its CPU is read.
  await new Promise((r) => setTimeout(r, 300));
  return { dropped: () => dropped, close };
}

function summary(cells: CellFigures[]): CellSummary {
  return {
    cpuUsPerConnection: median(cells.map((c) => c.cpuUsPerConnection)),
    systemUsPerConnection: median(cells.map((c) => c.systemUsPerConnection)),
    wallUsPerConnection: median(cells.map((c) => c.wallUsPerConnection)),
    tableLines: median(cells.map((c) => c.tableLines)),
    rounds: cells,
  };
}

/** Runs the interleaved rounds on the two daemons (both running); opens and closes its own sockets. */
export async function runConnectionCost(
  check: ConnectionTarget,
  token: ConnectionTarget,
  plan: ConnectionPlan,
): Promise<ConnectionCostResult> {
  for (const target of [check, token]) await connections(target, plan.warmup, []);
  const cells = { check: [], token: [], checkWithIdle: [], tokenWithIdle: [] } as Record<
    'check' | 'token' | 'checkWithIdle' | 'tokenWithIdle',
    CellFigures[]
  >;
  let idleDropped = 0;
  for (let r = 0; r < plan.rounds; r++) {
    // Alternate which daemon goes first, so drift in the machine's load falls on both.
    const order = r % 2 === 0 ? [check, token] : [token, check];
    for (const target of order) cells[target.name].push(await measureCell(target, plan.connections));
    for (const target of [...order].reverse()) {
      const idle = await openIdle(target.port, plan.idleSockets);
      try {
        cells[`${target.name}WithIdle`].push(await measureCell(target, plan.connections));
      } finally {
        idleDropped += idle.dropped();
        idle.close();
      }
    }
    const last = (k: keyof typeof cells): number => cells[k][r].cpuUsPerConnection;
    plan.log(
      `  round ${r + 1}/${plan.rounds}: µs CPU per connection: check ${last('check')}, token ${last('token')}, ` +
        `check + ${plan.idleSockets} idle ${last('checkWithIdle')}, token + idle ${last('tokenWithIdle')}`,
    );
  }
  const s = {
    check: summary(cells.check),
    token: summary(cells.token),
    checkWithIdle: summary(cells.checkWithIdle),
    tokenWithIdle: summary(cells.tokenWithIdle),
  };
  const checkCostUs = round(s.check.cpuUsPerConnection - s.token.cpuUsPerConnection, 0);
  const checkCostWithIdleUs = round(
    s.checkWithIdle.cpuUsPerConnection - s.tokenWithIdle.cpuUsPerConnection,
    0,
  );
  const moreLines = s.checkWithIdle.tableLines - s.check.tableLines;
  return {
    connectionsPerCell: plan.connections,
    rounds: plan.rounds,
    idleSockets: plan.idleSockets,
    idleDropped,
    ...s,
    checkCostUs,
    checkCostWithIdleUs,
    usPer1000Lines: moreLines > 0 ? round(((checkCostWithIdleUs - checkCostUs) * 1000) / moreLines, 0) : NaN,
  };
}
