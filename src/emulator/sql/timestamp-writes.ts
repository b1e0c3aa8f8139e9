/**
 * Text written into timestamp columns, stored as Snowflake stores it. DuckDB casts text into a
 * TIMESTAMP column with its own parser, which refuses a UTC offset (`'2024-01-01 10:00 +02:00'`),
 * and it has no cast from text to the engine's TIMESTAMP_TZ carrier (macros.ts) at all. So each
 * string literal or text bind an INSERT … VALUES row, an UPDATE SET or a MERGE action writes into a
 * timestamp column is converted by the column's kind, in the session's time zone:
 *   TIMESTAMP_TZ   the instant and the offset written; without one, the session zone's offset
 *   TIMESTAMP_LTZ  the instant; text without an offset is a wall time in the session zone
 *   TIMESTAMP_NTZ  the wall time as written, any offset ignored (as Snowflake ignores it)
 * Text that is no timestamp fails with Snowflake's 100035 naming the value. Literals in the common
 * forms become constants at once (timestamp-literals.ts); text binds, and other literals, go
 * through the macros here. Text columns of a query source are converted by timestamp-sources.ts
 * (INSERT … SELECT) and timestamp-merge.ts (MERGE … USING); other values (expressions, typed binds)
 * are left to DuckDB's casts.
 */
import type { StatementContext } from './context.js';
import { mergeActions } from './merge-clauses.js';
import { qualifiedName } from './object-names.js';
import { EPOCH_TEXT_SQL } from './timestamp-epoch.js';
import { timestampLiteralSql } from './timestamp-literals.js';
import {
  identName,
  isSignificant,
  quoteString,
  splitTopLevelCommas,
  stringValue,
  tokenize,
} from './tokenizer.js';
import type { Token } from './tokenizer.js';

/** A time followed by a UTC offset (`Z`, `+02:00`, `-0530`, `+02`): group 1 the wall time. */
const OFFSET_TEXT = String.raw`'^(.*\d:\d\d(?::\d\d(?:\.\d+)?)?)\s*(Z|[+-]\d{1,2}(?::?\d{2})?)$'`;

/** The wall time of text `s`: the text without its offset, when it has one. */
const WALL = `CAST(CASE WHEN regexp_matches(trim(s), ${OFFSET_TEXT}) THEN regexp_extract(trim(s), ${OFFSET_TEXT}, 1) ELSE trim(s) END AS TIMESTAMP)`;

/** Whether the wall time of text `s` is a timestamp. */
const READABLE = `TRY_CAST(CASE WHEN regexp_matches(trim(s), ${OFFSET_TEXT})
  THEN regexp_extract(trim(s), ${OFFSET_TEXT}, 1) ELSE trim(s) END AS TIMESTAMP) IS NOT NULL`;

/** Text `s` as it is when its wall time is a timestamp; Snowflake's error naming it otherwise. */
const CHECKED = `CASE WHEN s IS NULL OR ${READABLE} THEN s ELSE error('Timestamp ''' || s || ''' is not recognized') END`;

/**
 * RFC 2822 text (`Thu, 21 Jan 2016 06:32:44 -0800`, which Snowflake's AUTO format reads and
 * DuckDB does not) as ISO text with its offset (none: UTC, as timestamp-text.ts reads it); other
 * text as it is.
 */
const RFC_2822 = String.raw`'^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*([+-]\d{4}|GMT|UTC|UT|Z)?$'`;
const RFC_DATE = `try_strptime(regexp_extract(trim(s), ${RFC_2822}, 1) || ' ' || regexp_extract(trim(s), ${RFC_2822}, 2)
  || ' ' || regexp_extract(trim(s), ${RFC_2822}, 3), '%d %b %Y')`;
const ISO = `CASE WHEN regexp_matches(trim(s), ${RFC_2822}) AND ${RFC_DATE} IS NOT NULL
  THEN strftime(${RFC_DATE}, '%Y-%m-%d') || ' ' || regexp_extract(trim(s), ${RFC_2822}, 4) || ' '
    || CASE WHEN starts_with(regexp_extract(trim(s), ${RFC_2822}, 5), '+') OR starts_with(regexp_extract(trim(s), ${RFC_2822}, 5), '-')
       THEN regexp_extract(trim(s), ${RFC_2822}, 5) ELSE 'Z' END
  ELSE s END`;

