/**
 * The cost guard's running totals per client: bytes its reads were estimated to scan (all time and
 * within the rolling window that the per-client budget counts) and reads refused. Bounded: a client
 * keeps at most one window entry per 1/BUCKETS of the window (reads close together share one, which
 * leaves the window with the last of them: the window errs long by at most that much), and the
 * ledger at most MAX_CLIENTS clients (the one idle longest is forgotten first).
 */

/** Clients the ledger remembers at most. */
const MAX_CLIENTS = 10_000;
/** Window entries one client keeps at most (one per slice of the window). */
const BUCKETS = 60;

/** One client's totals, as /status shows them. */
export interface ClientCostTotals {
  /** A short, non-secret label of the client (transport and a prefix of its id or owner). */
  readonly client: string;
  /** Bytes of reads admitted, by Snowflake's estimates, since the daemon started. */
  readonly estimatedBytes: number;
  /** Bytes admitted within the rolling window (what the per-client budget counts). */
  readonly windowBytes: number;
  readonly reads: number;
  readonly refusals: number;
}

interface Entry {
  /** When its first read was admitted. */
  first: number;
  /** When its last read was admitted: the entry leaves the window a window after this. */
  at: number;
  bytes: number;
}

interface Account {
  label: string;
  total: number;
  reads: number;
  refusals: number;
  window: Entry[];
}

/** Totals per client over a rolling window of `windowMs`. */
export class CostLedger {
  private readonly accounts = new Map<string, Account>();

  constructor(
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Bytes `client` was admitted for within the window. */
  windowBytes(client: string): number {
    const account = this.accounts.get(client);
    if (!account) return 0;
    this.expire(account);
    return account.window.reduce((sum, e) => sum + e.bytes, 0);
  }

  /** Records an admitted read of `bytes` for `client` (labelled `label` in views). */
  admit(client: string, label: string, bytes: number): void {
    const account = this.account(client, label);
    account.total += bytes;
    account.reads++;
    this.expire(account);
    const now = this.now();
    const last = account.window[account.window.length - 1];
    if (last && now - last.first < this.windowMs / BUCKETS) {
      last.bytes += bytes;
      last.at = now;
    } else {
      account.window.push({ first: now, at: now, bytes });
    }
  }

  /** Records a refused read for `client`. */
  refuse(client: string, label: string): void {
    this.account(client, label).refusals++;
  }

  /** Every remembered client's totals, the largest window first. */
  snapshot(): ClientCostTotals[] {
    const rows: ClientCostTotals[] = [];
    for (const [key, account] of this.accounts) {
      rows.push({
        client: account.label,
        estimatedBytes: account.total,
        windowBytes: this.windowBytes(key),
        reads: account.reads,
        refusals: account.refusals,
      });
    }
    return rows.sort((a, b) => b.windowBytes - a.windowBytes || b.estimatedBytes - a.estimatedBytes);
  }

  private account(client: string, label: string): Account {
    let account = this.accounts.get(client);
    if (account) {
      // Re-inserted so the map's order stays least recently seen first.
      this.accounts.delete(client);
    } else {
      account = { label, total: 0, reads: 0, refusals: 0, window: [] };
      if (this.accounts.size >= MAX_CLIENTS) {
        const oldest = this.accounts.keys().next().value;
        if (oldest !== undefined) this.accounts.delete(oldest);
      }
    }
    this.accounts.set(client, account);
    return account;
  }

  private expire(account: Account): void {
    const since = this.now() - this.windowMs;
    let drop = 0;
    while (drop < account.window.length && (account.window[drop]?.at ?? 0) <= since) drop++;
    if (drop > 0) account.window.splice(0, drop);
  }
}
