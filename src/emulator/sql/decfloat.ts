/**
 * Snowflake's DECFLOAT (a decimal floating-point number of up to 38 significant digits with its own
 * exponent, e.g. -9.8765432099999998623226732747455716901e-250) on DuckDB.
 *
 * DuckDB has no decimal float. DECIMAL(38,s) holds 38 digits only at one fixed scale (a value of
 * e-250 or e+100 does not fit), and DOUBLE keeps about 16 digits, so neither keeps Snowflake's
 * values. A DECFLOAT is therefore kept as its exact decimal text inside a one-member UNION named
 * DECFLOAT_MEMBER: the text keeps every digit and any exponent, and the UNION is what tells a
 * DECFLOAT apart from ordinary text in a result (rowtype `decfloat`, which snowflake-sdk hands to the
 * application as the text). Casts to text read the text; casts to numbers (`d::NUMBER(10,2)`,
 * `d::DOUBLE`, `d::INT`) go through it (numericCastSql); equal texts compare equal, and plain
 * decimals are stored without trailing zeros so that 1.50 and 1.5 are one value. What the text
 * cannot do: arithmetic operators (+, -, *, /) have no DuckDB implementation on the UNION (the
 * value must be cast to NUMBER or FLOAT first; the error names DECFLOAT), and ORDER BY, MIN/MAX and
 * < > compare the texts, not the numbers.
 */
import { DuckDBTypeId, DuckDBUnionValue } from '@duckdb/node-api';
import type { DuckDBType, DuckDBValue } from '@duckdb/node-api';

/** Name of the one member of the UNION that carries a DECFLOAT's text. */
export const DECFLOAT_MEMBER = '__smcp_decfloat';

/** The DuckDB type of a DECFLOAT value or column. */
export const DECFLOAT_DUCK_TYPE = `UNION("${DECFLOAT_MEMBER}" VARCHAR)`;

/** The macro that turns a number or numeric text into a DECFLOAT (TO_DECFLOAT, `::DECFLOAT`). */
export const TO_DECFLOAT_MACRO = '_SMCP_TO_DECFLOAT';

/**
 * A cast of `operand` to the numeric DuckDB type `duckType` that also converts a DECFLOAT (DuckDB
 * casts the UNION only to VARCHAR, so a DECFLOAT goes through its text). The operand's type is
 * known when DuckDB binds the statement, so the CASE folds to one plain cast; a typed macro
 * overload cannot do this, as text and JSON would cast to the UNION implicitly.
 */
