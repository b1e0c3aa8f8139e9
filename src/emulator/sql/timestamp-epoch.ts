/**
 * Integer text read as a timestamp, as Snowflake reads it (TO_TIMESTAMP('1700000000'),
 * '1700000000'::TIMESTAMP_NTZ, such text written into a timestamp column): a count since the
 * epoch, 1970-01-01 00:00:00 UTC, whose unit its magnitude gives. Below 31536000000 (the
 * milliseconds of a year) it is seconds, below 31536000000000 milliseconds, below
 * 31536000000000000 microseconds, and nanoseconds above. The instant becomes ISO text at UTC
 * (`2023-11-14 22:13:20.000000000+00:00`), which every timestamp conversion already reads: the
 * wall time at UTC for TIMESTAMP_NTZ, the instant for TIMESTAMP_LTZ and TIMESTAMP_TZ.
 */

/** The milliseconds of a 365-day year: the magnitude from which integer text is not seconds. */
const YEAR_MS = 31_536_000_000n;

/** The engine's type of each kind the macros below convert to. */
const DUCK = { NTZ: 'TIMESTAMP', LTZ: 'TIMESTAMPTZ' } as const;

const INTEGER = /^[+-]?\d{1,20}$/;

/** Integer text `text` (sign and surrounding blanks allowed) as ISO timestamp text at UTC; null for other text. */
export function epochTimestampText(text: string): string | null {
  const t = text.trim();
  if (!INTEGER.test(t)) return null;
  const n = BigInt(t);
  const scale =
    n < YEAR_MS ? 1_000_000_000n : n < YEAR_MS * 1000n ? 1_000_000n : n < YEAR_MS * 1_000_000n ? 1000n : 1n;
  const nanos = n * scale;
  // Only seconds can be negative, so the nanoseconds split exactly into seconds and a fraction.
  const seconds = nanos / 1_000_000_000n;
  const iso = new Date(Number(seconds) * 1000);
  const year = iso.getUTCFullYear();
  if (Number.isNaN(year) || year < 1 || year > 9999) return null;
  const fraction = String(nanos % 1_000_000_000n).padStart(9, '0');
  const whole = iso.toISOString();
  return `${whole.slice(0, 10)} ${whole.slice(11, 19)}.${fraction}+00:00`;
}

/**
 * SQL of text `s` (a macro parameter) read as {@link epochTimestampText} does, to microseconds;
 * null when `s` is no integer text or its instant is out of range, so callers fall back.
 */
export const EPOCH_TEXT_SQL = String.raw`CASE WHEN regexp_full_match(trim(s), '[+-]?\d{1,20}') THEN
  strftime(make_timestamp(TRY_CAST(CASE
    WHEN CAST(trim(s) AS HUGEINT) < 31536000000 THEN CAST(trim(s) AS HUGEINT) * 1000000
    WHEN CAST(trim(s) AS HUGEINT) < 31536000000000 THEN CAST(trim(s) AS HUGEINT) * 1000
    WHEN CAST(trim(s) AS HUGEINT) < 31536000000000000 THEN CAST(trim(s) AS HUGEINT)
    ELSE CAST(trim(s) AS HUGEINT) // 1000 END AS BIGINT)), '%Y-%m-%d %H:%M:%S.%f') || '+00:00' END`;

/**
 * `CREATE MACRO` statements converting a value to TIMESTAMP_NTZ (`_SMCP_TO_NTZ`) or TIMESTAMP_LTZ
 * in a UTC session (`_SMCP_TO_LTZ`), as DuckDB's casts do except that integer text is read as
 * {@link epochTimestampText} reads it; `_SMCP_TRY_TO_NTZ` gives NULL for text that is no timestamp.
 * Text goes through TRY_CAST first, so text DuckDB reads costs about what its cast did (measured
 * on 2M rows) and only text it cannot read is matched as integer text; text that is neither fails with DuckDB's cast error.
 */
export const EPOCH_CAST_MACROS: readonly string[] = [
  `CREATE MACRO _SMCP_EPOCH_TEXT(s) AS ${EPOCH_TEXT_SQL}`,
  // typeof() is known when DuckDB binds, so only one branch runs; the casts keep the other bindable.
  // A CASE, not COALESCE: DuckDB's COALESCE costs its later arguments' work on every row.
  ...(['NTZ', 'LTZ'] as const).map(
    (
      kind,
    ) => `CREATE MACRO _SMCP_TO_${kind}(x) AS CASE WHEN typeof(x) <> 'VARCHAR' THEN CAST(x AS ${DUCK[kind]})
     WHEN TRY_CAST(x AS ${DUCK[kind]}) IS NOT NULL THEN TRY_CAST(x AS ${DUCK[kind]})
     ELSE CAST(COALESCE(_SMCP_EPOCH_TEXT(CAST(x AS VARCHAR)), CAST(x AS VARCHAR)) AS ${DUCK[kind]}) END`,
  ),
  `CREATE MACRO _SMCP_TRY_TO_NTZ(x) AS CASE WHEN typeof(x) <> 'VARCHAR' THEN TRY_CAST(x AS TIMESTAMP)
     WHEN TRY_CAST(x AS TIMESTAMP) IS NOT NULL THEN TRY_CAST(x AS TIMESTAMP)
     ELSE TRY_CAST(_SMCP_EPOCH_TEXT(CAST(x AS VARCHAR)) AS TIMESTAMP) END`,
];
