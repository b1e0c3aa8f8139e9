/**
 * SUM of fixed-point values within Snowflake's NUMBER(38, s). DuckDB adds DECIMAL(38, s) and
 * integer values in 128-bit integers without checking the 38 digits, and wraps around past 2^127:
 * two NUMBER(38,0) values of 99…9 (38 nines) sum to a negative number, a 38-digit sum plus one to
 * a 39-digit one. Snowflake fails such a sum with 100046 "Number out of representable range". So
 * SUM(x) is checked against a floating-point sum of the same values (which cannot wrap): a sum
 * whose magnitude reaches the 38 digits, or whose exact value has more integer digits than
 * NUMBER(38, s) holds, fails; every other sum is DuckDB's exact one. A floating-point SUM is left
 * as it is.
 */
import type { AggregateRewrite } from './cast-types.js';
import { windowAt } from './fractional-aggregates.js';

const FIT_MACRO = '_SMCP_SUM_FIT38';

/** The scale of `v`'s DuckDB type (0 for integers). */
const SCALE = `coalesce(TRY_CAST(regexp_extract(typeof(v), ',(\\d+)\\)', 1) AS INTEGER), 0)`;

/** `CREATE MACRO` statements for the check, run once when the engine starts. */
export const SUM_RANGE_MACROS: readonly string[] = [
  // v: DuckDB's exact sum; d: the same sum in double precision. Far below the limit (the usual
  // case) the answer is v without looking at its digits.
  `CREATE MACRO ${FIT_MACRO}(v, d) AS CASE
     WHEN v IS NULL OR NOT regexp_matches(typeof(v), '^(DECIMAL|HUGEINT|BIGINT|INTEGER|SMALLINT|TINYINT)')
       THEN v
     WHEN abs(d) < 0.5 * power(10, 38 - ${SCALE}) THEN v
     WHEN abs(d) < 1.5 * power(10, 38 - ${SCALE})
       AND length(split_part(CAST(abs(v) AS VARCHAR), '.', 1)) <= 38 - ${SCALE} THEN v
     ELSE error('Number out of representable range: the sum does not fit NUMBER(38, ' || ${SCALE} || ')') END`,
];

/**
 * SUM called at `open`..`close` (with its window, when one follows) as DuckDB SQL that fails
 * instead of answering a sum NUMBER(38, s) cannot hold, and the index after what it consumed;
 * null for other functions and for forms left to DuckDB (FILTER, no single argument).
 */
export const rewriteSum: AggregateRewrite = (w, name, open, close, to) => {
  if (name !== 'SUM') return null;
  const ranges = w.args(open, close);
  const first = ranges[0];
  if (!first || ranges.length !== 1) return null;
  const after = w.nextSig(close);
  if (after < to && w.upper(after) === 'FILTER') return null;
  const lead = w.nextSig(first[0] - 1);
  const distinct = w.upper(lead) === 'DISTINCT' && lead < first[1];
  const value = w.emit(distinct ? lead + 1 : first[0], first[1]).trim();
  const d = distinct ? 'DISTINCT ' : '';
  const window = windowAt(w, close + 1, to);
  const over = window ? window[0] : '';
  const end = window ? window[1] : close + 1;
  return [`${FIT_MACRO}(sum(${d}${value})${over}, sum(${d}TRY_CAST(${value} AS DOUBLE))${over})`, end];
};
