/**
 * Snowflake functions DuckDB lacks, as DuckDB macros created once per instance in `memory.main`
 * (every statement's search path ends there, so all sessions see them). Functions whose arguments
 * need rewriting (DATEADD's bare date part, DECODE's variadic pairs) live in rewrite.ts instead.
 */
import { ARITHMETIC_MACROS } from './arithmetic.js';
import { BUILT_KIND_MACROS } from './built-kinds.js';
import { SUM_RANGE_MACROS } from './sum-range.js';
import { DATE_MACROS } from './date-functions.js';
import { DECFLOAT_MACROS } from './decfloat.js';
import { JSON_MACROS } from './lenient-json.js';
import { JSON_TEXT_MACROS } from './json-text.js';
import { VARIANT_MACROS } from './structured-cast.js';
import { TIMESTAMP_CAST_MACROS } from './timestamp-casts.js';
import { TIMESTAMP_WRITE_MACROS } from './timestamp-writes.js';

/** A time followed by a UTC offset (`Z`, `+02:00`, `-0530`, `+02`): group 1 the wall time, group 2 the offset. */
const TZ_TEXT = String.raw`'^(.*\d:\d\d(?::\d\d(?:\.\d+)?)?)\s*(Z|[+-]\d{1,2}(?::?\d{2})?)$'`;

/**
 * TIMESTAMP_TZ on DuckDB. DuckDB's TIMESTAMPTZ keeps only the instant, so a TIMESTAMP_TZ value is
 * a TIMESTAMP_NS whose whole microseconds are the UTC instant and whose last three nanosecond
 * digits carry the offset in quarter hours (-56..56; 0 = UTC). It stays an ordinary timestamp:
 * comparisons, ORDER BY, MIN/MAX and casts all see the instant (off by < 60 ns; DATE_TRUNC cuts
 * the wall time in the value's own offset, date-functions.ts), and
 * MIN/MAX/CASE/UNION keep the offset. TIMESTAMP_NS is the engine's marker for TIMESTAMP_TZ
 * (encode.ts decodes it). Offsets that are not whole quarter hours keep their instant but report
 * the nearest quarter hour.
 */
const TZ_MACROS: readonly string[] = [
  `CREATE MACRO _SMCP_TZ_MAKE(wall, off) AS make_timestamp_ns(
     (epoch_us(wall) - CAST(off AS BIGINT) * 60000000) * 1000 + CAST(round(off / 15) AS BIGINT))`,
  `CREATE MACRO _SMCP_TZ_MINUTES(o) AS CASE WHEN o = 'Z' THEN 0 ELSE
     (CASE WHEN starts_with(o, '-') THEN -1 ELSE 1 END) * (
       CASE WHEN length(replace(substr(o, 2), ':', '')) <= 2 THEN CAST(substr(o, 2) AS INTEGER) * 60
       ELSE CAST(substr(replace(substr(o, 2), ':', ''), 1, length(replace(substr(o, 2), ':', '')) - 2) AS INTEGER) * 60
         + CAST(right(replace(substr(o, 2), ':', ''), 2) AS INTEGER) END) END`,
  `CREATE MACRO _SMCP_TZ_PARSE(s) AS CASE WHEN regexp_matches(trim(s), ${TZ_TEXT})
     THEN _SMCP_TZ_MAKE(CAST(regexp_extract(trim(s), ${TZ_TEXT}, 1) AS TIMESTAMP),
       _SMCP_TZ_MINUTES(regexp_extract(trim(s), ${TZ_TEXT}, 2)))
     ELSE _SMCP_TZ_MAKE(CAST(trim(s) AS TIMESTAMP), 0) END`,
  `CREATE MACRO _SMCP_TO_TZ(x) AS CASE
     WHEN typeof(x) IN ('TIMESTAMP_NS', 'TIMESTAMP WITH TIME ZONE', 'TIMESTAMP', 'DATE', 'TIMESTAMP_S', 'TIMESTAMP_MS')
       THEN CAST(x AS TIMESTAMP_NS)
     ELSE _SMCP_TZ_PARSE(CAST(x AS VARCHAR)) END`,
  // BINARY_INPUT_FORMAT is HEX by default: text converts by its hex digits, not its UTF-8 bytes.
  `CREATE MACRO _SMCP_TO_BINARY(x) AS CASE WHEN typeof(x) = 'BLOB' THEN CAST(x AS BLOB)
     ELSE unhex(CAST(x AS VARCHAR)) END`,
];

