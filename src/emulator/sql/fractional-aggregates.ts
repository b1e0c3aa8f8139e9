/**
 * Aggregates whose Snowflake result keeps a fraction that DuckDB's would drop or float:
 * - MEDIAN(x) and PERCENTILE_CONT(p) WITHIN GROUP (ORDER BY x) of a fixed-point x answer a NUMBER
 *   of x's scale plus 3 (MEDIAN of 1, 2, 3, 4 is 2.500). DuckDB keeps a DECIMAL's own type, so an
 *   INT column (DECIMAL(38,0) here) would give 2; the argument is widened by `* 1.000` first, which
 *   is exact, adds 3 to the scale and leaves a float a float. Past scale 34 (where 3 more would
 *   not fit) the argument is first rounded to 34 digits.
 * - AVG(x) of a fixed-point x answers a NUMBER of x's scale plus 6 up to 12, never less than x's
 *   (AVG of 1, 2, 2 is 1.666667), the scale Snowflake's division gives; so do VARIANCE, VAR_SAMP
 *   and VAR_POP (VARIANCE of 1, -1, 1, -1, -1 is 1.200000). DuckDB answers a DOUBLE. The result
 *   is DuckDB's double, given that type (divisionScaleOf, named in a CASE that is never true, so
 *   it is not computed): exact to about 15 significant digits, like the emulator's division.
 * PERCENTILE_DISC answers one of the values, so its type is x's own: DuckDB already does that.
 * As window functions (`… OVER (…)`) the rewritten calls keep their window.
 */
import type { AggregateRewrite, TypeReader } from './cast-types.js';

/** `x` with 3 more digits of scale (at most 37), exactly; a float stays a float. */
function scalePlus3(x: string): string {
  return `round(${x}, 34) * 1.000`;
}

/**
 * An expression of the type max(s, min(s + 6, 12)) for `x` of scale s: round(…, 6) keeps at most
 * 6 digits of scale, `* 1.000000` adds 6, and adding `x * 0` raises it to s when s is more.
 */
function divisionScaleOf(x: string): string {
  return `round(${x}, 6) * 1.000000 + ${x} * 0`;
}

/** Aggregates whose fixed-point result has the division scale (divisionScaleOf), by their DuckDB names. */
const SCALE_PLUS_6_AGGREGATES: Readonly<Record<string, string>> = {
  AVG: 'avg',
  VARIANCE: 'var_samp',
  VAR_SAMP: 'var_samp',
  VARIANCE_SAMP: 'var_samp',
  VAR_POP: 'var_pop',
  VARIANCE_POP: 'var_pop',
};

/** The window after `from` (`OVER (…)` or `OVER name`) as [DuckDB SQL, index after it], or null. */
export function windowAt(w: TypeReader, from: number, to: number): [string, number] | null {
  const over = w.nextSig(from - 1);
  if (over >= to || w.upper(over) !== 'OVER') return null;
  const spec = w.nextSig(over);
  if (spec >= to) return null;
  const end = w.text(spec) === '(' ? w.closeOf(spec) + 1 : spec + 1;
  return [` ${w.emit(over, end).trim()}`, end];
}

/**
 * The ordering key of a WITHIN GROUP (ORDER BY key [ASC|DESC] [NULLS …]) after `close`, whether it
 * descends, and the index after the clause; null when there is no such clause of one key.
 */
function withinGroupKey(
  w: TypeReader,
  close: number,
  to: number,
): { key: string; descending: boolean; end: number } | null {
  const within = w.nextSig(close);
  const group = w.nextSig(within);
  const open = w.nextSig(group);
  const order = w.nextSig(open);
  const by = w.nextSig(order);
  const shaped =
    within < to &&
    w.upper(within) === 'WITHIN' &&
    w.upper(group) === 'GROUP' &&
    w.text(open) === '(' &&
    w.upper(order) === 'ORDER' &&
    w.upper(by) === 'BY';
  if (!shaped) return null;
  const end = w.closeOf(open);
  // Anything else (several keys, an unclosed clause) is left to DuckDB to refuse.
  if (end >= to || w.args(by, end).length !== 1) return null;
  const trailing = new Set(['ASC', 'DESC', 'NULLS', 'FIRST', 'LAST']);
  let keyEnd = end;
  let descending = false;
  for (let k = w.prevSig(end); k > by && trailing.has(w.upper(k)); k = w.prevSig(k)) {
    keyEnd = k;
    if (w.upper(k) === 'DESC') descending = true;
  }
  return { key: w.emit(by + 1, keyEnd).trim(), descending, end: end + 1 };
}

/**
 * MEDIAN, PERCENTILE_CONT (with its WITHIN GROUP), AVG or a variance called at `open`..`close` as DuckDB SQL
 * with Snowflake's result type, and the index after what it consumed (a window with AVG); null for
 * other functions and for forms left to DuckDB as they are (FILTER, DISTINCT in MEDIAN, no argument).
 */
export const rewriteFractionalAggregate: AggregateRewrite = (w, name, open, close, to) => {
  const sixMore = SCALE_PLUS_6_AGGREGATES[name];
  if (name !== 'MEDIAN' && name !== 'PERCENTILE_CONT' && sixMore === undefined) return null;
  const ranges = w.args(open, close);
  const first = ranges[0];
  if (!first || ranges.length !== 1) return null;
  const after = w.nextSig(close);
  if (after < to && w.upper(after) === 'FILTER') return null;
  const argument = w.emit(first[0], first[1]).trim();
  if (name === 'MEDIAN') {
    if (/^distinct\b/i.test(argument)) return null;
    return [`median(${scalePlus3(`(${argument})`)})`, close + 1];
  }
  if (name === 'PERCENTILE_CONT') {
    // DuckDB's quantile_cont is also a window function, where its WITHIN GROUP form is not; a
    // descending order asks for the mirrored fraction (NULLs are left out either way).
    const within = withinGroupKey(w, close, to);
    if (!within) return null;
    const fraction = within.descending ? `1 - (${argument})` : argument;
    return [`quantile_cont(${scalePlus3(`(${within.key})`)}, ${fraction})`, within.end];
  }
  const window = windowAt(w, close + 1, to);
  const over = window ? window[0] : '';
  const end = window ? window[1] : close + 1;
  const template = `CASE WHEN false THEN ${divisionScaleOf(`sum(${argument})${over}`)} END`;
  // Through the double's shortest text: a double cast straight to a fine scale would show its
  // binary error in the last digits (0.1875 as 0.18749999999999997…).
  return [`cast_to_type(CAST(${sixMore}(${argument})${over} AS VARCHAR), ${template})`, end];
};