/** `CREATE MACRO` statements for the conversions, run once per instance (after macros.ts's TZ macros). */
export const TIMESTAMP_WRITE_MACROS: readonly string[] = [
  // Integer text is a count since the epoch (timestamp-epoch.ts).
  `CREATE MACRO _SMCP_TS_ISO(s) AS COALESCE(${EPOCH_TEXT_SQL}, ${ISO})`,
  `CREATE MACRO _SMCP_TS_CHECKED(s) AS ${CHECKED}`,
  `CREATE MACRO _SMCP_TS_WALL(s) AS ${WALL}`,
  // Each takes text `s` already read (_SMCP_TS_ISO) and checked (_SMCP_TS_CHECKED).
  `CREATE MACRO _SMCP_TS_NTZ_OF(s) AS _SMCP_TS_WALL(s)`,
  `CREATE MACRO _SMCP_TS_LTZ_OF(s, tz) AS CASE
     WHEN regexp_matches(trim(s), ${OFFSET_TEXT}) THEN timezone('UTC', _SMCP_TS_WALL(s)
       - to_minutes(CAST(_SMCP_TZ_MINUTES(regexp_extract(trim(s), ${OFFSET_TEXT}, 2)) AS BIGINT)))
     ELSE timezone(tz, _SMCP_TS_WALL(s)) END`,
  `CREATE MACRO _SMCP_TS_TZ_OF(s, tz) AS CASE
     WHEN regexp_matches(trim(s), ${OFFSET_TEXT}) THEN _SMCP_TZ_PARSE(s)
     ELSE _SMCP_TZ_MAKE(_SMCP_TS_WALL(s),
       (epoch_us(_SMCP_TS_WALL(s)) - epoch_us(timezone(tz, _SMCP_TS_WALL(s)))) // 60000000) END`,
  // Typed constants from literal text read in timestamp-literals.ts (`w`: ISO wall time text).
  `CREATE MACRO _SMCP_TS_NTZ_LIT(w) AS CAST(w AS TIMESTAMP)`,
  `CREATE MACRO _SMCP_TS_LTZ_LIT(w, tz) AS timezone(tz, CAST(w AS TIMESTAMP))`,
  `CREATE MACRO _SMCP_TS_LTZ_LIT_AT(w, m) AS timezone('UTC', CAST(w AS TIMESTAMP) - to_minutes(CAST(m AS BIGINT)))`,
  `CREATE MACRO _SMCP_TS_TZ_LIT(w, tz) AS _SMCP_TZ_MAKE(CAST(w AS TIMESTAMP),
     (epoch_us(CAST(w AS TIMESTAMP)) - epoch_us(timezone(tz, CAST(w AS TIMESTAMP)))) // 60000000)`,
  `CREATE MACRO _SMCP_TS_TZ_LIT_AT(w, m) AS _SMCP_TZ_MAKE(CAST(w AS TIMESTAMP), m)`,
  // Macros copy their argument wherever it is used: each step reads the one before through a
  // lambda, so the text is worked out once instead of the copies multiplying step by step.
  `CREATE MACRO _SMCP_TS_READ(s) AS list_transform([s], a ->
     list_transform([_SMCP_TS_ISO(a)], b -> _SMCP_TS_CHECKED(b))[1])[1]`,
  `CREATE MACRO _SMCP_TEXT_TO_NTZ(s) AS list_transform([_SMCP_TS_READ(s)], c -> _SMCP_TS_NTZ_OF(c))[1]`,
  `CREATE MACRO _SMCP_TEXT_TO_LTZ(s, tz) AS list_transform([_SMCP_TS_READ(s)], c -> _SMCP_TS_LTZ_OF(c, tz))[1]`,
  `CREATE MACRO _SMCP_TEXT_TO_TZ(s, tz) AS list_transform([_SMCP_TS_READ(s)], c -> _SMCP_TS_TZ_OF(c, tz))[1]`,
  // The TRY_ forms: NULL for text that is no timestamp. DuckDB's TRY() refuses error(), so these
  // never raise one.
  `CREATE MACRO _SMCP_TS_READABLE(s) AS CASE WHEN ${READABLE} THEN s END`,
  `CREATE MACRO _SMCP_TS_TRY_READ(s) AS list_transform([s], a ->
     list_transform([_SMCP_TS_ISO(a)], b -> _SMCP_TS_READABLE(b))[1])[1]`,
  `CREATE MACRO _SMCP_TRY_TEXT_TO_LTZ(s, tz) AS list_transform([_SMCP_TS_TRY_READ(s)], c -> _SMCP_TS_LTZ_OF(c, tz))[1]`,
  `CREATE MACRO _SMCP_TRY_TEXT_TO_TZ(s, tz) AS list_transform([_SMCP_TS_TRY_READ(s)], c -> _SMCP_TS_TZ_OF(c, tz))[1]`,
];

