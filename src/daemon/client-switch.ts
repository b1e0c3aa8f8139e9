/**
 * The client the MCP layer and the health monitor hold: it forwards every call to the current data
 * path, so a reload can put a new pool (or a new connection altogether) in place without touching
 * sessions. Calls already running finish on the pool they started on; that pool is closed once it
 * has no borrowed connection left, or at a deadline.
 */
import type { QueryClient } from '../mcp/tool-types.js';
import type { HealthReport } from '../snowflake/client.js';
import type { PoolStats } from '../snowflake/pool.js';
import type { DataPath } from './data-path.js';
import type { HealthProbe } from './health-monitor.js';

/** How often a retiring pool is checked for borrowed connections. */
const RETIRE_POLL_MS = 50;

/** A QueryClient and HealthProbe over whichever data path is current. */
export class ClientSwitch implements QueryClient, HealthProbe {
  private path: DataPath;
  private readonly retiring = new Set<Promise<void>>();

  constructor(initial: DataPath) {
    this.path = initial;
  }

  /** The data path calls go to now. */
  get current(): DataPath {
    return this.path;
  }

  query: QueryClient['query'] = (request) => this.path.client.query(request);
  getResult: QueryClient['getResult'] = (queryId, offset, limit, options) =>
    this.path.client.getResult(queryId, offset, limit, options);
  queryStatus: QueryClient['queryStatus'] = (queryId) => this.path.client.queryStatus(queryId);

  /** Probes the current pool. */
  healthCheck(timeoutSeconds?: number): Promise<HealthReport> {
    return this.path.client.healthCheck(timeoutSeconds);
  }

  /** Pool figures of the current pool. */
  stats(): PoolStats {
    return this.path.client.stats();
  }

  /**
   * Makes `next` current at once and retires the previous data path in the background: closed once
   * nothing is borrowed from its pool, or after `graceMs` whatever runs. Resolves when it is closed.
   */
  swap(next: DataPath, graceMs: number): Promise<void> {
    const previous = this.path;
    this.path = next;
    const retired = retire(previous, graceMs).finally(() => this.retiring.delete(retired));
    this.retiring.add(retired);
    return retired;
  }

  /**
   * Retires the current data path as `swap` retires a previous one (a connection a reload removed):
   * calls running on it may finish for up to `graceMs`, then its pool closes. Resolves when closed.
   */
  retire(graceMs: number): Promise<void> {
    const retired = retire(this.path, graceMs).finally(() => this.retiring.delete(retired));
    this.retiring.add(retired);
    return retired;
  }

  /** Closes the current data path and waits for retiring ones. Idempotent. */
  async close(): Promise<void> {
    await Promise.allSettled([this.path.close(), ...this.retiring]);
  }
}

async function retire(path: DataPath, graceMs: number): Promise<void> {
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    const { borrowed, pending } = path.client.stats();
    if (borrowed === 0 && pending === 0) break;
    await new Promise((resolve) => setTimeout(resolve, RETIRE_POLL_MS).unref());
  }
  await path.close().catch(() => {});
}