/** `CREATE MACRO` statements, run once when the engine starts. */
export const MACROS: readonly string[] = [
  ...TZ_MACROS,
  ...TIMESTAMP_WRITE_MACROS,
  ...TIMESTAMP_CAST_MACROS,
  ...ARITHMETIC_MACROS,
  ...DATE_MACROS,
  // Inside expressions and column defaults SYSTEM$WAIT only answers; its wait is in default-waits.ts
  // (defaults) and system-wait.ts (a statement of its own).
  `CREATE MACRO SYSTEM$WAIT(n, u := 'SECONDS') AS 'waited ' || CAST(n AS VARCHAR) || ' ' || lower(u)`,
  'CREATE MACRO IFF(c, a, b) AS CASE WHEN c THEN a ELSE b END',
  'CREATE MACRO NVL(a, b) AS COALESCE(a, b)',
  'CREATE MACRO NVL2(a, b, c) AS CASE WHEN a IS NOT NULL THEN b ELSE c END',
  'CREATE MACRO ZEROIFNULL(a) AS COALESCE(a, 0)',
  'CREATE MACRO NULLIFZERO(a) AS NULLIF(a, 0)',
  'CREATE MACRO EQUAL_NULL(a, b) AS a IS NOT DISTINCT FROM b',
  'CREATE MACRO DIV0(a, b) AS CASE WHEN b = 0 THEN 0 ELSE a / b END',
  'CREATE MACRO DIV0NULL(a, b) AS CASE WHEN b = 0 OR b IS NULL THEN 0 ELSE a / b END',
  'CREATE MACRO SQUARE(a) AS a * a',
  'CREATE MACRO STARTSWITH(a, b) AS starts_with(a, b)',
  'CREATE MACRO ENDSWITH(a, b) AS ends_with(a, b)',
  'CREATE MACRO CHARINDEX(a, b) AS position(a IN b), (a, b, s) AS CASE WHEN position(a IN substr(b, s)) = 0 THEN 0 ELSE position(a IN substr(b, s)) + s - 1 END',
  ...JSON_MACROS,
  ...JSON_TEXT_MACROS,
  ...DECFLOAT_MACROS,
  ...VARIANT_MACROS,
  ...BUILT_KIND_MACROS,
  ...SUM_RANGE_MACROS,
  'CREATE MACRO ARRAY_SIZE(a) AS json_array_length(to_json(a))',
  'CREATE MACRO OBJECT_KEYS(o) AS to_json(json_keys(to_json(o)))',
  'CREATE MACRO TO_BOOLEAN(a) AS CAST(a AS BOOLEAN)',
  'CREATE MACRO TO_DOUBLE(a) AS CAST(a AS DOUBLE)',
  'CREATE MACRO TRY_TO_DOUBLE(a) AS TRY_CAST(a AS DOUBLE)',
  'CREATE MACRO TRY_TO_DATE(a) AS TRY_CAST(a AS DATE)',
  'CREATE MACRO TRY_TO_TIMESTAMP(a) AS TRY_CAST(a AS TIMESTAMP)',
  'CREATE MACRO TRY_TO_BOOLEAN(a) AS TRY_CAST(a AS BOOLEAN)',
  'CREATE MACRO TO_TIME(a) AS CAST(a AS TIME)',
  'CREATE MACRO AS_VARCHAR(a) AS CAST(a AS VARCHAR)',
  "CREATE MACRO SYSDATE() AS CAST(now() AT TIME ZONE 'UTC' AS TIMESTAMP)",
  'CREATE MACRO GETDATE() AS now()',
  'CREATE MACRO SYSTIMESTAMP() AS now()',
  'CREATE MACRO LOCALTIMESTAMP() AS now()',
  'CREATE MACRO UUID_STRING() AS CAST(uuid() AS VARCHAR)',
  'CREATE MACRO SHA2(a) AS sha256(a), (a, n) AS sha256(a)',
  "CREATE MACRO INITCAP(s) AS array_to_string(list_transform(string_split(s, ' '), w -> upper(substr(w, 1, 1)) || lower(substr(w, 2))), ' ')",
  "CREATE MACRO REGEXP_SUBSTR(s, p) AS NULLIF(regexp_extract(s, p), '')",
  'CREATE MACRO RLIKE(s, p) AS regexp_full_match(s, p)',
  'CREATE MACRO REGEXP_LIKE(s, p) AS regexp_full_match(s, p)',
  'CREATE MACRO ADD_MONTHS(d, n) AS d + to_months(CAST(n AS INTEGER))',
  'CREATE MACRO BOOLOR_AGG(a) AS bool_or(a)',
  'CREATE MACRO BOOLAND_AGG(a) AS bool_and(a)',
  'CREATE MACRO BITAND(a, b) AS a & b',
  'CREATE MACRO BITOR(a, b) AS a | b',
  'CREATE MACRO BASE64_ENCODE(a) AS to_base64(CAST(a AS BLOB))',
  'CREATE MACRO HEX_ENCODE(a) AS upper(hex(a))',
  "CREATE MACRO SPACE(n) AS repeat(' ', CAST(n AS INTEGER))",
  'CREATE MACRO ARRAYS_OVERLAP(a, b) AS len(list_intersect(CAST(a AS JSON[]), CAST(b AS JSON[]))) > 0',
  "CREATE MACRO ARRAY_COMPACT(a) AS to_json(list_filter(CAST(a AS JSON[]), x -> x IS NOT NULL AND CAST(x AS VARCHAR) <> 'null'))",
  "CREATE MACRO IS_NULL_VALUE(v) AS CAST(v AS VARCHAR) = 'null'",
  "CREATE MACRO TIMESTAMPADD(p, n, t) AS date_add(t, CAST(n AS BIGINT) * CAST('1 ' || p AS INTERVAL))",
];