/** The Snowflake timestamp kind of a column. */
export type TimestampKind = 'NTZ' | 'LTZ' | 'TZ';

/** The engine's column types of each Snowflake timestamp kind (types.ts). */
const KINDS: Readonly<Record<string, TimestampKind>> = {
  TIMESTAMP: 'NTZ',
  TIMESTAMP_S: 'NTZ',
  TIMESTAMP_MS: 'NTZ',
  'TIMESTAMP WITH TIME ZONE': 'LTZ',
  TIMESTAMP_NS: 'TZ',
};

/**
 * Whether INSERT, UPDATE or MERGE statement `tokens` may write text into a timestamp column: it
 * holds a string literal or a text bind. Only such statements pay the catalog lookup.
 */
export function mayWriteTimestampText(tokens: readonly Token[], bindTypes: readonly string[]): boolean {
  return tokens.some((t) => t.kind === 'string') || bindTypes.some((b) => b.toUpperCase() === 'TEXT');
}

/**
 * INSERT, UPDATE or MERGE statement `tokens` with each string literal or text bind (its `$n`,
 * typed by `bindTypes`) written into a timestamp column converted as Snowflake converts it; the
 * tokens themselves when there is none. Costs one catalog lookup.
 */
export async function withTimestampWrites(
  ctx: StatementContext,
  tokens: Token[],
  bindTypes: readonly string[],
): Promise<Token[]> {
  const sig = tokens.filter(isSignificant);
  const word = (k: number): string => (sig[k]?.kind === 'word' ? sig[k].text.toUpperCase() : '');
  const first = word(0);
  let writes: [string | undefined, Token[]][] = [];
  let parts: string[] = [];
  if (first === 'UPDATE') {
    const named = qualifiedName(sig, 1);
    parts = named.parts;
    writes = updateWrites(sig, named.next);
  } else if (first === 'MERGE' && word(1) === 'INTO') {
    const named = qualifiedName(sig, 2);
    parts = named.parts;
    writes = mergeWrites(sig, named.next);
  } else if (first === 'INSERT') {
    const k = word(1) === 'OVERWRITE' ? 2 : 1;
    if (word(k) !== 'INTO') return tokens;
    const named = qualifiedName(sig, k + 1);
    parts = named.parts;
    writes = insertWrites(sig, named.next);
  }
  const textual = writes.filter(([, value]) => isText(value, bindTypes));
  if (textual.length === 0) return tokens;
  const { kinds, order } = await timestampKinds(ctx, parts);
  const zone = quoteString(ctx.session.params.get('TIMEZONE') ?? 'UTC');
  const edits = new Map<Token, string>();
  for (const [column, [value]] of textual) {
    // Without a column list, values fill the table's columns in order (`#n`).
    const name = column?.startsWith('#') ? order[Number(column.slice(1))] : column;
    const kind = name === undefined ? undefined : kinds.get(name);
    if (!kind || !value) continue;
    const literal = value.kind === 'string' ? timestampLiteralSql(kind, stringValue(value), zone) : null;
    edits.set(value, literal ?? textToTimestampSql(kind, value.text, zone));
  }
  if (edits.size === 0) return tokens;
  return tokenize(tokens.map((t) => edits.get(t) ?? t.text).join(''));
}

/** SQL converting text `sql` for a column of `kind`; `zone` is the session time zone, quoted. */
export function textToTimestampSql(kind: TimestampKind, sql: string, zone: string): string {
  const text = `CAST(${sql} AS VARCHAR)`;
  return kind === 'NTZ' ? `_SMCP_TEXT_TO_NTZ(${text})` : `_SMCP_TEXT_TO_${kind}(${text}, ${zone})`;
}

