/**
 * TABLE(GENERATOR(ROWCOUNT => n [, TIMELIMIT => s])) and the functions written with it: SEQ1/2/4/8,
 * UNIFORM, RANDOM and RANDSTR, as Snowflake defines them:
 * - GENERATOR yields n rows carrying a hidden sequence column (`_SMCP_SEQ`, 0 … n-1) that SEQn()
 *   reads in the same query; elsewhere SEQn() numbers the rows it sees from 0.
 * - TIMELIMIT waits (as the statement, so a cancel or the statement timeout ends it) for the limit
 *   before the rows come. Snowflake makes as many rows as it can in that time; the emulator makes
 *   ROWCOUNT rows, or none when only TIMELIMIT is given. Neither argument: no rows, as in Snowflake.
 * - `SELECT *` over GENERATOR rows shows the hidden column.
 * - RANDOM() is a 64-bit integer, as in Snowflake (DuckDB's random() is a double in [0, 1)).
 * - UNIFORM(min, max, gen) is an integer when both bounds are integer literals, else a float; a
 *   constant gen gives the same value on every row (as Snowflake), RANDOM() a new one.
 * - RANDSTR(len, gen) is len characters of [A-Za-z0-9], the same string for the same gen.
 */
import { badArgument, callArgs, intLiteral, numberLiteral } from './args.js';
import type { Range } from './args.js';
import type { TokenWriter } from './types.js';

/** The hidden column of GENERATOR rows that SEQn() reads. */
export const SEQ_COLUMN = '"_SMCP_SEQ"';
/** Snowflake's largest ROWCOUNT is far beyond this; past it a statement would never end here. */
const MAX_ROWCOUNT = 2 ** 40;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The DuckDB subquery for GENERATOR(args) whose parentheses are at `open` and `close`. */
export function generatorTable(w: TokenWriter, open: number, close: number): string {
  const { positional, named } = callArgs(w, open, close);
  if (positional.length > 0)
    throw badArgument('GENERATOR', 'arguments must be named (ROWCOUNT => n, TIMELIMIT => s)');
  for (const name of named.keys()) {
    if (name !== 'ROWCOUNT' && name !== 'TIMELIMIT')
      throw badArgument('GENERATOR', `unknown argument ${name}`);
  }
  const rowRange = named.get('ROWCOUNT');
  const timeRange = named.get('TIMELIMIT');
  const rows = rowRange ? intLiteral(w, rowRange) : 0;
  if (rows === null || rows < 0 || rows > MAX_ROWCOUNT) {
    throw badArgument('GENERATOR', 'ROWCOUNT must be a constant non-negative integer');
  }
  if (timeRange) {
    const seconds = numberLiteral(w, timeRange);
    if (seconds === null || seconds < 0)
      throw badArgument('GENERATOR', 'TIMELIMIT must be a constant number of seconds');
    const tables = w.ctx.tables;
    if (tables) tables.waitMs = Math.max(tables.waitMs, seconds * 1000);
  }
  return `(SELECT range AS ${SEQ_COLUMN} FROM range(${rows}))`;
}

/** True when the statement's tokens call GENERATOR (so SEQn() reads its hidden column). */
function hasGenerator(w: TokenWriter): boolean {
  return w.toks.some(
    (t, i) => t.kind === 'word' && t.text.toUpperCase() === 'GENERATOR' && w.text(w.nextSig(i)) === '(',
  );
}

/** True when the range is a call of RANDOM (with or without a seed). */
function isRandomCall(w: TokenWriter, range: Range): boolean {
  const first = w.nextSig(range[0] - 1);
  return w.upper(first) === 'RANDOM' && w.text(w.nextSig(first)) === '(';
}

/** A fraction in [0, 1): fresh per row for RANDOM(), fixed per value for any other generator. */
function fraction(w: TokenWriter, gen: Range): string {
  if (isRandomCall(w, gen)) return 'random()';
  return `((hash(${w.emit(gen[0], gen[1]).trim()}) % 1000000007) / 1000000007.0)`;
}

function isIntegerLiteral(w: TokenWriter, range: Range): boolean {
  return intLiteral(w, range) !== null;
}

/** SEQn / UNIFORM / RANDOM / RANDSTR call → DuckDB SQL, or null for any other name. */
export function generatorCall(w: TokenWriter, name: string, open: number, close: number): string | null {
  const ranges = w.args(open, close);
  const arg = (k: number): string => {
    const r = ranges[k];
    return r ? w.emit(r[0], r[1]).trim() : 'NULL';
  };
  switch (name) {
    case 'SEQ1':
    case 'SEQ2':
    case 'SEQ4':
    case 'SEQ8':
      return hasGenerator(w) ? SEQ_COLUMN : '(row_number() OVER () - 1)';
    case 'RANDOM':
      // Snowflake's RANDOM is a signed 64-bit integer; ±9e18 stays inside BIGINT after rounding.
      return 'CAST(floor((random() - 0.5) * 1.8e19) AS BIGINT)';
    case 'UNIFORM': {
      const [low, high, gen] = ranges;
      if (ranges.length !== 3 || !low || !high || !gen)
        throw badArgument('UNIFORM', 'it takes min, max and a generator');
      const r = fraction(w, gen);
      if (isIntegerLiteral(w, low) && isIntegerLiteral(w, high)) {
        return `CAST(floor((${arg(0)}) + ${r} * ((${arg(1)}) - (${arg(0)}) + 1)) AS BIGINT)`;
      }
      return `(CAST(${arg(0)} AS DOUBLE) + ${r} * (CAST(${arg(1)} AS DOUBLE) - CAST(${arg(0)} AS DOUBLE)))`;
    }
    case 'RANDSTR': {
      if (ranges.length !== 2) throw badArgument('RANDSTR', 'it takes a length and a generator');
      const gen = isRandomCall(w, ranges[1] ?? [0, 0]) ? 'random()' : arg(1);
      return (
        `array_to_string(list_transform(range(CAST(${arg(0)} AS BIGINT)), ` +
        `_smcp_i -> substr('${ALPHANUMERIC}', CAST(hash(${gen}, _smcp_i) % 62 AS INTEGER) + 1, 1)), '')`
      );
    }
    default:
      return null;
  }
}
