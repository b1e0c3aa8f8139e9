/**
 * Snowflake's DECFLOAT (a decimal floating-point number of up to 38 significant digits with its own
 * exponent, e.g. -9.8765432099999998623226732747455716901e-250) on DuckDB.
 *
 * DuckDB has no decimal float. DECIMAL(38,s) holds 38 digits only at one fixed scale (a value of
 * e-250 or e+100 does not fit), and DOUBLE keeps about 16 digits, so neither keeps Snowflake's
 * values. A DECFLOAT is therefore a STRUCT of two texts: first an order key of the number (sign,
 * exponent, digits, written so that text order is numeric order and equal numbers have one key),
 * then the number's exact text as Snowflake writes it. DuckDB compares STRUCTs field by field, so
 * ORDER BY, MIN/MAX, < > = BETWEEN, GROUP BY, DISTINCT and joins between DECFLOATs follow the
 * numbers; the STRUCT's field names tell a DECFLOAT apart in a result (rowtype `decfloat`, which
 * snowflake-sdk hands to the application as the text). Casts to text read the text; casts to
 * numbers (`d::NUMBER(10,2)`, `d::DOUBLE`, `d::INT`) go through it (numericCastSql).
 * DuckDB casts neither text nor numbers to the STRUCT, so a DECFLOAT compared with a plain number
 * or text (`d > 5`) fails with an error naming DECFLOAT instead of comparing texts; INSERTs convert
 * into DECFLOAT columns (decfloat-insert.ts). Arithmetic operators (+, -, *, /) have no DuckDB
 * implementation on the STRUCT: the value must be cast to NUMBER or FLOAT first (the error names
 * DECFLOAT).
 */
import { DuckDBStructValue, DuckDBTypeId } from '@duckdb/node-api';
import type { DuckDBType, DuckDBValue } from '@duckdb/node-api';
import { isSignificant } from './tokenizer.js';
import type { Token } from './tokenizer.js';

/** Name of the STRUCT field that carries a DECFLOAT's exact text (its second field). */
export const DECFLOAT_MEMBER = '__smcp_decfloat';

/** Name of the STRUCT field that carries a DECFLOAT's order key (its first field). */
export const DECFLOAT_KEY = '__smcp_decfloat_key';

/** The DuckDB type of a DECFLOAT value or column. */
export const DECFLOAT_DUCK_TYPE = `STRUCT("${DECFLOAT_KEY}" VARCHAR, "${DECFLOAT_MEMBER}" VARCHAR)`;