/** Whether a written value is one string literal or one bind of text. */
function isText(value: readonly Token[], bindTypes: readonly string[]): boolean {
  const t = value[0];
  if (value.length !== 1 || !t) return false;
  if (t.kind === 'string') return true;
  const bind = /^\$(\d+)$/.exec(t.text);
  return bind !== null && bindTypes[Number(bind[1]) - 1]?.toUpperCase() === 'TEXT';
}

/** The kind of each timestamp column of the table named by `parts`, by name, and its columns in order. */
export async function timestampKinds(
  ctx: StatementContext,
  parts: string[],
): Promise<{ kinds: Map<string, TimestampKind>; order: string[] }> {
  const table = parts.at(-1);
  const schema = parts.length >= 2 ? parts.at(-2) : ctx.session.schema;
  const database = parts.length >= 3 ? parts.at(-3) : ctx.session.database;
  if (!table || !schema || !database) return { kinds: new Map(), order: [] };
  const rows = await ctx.rows(
    `SELECT column_name, data_type FROM duckdb_columns()
      WHERE database_name = $1 AND schema_name = $2 AND table_name = $3 ORDER BY column_index`,
    [database, schema, table],
  );
  const kinds = new Map<string, TimestampKind>();
  for (const [name, type] of rows) {
    const kind = KINDS[String(type)];
    if (kind) kinds.set(String(name), kind);
  }
  return { kinds, order: rows.map(([name]) => String(name)) };
}

/** `INSERT INTO t [(cols)] VALUES (…), …`: each row's values with the column each one fills. */
function insertWrites(sig: readonly Token[], from: number): [string | undefined, Token[]][] {
  let k = from;
  let named: string[] | null = null;
  if (sig[k]?.text === '(') {
    const close = sig.findIndex((t, j) => j > k && t.text === ')');
    if (close < 0) return [];
    named = splitTopLevelCommas(sig.slice(k + 1, close)).map((c) => (c.at(-1) ? identName(c.at(-1)!) : ''));
    k = close + 1;
  }
  if (sig[k]?.text.toUpperCase() !== 'VALUES') return [];
  return rowsWrites(sig.slice(k + 1), named);
}

/** The values of bracketed VALUES rows; `named` columns, or the table's order (null). */
function rowsWrites(rows: readonly Token[], named: string[] | null): [string | undefined, Token[]][] {
  const out: [string | undefined, Token[]][] = [];
  for (const row of splitTopLevelCommas(rows.filter((t) => t.text !== ';'))) {
    if (row[0]?.text !== '(' || row.at(-1)?.text !== ')') return out;
    splitTopLevelCommas(row.slice(1, -1)).forEach((value, n) => out.push([position(named, n), value]));
  }
  return out;
}

/** The column named at position `n`, or `#n`: the table's n-th column, resolved after the lookup. */
function position(named: string[] | null, n: number): string | undefined {
  return named ? named[n] : `#${n}`;
}

/** `UPDATE t [alias] SET c = v, … [FROM …] [WHERE …]`: each SET's column and value. */
function updateWrites(sig: readonly Token[], from: number): [string | undefined, Token[]][] {
  const set = sig.findIndex((t, k) => k >= from && t.kind === 'word' && t.text.toUpperCase() === 'SET');
  if (set < 0) return [];
  let end = set + 1;
  for (let depth = 0; end < sig.length; end++) {
    const up = sig[end]?.text.toUpperCase() ?? '';
    if (up === '(') depth++;
    if (up === ')') depth--;
    if (depth === 0 && ['FROM', 'WHERE', ';'].includes(up)) break;
  }
  return setWrites(sig.slice(set + 1, end));
}

function setWrites(items: readonly Token[]): [string | undefined, Token[]][] {
  return splitTopLevelCommas(items).map((item) => {
    const eq = item.findIndex((t) => t.text === '=');
    const column = eq > 0 ? item[eq - 1] : undefined;
    return [column ? identName(column) : undefined, item.slice(eq + 1)];
  });
}

/**
 * A MERGE's UPDATE SET items and INSERT `[(cols)] VALUES (…)` values, each with the column it
 * writes (`#n`: the table's n-th column, when the INSERT names none).
 */
export function mergeWrites(sig: readonly Token[], from: number): [string | undefined, Token[]][] {
  const out: [string | undefined, Token[]][] = [];
  for (const action of mergeActions(sig, from)) {
    if (action.kind === 'UPDATE') out.push(...setWrites(action.sets));
    else out.push(...insertWrites(action.body, 0));
  }
  return out;
}
