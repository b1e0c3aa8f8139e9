/**
 * PARSE_JSON as lenient as Snowflake's: besides JSON it reads object keys without quotes
 * (`{a: 1}`), strings in single quotes, `undefined` (kept as null: DuckDB's JSON has no undefined)
 * and, as DuckDB itself does, NaN, Infinity and trailing commas. Text that is valid JSON is taken
 * as it is; only text that is not gets the lenient reading, so string contents of valid JSON are
 * never touched. What still does not parse fails with 100069 (sql-errors.ts).
 */

/** Lenient JSON text → strict JSON text (regular expressions over the text, for invalid JSON only). */
const LENIENT = String.raw`regexp_replace(regexp_replace(regexp_replace(regexp_replace(
     s,
     '([{,]\s*)([A-Za-z_$][A-Za-z0-9_$]*)(\s*):', '\1"\2"\3:', 'g'),
     '''([^''"\\]*)''', '"\1"', 'g'),
     '([\[,:]\s*)undefined(\s*[\],}])', '\1null\2', 'g'),
     '([\[,:]\s*)undefined(\s*[\],}])', '\1null\2', 'g')`;

/** `CREATE MACRO` statements of PARSE_JSON and TRY_PARSE_JSON. */
export const JSON_MACROS: readonly string[] = [
  `CREATE MACRO PARSE_JSON(s) AS CASE WHEN s IS NULL OR json_valid(s) THEN CAST(s AS JSON)
     ELSE CAST(${LENIENT} AS JSON) END`,
  `CREATE MACRO TRY_PARSE_JSON(s) AS CASE WHEN s IS NULL OR json_valid(s) THEN TRY_CAST(s AS JSON)
     ELSE TRY_CAST(${LENIENT} AS JSON) END`,
];