/** DuckDB's typeof() text of a DECFLOAT (DuckDB drops the quotes of these plain field names). */
const DECFLOAT_TYPEOF = DECFLOAT_DUCK_TYPE.replace(/"/g, '');

/** The macro that turns a number or numeric text into a DECFLOAT (TO_DECFLOAT, `::DECFLOAT`). */
export const TO_DECFLOAT_MACRO = '_SMCP_TO_DECFLOAT';

/** The macro that reads a DECFLOAT's text; any other operand gives its own text. */
const DECFLOAT_STR_MACRO = '_SMCP_DECFLOAT_STR';

/** `operand` as text, a DECFLOAT as its number's text (see DECFLOAT_STR_MACRO). */
export function textOfSql(operand: string): string {
  return `${DECFLOAT_STR_MACRO}(${operand})`;
}

/**
 * A cast of `operand` to the numeric DuckDB type `duckType` that also converts a DECFLOAT (DuckDB
 * has no cast from the STRUCT to a number, so a DECFLOAT goes through its text). The operand's type
 * is known when DuckDB binds the statement, so the CASE folds to one plain cast.
 */
export function numericCastSql(duckType: string, cast = 'CAST'): (operand: string) => string {
  const wrap = (operand: string): string =>
    `CASE WHEN typeof(${operand}) = '${DECFLOAT_TYPEOF}' THEN ${cast}(${textOfSql(operand)} AS ${duckType}) ELSE ${cast}(${operand} AS ${duckType}) END`;
  numericCasts.set(wrap, duckType);
  return wrap;
}

/** A DECFLOAT's carrier in DuckDB's JSON text (key, then text); the capture is the number's text. */
const CARRIER_IN_JSON = `'\\{"${DECFLOAT_KEY}":"[^"]*","${DECFLOAT_MEMBER}":"([^"]*)"\\}'`;

/**
 * `plain` (the JSON of `operand`: to_json, a cast to JSON) with every DECFLOAT in it, whole or
 * nested in lists and structs, written as its number: a VARIANT, ARRAY or OBJECT holds the number,
 * never the carrier's fields. The test is on the operand's type, which DuckDB folds when it binds
 * the statement, so an operand without DECFLOAT costs nothing.
 */
export function decfloatJsonSql(operand: string, plain: string): string {
  return `CASE WHEN contains(typeof(${operand}), '${DECFLOAT_KEY}')
    THEN CAST(regexp_replace(CAST(${plain} AS VARCHAR), ${CARRIER_IN_JSON}, '\\1', 'g') AS JSON)
    ELSE ${plain} END`;
}

/** The macro that is to_json with DECFLOATs as their numbers (decfloatJsonSql). */
const JSON_MACRO = '_SMCP_TO_JSON';

/** to_json(`operand`), but a DECFLOAT in it is its number (decfloatJsonSql), as one macro call. */
export function jsonOfSql(operand: string): string {
  return `${JSON_MACRO}(${operand})`;
}

/** A cast of `operand` to the text type `duckType`: a DECFLOAT gives its number's text. */
export function textCastSql(duckType: string): (operand: string) => string {
  return numericCastSql(duckType);
}

/** The numeric casts numericCastSql made, with their DuckDB types (TRY_CAST makes its own). */
const numericCasts = new WeakMap<(operand: string) => string, string>();

/** TRY_CAST's form of `wrap` when it is a numeric cast (DuckDB's TRY() refuses volatile operands). */
export function tryNumericCast(wrap: unknown): ((operand: string) => string) | null {
  // TRY() can hold no scalar subquery (decfloatCastSql's literals): the macro's own try mode instead.
  if (wrap === decfloatCastSql)
    return (operand) => `${TO_DECFLOAT_MACRO}(${literalText(operand) ?? operand}, try := true)`;
  const duckType =
    typeof wrap === 'function' ? numericCasts.get(wrap as (operand: string) => string) : undefined;
  return duckType === undefined ? null : numericCastSql(duckType, 'TRY_CAST');
}

/** Most significant digits a DECFLOAT keeps. */
const MAX_DIGITS = 38;

/** Snowflake's DECFLOAT exponent range (of the number written as d.ddd…e±n). */
const MIN_EXPONENT = -16383;
const MAX_EXPONENT = 16384;

/** Added to an exponent (and taken from it for negatives) so that it is five digits in the key. */
const EXPONENT_BIAS = 50000;

/** A numeric text Snowflake accepts: sign, digits with an optional point, optional exponent. */
const NUMERIC_TEXT = String.raw`'^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$'`;

/** `body` with `value` bound to the lambda parameter `name` (evaluated once, read many times). */
function bind(value: string, name: string, body: string): string {
  return `list_transform([${value}], ${name} -> ${body})[1]`;
}

/**
 * The DECFLOAT of a valid numeric text `t` (a lambda parameter): its sign, its significant digits
 * rounded to 38 (half away from zero) without trailing zeros, and the exponent `a` of the number
 * written as d.ddd…e±a. From these, both fields:
 * - the key, whose text order is the numbers' order: '0' for negatives, '1' for zero, '2' for
 *   positives; then the exponent (biased to five digits), then the digits; for a negative number the
 *   exponent and digits are complemented (a larger magnitude sorts lower) and ':' (above every
 *   digit) ends them, so that -1.51 sorts before -1.5. Equal numbers have one key.
 * - the text, Snowflake's: plain while it needs at most 38 digit positions, else d.ddd…e±a.
 * The text is a function of the number too, so STRUCT equality (both fields) is numeric equality.
 */
function decfloatOf(t: string, tryMode: string): string {
  const all = `(_smcp_dm.w || _smcp_dm.f)`;
  const parts = bind(
    `regexp_extract(${t}, '^([+-]?)([0-9]*)[.]?([0-9]*)(?:[eE]([+-]?[0-9]+))?$', ['sg', 'w', 'f', 'e'])`,
    '_smcp_dm',
    `struct_pack(neg := _smcp_dm.sg = '-', d0 := ltrim(${all}, '0'),
       a := length(_smcp_dm.w) - 1 - (length(${all}) - length(ltrim(${all}, '0')))
         + CASE WHEN _smcp_dm.e = '' THEN 0 ELSE CAST(_smcp_dm.e AS BIGINT) END)`,
  );
  const rounded = bind(
    parts,
    '_smcp_dp',
    bind(
      `CASE WHEN length(_smcp_dp.d0) > ${MAX_DIGITS}
         THEN CAST(CAST(left(_smcp_dp.d0, ${MAX_DIGITS}) AS HUGEINT)
           + CASE WHEN substr(_smcp_dp.d0, ${MAX_DIGITS + 1}, 1) >= '5' THEN 1 ELSE 0 END AS VARCHAR)
         ELSE _smcp_dp.d0 END`,
      '_smcp_dr',
      // A carry out of 38 nines (10^38) adds one to the exponent.
      `struct_pack(neg := _smcp_dp.neg, dg := rtrim(_smcp_dr, '0'),
         a := _smcp_dp.a + CASE WHEN length(_smcp_dr) > ${MAX_DIGITS} THEN 1 ELSE 0 END)`,
    ),
  );
  const q = '_smcp_dq';
  const n = `length(${q}.dg)`;
  const x = `(${q}.a - ${n} + 1)`;
  const point = `(${q}.a + 1)`;
  const text = `CASE WHEN ${q}.dg = '' THEN '0' ELSE CASE WHEN ${q}.neg THEN '-' ELSE '' END || CASE
      WHEN ${x} >= 0 AND ${n} + ${x} <= ${MAX_DIGITS} THEN ${q}.dg || repeat('0', ${x})
      WHEN ${x} < 0 AND greatest(${n}, -${x}) <= ${MAX_DIGITS} THEN CASE
        WHEN ${point} > 0 THEN left(${q}.dg, ${point}) || '.' || substr(${q}.dg, ${point} + 1)
        ELSE '0.' || repeat('0', -${point}) || ${q}.dg END
      ELSE left(${q}.dg, 1) || CASE WHEN ${n} > 1 THEN '.' || substr(${q}.dg, 2) ELSE '' END
        || 'e' || CASE WHEN ${q}.a >= 0 THEN '+' ELSE '' END || CAST(${q}.a AS VARCHAR) END END`;
  const key = `CASE WHEN ${q}.dg = '' THEN '1'
      WHEN NOT ${q}.neg THEN '2' || lpad(CAST(${q}.a + ${EXPONENT_BIAS} AS VARCHAR), 5, '0') || ${q}.dg
      ELSE '0' || lpad(CAST(${EXPONENT_BIAS - 1} - ${q}.a AS VARCHAR), 5, '0')
        || translate(${q}.dg, '0123456789', '9876543210') || ':' END`;
  const outOfRange = `${q}.dg <> '' AND (${q}.a < ${MIN_EXPONENT} OR ${q}.a > ${MAX_EXPONENT})`;
  return bind(
    rounded,
    q,
    `CASE WHEN ${outOfRange} THEN CASE WHEN ${tryMode} THEN NULL
        ELSE error('Numeric value ''' || ${t} || ''' is out of range') END
      ELSE struct_pack("${DECFLOAT_KEY}" := ${key}, "${DECFLOAT_MEMBER}" := ${text}) END`,
  );
}

/** `CREATE MACRO` statements for DECFLOAT, run once when the engine starts. */
export const DECFLOAT_MACROS: readonly string[] = [
  // Both branches bind for any type (a field access would not), so the DECFLOAT's text is read from
  // DuckDB's text of the STRUCT: {'__smcp_decfloat_key': …, '__smcp_decfloat': <text>}.
  `CREATE MACRO ${DECFLOAT_STR_MACRO}(x) AS CASE WHEN typeof(x) = '${DECFLOAT_TYPEOF}'
     THEN regexp_extract(CAST(x AS VARCHAR), '''${DECFLOAT_MEMBER}'': ([^}]*)}$', 1)
     ELSE CAST(x AS VARCHAR) END`,
  `CREATE MACRO _SMCP_DECFLOAT_TEXT(s, try) AS CASE
     WHEN s IS NULL THEN NULL
     WHEN NOT regexp_matches(s, ${NUMERIC_TEXT})
       THEN CASE WHEN try THEN NULL ELSE error('Numeric value ''' || s || ''' is not recognized') END
     ELSE s END`,
  `CREATE MACRO _SMCP_DECFLOAT_OF(s, try) AS CAST(${bind(
    's',
    '_smcp_dt',
    `CASE WHEN _smcp_dt IS NULL THEN NULL ELSE ${decfloatOf('_smcp_dt', 'try')} END`,
  )} AS ${DECFLOAT_DUCK_TYPE})`,
  `CREATE MACRO ${TO_DECFLOAT_MACRO}(x, try := false) AS
     _SMCP_DECFLOAT_OF(_SMCP_DECFLOAT_TEXT(trim(${DECFLOAT_STR_MACRO}(x)), try), try)`,
  `CREATE MACRO TO_DECFLOAT(x) AS ${TO_DECFLOAT_MACRO}(x)`,
  `CREATE MACRO TRY_TO_DECFLOAT(x) AS ${TO_DECFLOAT_MACRO}(x, try := true)`,
  `CREATE MACRO ${JSON_MACRO}(x) AS ${decfloatJsonSql('x', 'to_json(x)')}`,
];

/** Whether `duck` is the DuckDB type of a DECFLOAT. */
export function isDecfloatType(duck: DuckDBType): boolean {
  return (
    duck.typeId === DuckDBTypeId.STRUCT &&
    duck.entryNames.length === 2 &&
    duck.entryNames[0] === DECFLOAT_KEY &&
    duck.entryNames[1] === DECFLOAT_MEMBER
  );
}

/** Whether DuckDB's type text (duckdb_columns().data_type) is that of a DECFLOAT. */
export function isDecfloatTypeText(dataType: string): boolean {
  return dataType.replace(/"/g, '').toLowerCase() === DECFLOAT_TYPEOF.toLowerCase();
}

/**
 * The wire text of a DECFLOAT value: plain decimal notation while the number has at most 38 digit
 * positions, else `d.ddd…e±n` with its significant digits exact (trailing zeros dropped), rounded
 * to 38 significant digits when it has more.
 */
export function decfloatWireText(value: DuckDBValue): string | null {
  const member = value instanceof DuckDBStructValue ? (value.entries[DECFLOAT_MEMBER] ?? null) : value;
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
 * as a DOUBLE first (which would keep only about 16 of its digits). A literal's DECFLOAT is made in
 * a scalar subquery: DuckDB's filter pushdown turns `d >= <constant> AND d <= <constant>` (and
 * BETWEEN) into a BETWEEN it cannot run on a STRUCT, and leaves a subquery's value alone.
 */
export function decfloatCastSql(operand: string): string {
  const literal = literalText(operand);
  return literal === null ? `${TO_DECFLOAT_MACRO}(${operand})` : `(SELECT ${TO_DECFLOAT_MACRO}(${literal}))`;
}

/** A numeric or string literal `operand` as a string literal; null for anything else. */
function literalText(operand: string): string | null {
  const text = operand.trim();
  const numeric = /^([+-]?)\s*((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$/.exec(text);
  if (numeric) return `'${numeric[1] ?? ''}${numeric[2] ?? ''}'`;
  return /^'(?:[^']|'')*'$/.test(text) ? text : null;
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
    !/\b(SELECT|WHEN|THEN|ELSE|AND|OR|NOT|RETURN|VALUES|IN|IS|LIKE|BY|BETWEEN)$/i.test(left);
  return binary ? at : before.length - 1;
}

/** `message` (DuckDB's) with the DECFLOAT carrier type named as Snowflake names it. */
export function withSnowflakeTypeNames(message: string): string {
  return message.replace(
    /STRUCT\("?__smcp_decfloat_key"? VARCHAR, "?__smcp_decfloat"? VARCHAR\)/g,
    'DECFLOAT',
  );
}

/**
 * The end of the operand at `i` of `toks` (up to `to`) when it is a plain name or literal (a.b,
 * 'x', 1.5) that nothing after it extends (no call, cast, index or path); `i` otherwise. Such a
 * right operand of `||` is read as text, so that a DECFLOAT concatenates as its number.
 */
export function plainOperandEnd(toks: readonly Token[], i: number, to: number): number {
  const next = (k: number): number => {
    let j = k + 1;
    while (j < toks.length && !isSignificant(toks[j])) j++;
    return j;
  };
  let k = i;
  for (;;) {
    const t = toks[k];
    if (!t || k >= to || !['word', 'quoted', 'string', 'number'].includes(t.kind)) return i;
    if (t.kind === 'word' && /^(CASE|NOT|SELECT|INTERVAL|DATE|TIMESTAMP|TIME)$/i.test(t.text)) return i;
    const after = next(k);
    if (toks[after]?.text !== '.' || after >= to) {
      const stop = after < to && ['(', '::', '[', ':'].includes(toks[after]?.text ?? '');
      return stop ? i : k + 1;
    }
    k = next(after);
  }
}
