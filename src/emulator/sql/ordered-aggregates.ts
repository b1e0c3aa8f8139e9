/**
 * ARRAY_AGG / ARRAYAGG and LISTAGG as Snowflake documents them, with or without
 * `WITHIN GROUP (ORDER BY …)` and DISTINCT. DuckDB writes the order inside the call
 * (`array_agg(x ORDER BY y)`), keeps NULL elements and answers NULL for no rows, and its LISTAGG
 * separates with ',' by default; Snowflake omits NULLs, answers [] (ARRAY_AGG) or '' (LISTAGG) for
 * no rows, and separates with '' when no delimiter is given. As window functions (`… OVER (…)`)
 * the call stays a bare aggregate so that OVER still applies to it.
 */
import { EmulatorSqlError } from '../engine-types.js';
import type { AggregateRewrite, TypeReader } from './cast-types.js';
import { isSignificant } from './tokenizer.js';
import type { Token } from './tokenizer.js';

const NAMES = new Set(['ARRAY_AGG', 'ARRAYAGG', 'LISTAGG']);

/** Whether token `i` is the GROUP of `WITHIN GROUP` (no GROUP BY clause, so no end of a select item). */
export function isWithinGroup(toks: readonly Token[], i: number): boolean {
  if (toks[i]?.text.toUpperCase() !== 'GROUP') return false;
  let k = i - 1;
  while (k >= 0 && !isSignificant(toks[k])) k--;
  return toks[k]?.kind === 'word' && toks[k]?.text.toUpperCase() === 'WITHIN';
}

function compilationError(message: string): EmulatorSqlError {
  return new EmulatorSqlError('002141', '42601', `SQL compilation error:\n${message}`);
}

/** The WITHIN GROUP clause after `close`: its ORDER BY items' range and the index after it. */
function withinGroupAt(
  w: TypeReader,
  name: string,
  close: number,
  to: number,
): { from: number; to: number; end: number } | null {
  const within = w.nextSig(close);
  if (within >= to || w.upper(within) !== 'WITHIN') return null;
  const group = w.nextSig(within);
  const open = w.nextSig(group);
  const order = w.nextSig(open);
  const by = w.nextSig(order);
  if (
    w.upper(group) !== 'GROUP' ||
    w.text(open) !== '(' ||
    w.upper(order) !== 'ORDER' ||
    w.upper(by) !== 'BY'
  )
    throw compilationError(`WITHIN GROUP of ${name} must be WITHIN GROUP (ORDER BY <expression>, …)`);
  const end = w.closeOf(open);
  if (end >= to) throw compilationError(`WITHIN GROUP of ${name} is not closed`);
  return { from: by + 1, to: end, end: end + 1 };
}

/** Token text of [from, to) without spaces or comments, upper-cased: equal for the same expression. */
function shape(w: TypeReader, from: number, to: number): string {
  return w.toks
    .slice(from, to)
    .filter(isSignificant)
    .map((t) => (t.kind === 'word' ? t.text.toUpperCase() : t.text))
    .join(' ');
}

/** The expressions of ORDER BY items in [from, to), without ASC/DESC/NULLS FIRST|LAST. */
function orderKeys(w: TypeReader, from: number, to: number): string[] {
  const trailing = new Set(['ASC', 'DESC', 'NULLS', 'FIRST', 'LAST']);
  return w.args(from - 1, to).map(([a, b]) => {
    let end = b;
    for (let k = w.prevSig(end); k >= a && trailing.has(w.upper(k)); k = w.prevSig(k)) end = k;
    return shape(w, a, end);
  });
}

/**
 * ARRAY_AGG/ARRAYAGG/LISTAGG called at `open`..`close` (and a WITHIN GROUP after it, before `to`)
 * as DuckDB SQL, with the index after what it consumed; null for other functions.
 */
export const rewriteOrderedAggregate: AggregateRewrite = (w, name, open, close, to) => {
  if (!NAMES.has(name)) return null;
  const ranges = w.args(open, close);
  const first = ranges[0];
  const listagg = name === 'LISTAGG';
  if (!first || ranges.length > (listagg ? 2 : 1))
    throw compilationError(`${name} takes ${listagg ? 'one or two arguments' : 'one argument'}`);
  const lead = w.nextSig(first[0] - 1);
  const distinct = w.upper(lead) === 'DISTINCT' && lead < first[1];
  const valueFrom = distinct ? lead + 1 : first[0];
  const value = w.emit(valueFrom, first[1]).trim();
  const within = withinGroupAt(w, name, close, to);
  let order = '';
  if (within) {
    if (distinct) {
      const arg = shape(w, valueFrom, first[1]);
      const bad = orderKeys(w, within.from, within.to).find((key) => key !== arg);
      if (bad !== undefined)
        throw compilationError(
          `[${bad}] is not a valid order by expression for ${name}(DISTINCT ${arg}): with DISTINCT, WITHIN GROUP may only order by the argument`,
        );
    }
    order = ` ORDER BY ${w.emit(within.from, within.to).trim()}`;
  }
  const end = within ? within.end : close + 1;
  const over = w.nextSig(end - 1);
  const windowed = over < to && w.upper(over) === 'OVER';
  const d = distinct ? 'DISTINCT ' : '';
  if (listagg) {
    const second = ranges[1];
    const delimiter = second ? w.emit(second[0], second[1]).trim() : "''";
    // string_agg skips NULLs itself.
    const agg = `string_agg(${d}${value}, ${delimiter}${order})`;
    return [windowed ? agg : `coalesce(${agg}, '')`, end];
  }
  const agg = `array_agg(${d}${value}${order}) FILTER (WHERE (${value}) IS NOT NULL)`;
  return [windowed ? agg : `coalesce(${agg}, [])`, end];
};
