/**
 * SYSTEM$WAIT in a column default (`colG STRING DEFAULT SYSTEM$WAIT(10, 'MILLISECONDS')`): Snowflake
 * evaluates the default once per inserted row, so an INSERT that leaves such a column out takes
 * that long per row, and can be cancelled meanwhile (tests rely on it to cancel a slow insert).
 * DuckDB's SYSTEM$WAIT macro only answers the text; the wait happens here, before the insert runs,
 * abortable by the statement's signal, so a cancelled insert leaves no rows.
 */
import type { WireBinding } from '../engine-types.js';
import type { StatementContext } from './context.js';
import { qualifiedName } from './object-names.js';
import { statementCancelled } from './sql-errors.js';
import { identName, isSignificant, splitTopLevelCommas, type Token } from './tokenizer.js';

const WAIT_DEFAULT = /system\$wait"?\s*\(\s*(\d+(?:\.\d+)?)\s*(?:,\s*'(\w+)')?\s*\)/i;

function unitMs(unit: string | undefined): number {
  const u = (unit ?? 'SECONDS').toUpperCase();
  if (u.startsWith('MILLI')) return 1;
  if (u.startsWith('MIN')) return 60_000;
  if (u.startsWith('HOUR')) return 3_600_000;
  return 1000;
}

/** Rows an INSERT adds, as far as the text tells: array binds, VALUES tuples, else one. */
function rowCount(sig: readonly Token[], bindings: Record<string, WireBinding> | undefined): number {
  for (const bind of Object.values(bindings ?? {})) if (Array.isArray(bind.value)) return bind.value.length;
  const values = sig.findIndex((t) => t.kind === 'word' && t.text.toUpperCase() === 'VALUES');
  if (values < 0) return 1;
  return splitTopLevelCommas(sig.slice(values + 1)).length;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason instanceof Error ? signal.reason : statementCancelled());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Before an INSERT: waits as long as the SYSTEM$WAIT defaults of the columns it leaves out take
 * for its rows. Costs one catalog lookup (the engine calls it only once some table was created
 * with such a default).
 */
export async function waitForDefaults(
  ctx: StatementContext,
  tokens: readonly Token[],
  bindings: Record<string, WireBinding> | undefined,
): Promise<void> {
  const sig = tokens.filter(isSignificant);
  if (sig[1]?.text.toUpperCase() !== 'INTO') return;
  const { parts, next } = qualifiedName(sig, 2);
  const table = parts.at(-1);
  if (!table) return;
  const schema = parts.length >= 2 ? parts.at(-2)! : ctx.session.schema;
  const database = parts.length >= 3 ? parts.at(-3)! : ctx.session.database;
  if (!schema || !database) return;
  let named: Set<string> | null = null;
  if (sig[next]?.text === '(') {
    const close = sig.findIndex((t, k) => k > next && t.text === ')');
    named = new Set(
      splitTopLevelCommas(sig.slice(next + 1, close)).map((col) => (col[0] ? identName(col[0]) : '')),
    );
  }
  const rows = await ctx.rows(
    `SELECT column_name, column_default FROM duckdb_columns()
      WHERE database_name = $1 AND schema_name = $2 AND table_name = $3 AND column_default ILIKE '%system$wait%'`,
    [database, schema, table],
  );
  let perRowMs = 0;
  for (const [column, expr] of rows) {
    if (named?.has(String(column))) continue;
    const m = WAIT_DEFAULT.exec(String(expr));
    if (m) perRowMs += Number(m[1]) * unitMs(m[2]);
  }
  if (perRowMs > 0) await sleep(perRowMs * rowCount(sig, bindings), ctx.signal);
}
