/**
 * Snowflake's own estimate of what a read scans: `EXPLAIN USING JSON <statement>` compiles the
 * statement without running it (no warehouse time; a compile's cloud-services cost) and answers one
 * row whose text is `{"GlobalStats": {"partitionsTotal", "partitionsAssigned", "bytesAssigned"},
 * "Operations": [...]}`. bytesAssigned — the bytes of the micro-partitions left after compile-time
 * pruning — is the upper bound of what the statement reads, and what the cost guard budgets.
 */
import { SmcpError } from '../errors.js';
import type { QueryResult } from '../snowflake/client.js';
import type { JsonValue } from '../snowflake/serialize.js';

/** EXPLAIN's GlobalStats. */
export interface ScanEstimate {
  readonly partitionsTotal: number;
  readonly partitionsAssigned: number;
  readonly bytesAssigned: number;
}

/** Largest plan text read (a plan of a statement with hundreds of joins is a few MiB). */
export const PLAN_MAX_BYTES = 16 * 1024 * 1024;

/** The EXPLAIN statement that estimates `sql`. */
export function explainSql(sql: string): string {
  // A line feed, so a statement ending in a `--` comment cannot swallow anything after it.
  return `EXPLAIN USING JSON\n${sql}`;
}

function unreadable(why: string, queryId?: string): SmcpError {
  return new SmcpError(
    'SCAN_ESTIMATE_FAILED',
    `the cost guard could not read the scan estimate of EXPLAIN USING JSON: ${why}; the read did not run`,
    queryId ? { queryId } : {},
  );
}

function count(stats: Record<string, unknown>, key: keyof ScanEstimate, queryId: string): number {
  const value = stats[key];
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw unreadable(`GlobalStats.${key} is ${JSON.stringify(value) ?? 'missing'}`, queryId);
  }
  return n;
}

/**
 * The GlobalStats of an EXPLAIN USING JSON result. Throws SmcpError SCAN_ESTIMATE_FAILED when the
 * answer is not that shape (the guard denies on doubt).
 */
export function scanEstimateOf(result: QueryResult): ScanEstimate {
  const cell: JsonValue | undefined = result.rows[0]?.[0];
  if (result.cutValues?.length) throw unreadable('the plan is too long to read', result.queryId);
  let plan: unknown = cell;
  if (typeof cell === 'string') {
    try {
      plan = JSON.parse(cell);
    } catch {
      throw unreadable('the answer is not JSON', result.queryId);
    }
  }
  const stats =
    plan && typeof plan === 'object' && !Array.isArray(plan)
      ? (plan as Record<string, unknown>).GlobalStats
      : undefined;
  if (!stats || typeof stats !== 'object' || Array.isArray(stats)) {
    throw unreadable('the answer has no GlobalStats object', result.queryId);
  }
  const record = stats as Record<string, unknown>;
  return {
    partitionsTotal: count(record, 'partitionsTotal', result.queryId),
    partitionsAssigned: count(record, 'partitionsAssigned', result.queryId),
    bytesAssigned: count(record, 'bytesAssigned', result.queryId),
  };
}