export function numericCastSql(duckType: string, cast = 'CAST'): (operand: string) => string {
  const union = DECFLOAT_DUCK_TYPE.replace(/"/g, '');
  const wrap = (operand: string): string =>
    `CASE WHEN typeof(${operand}) = '${union}' THEN ${cast}(CAST(${operand} AS VARCHAR) AS ${duckType}) ELSE ${cast}(${operand} AS ${duckType}) END`;
  numericCasts.set(wrap, duckType);
  return wrap;
}

/** The numeric casts numericCastSql made, with their DuckDB types (TRY_CAST makes its own). */
const numericCasts = new WeakMap<(operand: string) => string, string>();

/** TRY_CAST's form of `wrap` when it is a numeric cast (DuckDB's TRY() refuses volatile operands). */
export function tryNumericCast(wrap: unknown): ((operand: string) => string) | null {
  const duckType =
    typeof wrap === 'function' ? numericCasts.get(wrap as (operand: string) => string) : undefined;
  return duckType === undefined ? null : numericCastSql(duckType, 'TRY_CAST');
}

/** Most significant digits a DECFLOAT keeps. */
const MAX_DIGITS = 38;

/** A numeric text Snowflake accepts: sign, digits with an optional point, optional exponent. */
const NUMERIC_TEXT = String.raw`'^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$'`;

/** Plain decimal text without its sign, trailing fractional zeros and leading zeros. */
const PLAIN = (s: string): string =>
  String.raw`regexp_replace(regexp_replace(regexp_replace(regexp_replace(${s}, '^[+]', ''),
     '^(-?)0+([0-9])', '\1\2'), '([.][0-9]*?)0+$', '\1'), '[.]$', '')`;

/** `CREATE MACRO` statements for DECFLOAT, run once when the engine starts. */
export const DECFLOAT_MACROS: readonly string[] = [
  `CREATE MACRO _SMCP_DECFLOAT_TEXT(s, try) AS CASE
     WHEN s IS NULL THEN NULL
     WHEN NOT regexp_matches(s, ${NUMERIC_TEXT})
       THEN CASE WHEN try THEN NULL ELSE error('Numeric value ''' || s || ''' is not recognized') END
     WHEN regexp_matches(s, '[eE]') THEN lower(s)
     ELSE ${PLAIN('s')} END`,
  // A NULL member would make a UNION that is not NULL itself: TRY_TO_DECFLOAT's NULL stays NULL.
  `CREATE MACRO ${TO_DECFLOAT_MACRO}(x, try := false) AS CASE
     WHEN _SMCP_DECFLOAT_TEXT(trim(CAST(x AS VARCHAR)), try) IS NULL THEN NULL
     ELSE union_value("${DECFLOAT_MEMBER}" := _SMCP_DECFLOAT_TEXT(trim(CAST(x AS VARCHAR)), try)) END`,
  `CREATE MACRO TO_DECFLOAT(x) AS ${TO_DECFLOAT_MACRO}(x)`,
  `CREATE MACRO TRY_TO_DECFLOAT(x) AS ${TO_DECFLOAT_MACRO}(x, try := true)`,
];

/** Whether `duck` is the DuckDB type of a DECFLOAT. */
export function isDecfloatType(duck: DuckDBType): boolean {
  return (
    duck.typeId === DuckDBTypeId.UNION &&
    duck.memberTags.length === 1 &&
    duck.memberTags[0] === DECFLOAT_MEMBER
  );
}

/** Whether DuckDB's type text (duckdb_columns().data_type) is that of a DECFLOAT. */
export function isDecfloatTypeText(dataType: string): boolean {
  return dataType.replace(/"/g, '').toLowerCase() === `union(${DECFLOAT_MEMBER} varchar)`;
}

/**
 * The wire text of a DECFLOAT value: plain decimal notation while the number has at most 38 digit
 * positions, else `d.ddd…e±n` with its significant digits exact (trailing zeros dropped), rounded
 * to 38 significant digits when it has more.
 */
export function decfloatWireText(value: DuckDBValue): string | null {
  const member = value instanceof DuckDBUnionValue ? value.value : value;
  if (member === null) return null;
  const raw = String(member);
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(raw.trim());
  if (!m) return raw;
  const negative = m[1] === '-';
  const whole = m[2] ?? '';
  const frac = m[3] ?? '';
  // digits × 10^exponent, with the digits an integer.
  let digits = `${whole}${frac}`.replace(/^0+/, '');
  let exponent = Number(m[4] ?? '0') - frac.length;
  if (digits === '') return '0';
  if (digits.length > MAX_DIGITS) {
    // More digits than a DECFLOAT keeps: round to 38 significant digits, half away from zero.
    const dropped = digits.length - MAX_DIGITS;
    let kept = BigInt(digits.slice(0, MAX_DIGITS));
    if (Number(digits[MAX_DIGITS]) >= 5) kept += 1n;
    digits = kept.toString();
    exponent += dropped;
  }
  const trailing = /0+$/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(0, digits.length - trailing);
  exponent += trailing;
  const sign = negative ? '-' : '';
  // Positions the plain text needs: the digits plus the zeros an exponent adds on either side.
  const positions = exponent >= 0 ? digits.length + exponent : Math.max(digits.length, -exponent);
  if (positions <= MAX_DIGITS) {
    if (exponent >= 0) return `${sign}${digits}${'0'.repeat(exponent)}`;
    const point = digits.length + exponent;
    return point > 0
      ? `${sign}${digits.slice(0, point)}.${digits.slice(point)}`
      : `${sign}0.${'0'.repeat(-point)}${digits}`;
  }
  const scientific = exponent + digits.length - 1;
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${mantissa}e${scientific >= 0 ? '+' : ''}${scientific}`;
}

/**
 * `operand` cast to DECFLOAT. A numeric literal goes in as its text, so that DuckDB never reads it
 * as a DOUBLE first (which would keep only about 16 of its digits).
 */
export function decfloatCastSql(operand: string): string {
  const literal = /^([+-]?)\s*((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$/.exec(operand.trim());
  const arg = literal ? `'${literal[1] ?? ''}${literal[2] ?? ''}'` : operand;
  return `${TO_DECFLOAT_MACRO}(${arg})`;
}

/**
 * Where a numeric literal's unary minus starts in `out`, the SQL written so far, when the literal
 * starts at `at` (the operand of a `::DECFLOAT`): Snowflake casts `-1.5::DECFLOAT` as the negative
 * literal, and DuckDB has no minus for the DECFLOAT it would otherwise get. `at` when there is none.
 */
export function unaryMinusStart(out: string, at: number): number {
  const before = out.slice(0, at).trimEnd();
  if (!before.endsWith('-') || !/^\s*(\d|\.\d)/.test(out.slice(at))) return at;
  const left = before.slice(0, -1).trimEnd();
  // A binary minus follows an operand: a name, a literal, a closing bracket.
  const binary =
    /([\w"')\]}]|\$\d+)$/.test(left) &&
    !/\b(SELECT|WHEN|THEN|ELSE|AND|OR|NOT|RETURN|VALUES|IN|IS|LIKE|BY)$/i.test(left);
  return binary ? at : before.length - 1;
}

/** `message` (DuckDB's) with the DECFLOAT carrier type named as Snowflake names it. */
export function withSnowflakeTypeNames(message: string): string {
  return message.replace(/UNION\("?__smcp_decfloat"? VARCHAR\)/g, 'DECFLOAT');
}
