/**
 * SPLIT_TO_TABLE(string, delimiter) and STRTOK_SPLIT_TO_TABLE(string [, delimiters]) in FROM:
 * one row per part with Snowflake's columns SEQ, INDEX (from 1) and VALUE. SPLIT_TO_TABLE splits
 * at every occurrence of the delimiter string (an empty delimiter keeps the string whole);
 * STRTOK_SPLIT_TO_TABLE splits at any of the delimiter characters (default a space) and drops
 * empty parts. A NULL string gives no rows. SEQ as in FLATTEN: 1 for a constant input, a hash of
 * the input otherwise. The string is evaluated once, so a bind in it is bound once.
 */
import { badArgument } from './args.js';
import type { TokenWriter } from './types.js';

/** Escapes characters special inside a regular expression's [...] class. */
function classChars(chars: string): string {
  return chars.replace(/[\\\]^[-]/g, (c) => `\\${c}`);
}

function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** The DuckDB subquery for SPLIT_TO_TABLE / STRTOK_SPLIT_TO_TABLE whose parentheses are at open/close. */
export function splitTable(w: TokenWriter, name: string, open: number, close: number): string {
  const ranges = w.args(open, close);
  const text = (k: number): string => {
    const r = ranges[k];
    return r ? w.emit(r[0], r[1]).trim() : 'NULL';
  };
  let parts: string;
  if (name === 'SPLIT_TO_TABLE') {
    if (ranges.length !== 2) throw badArgument(name, 'it takes a string and a delimiter');
    parts =
      `CASE WHEN _smcp_s._str IS NULL THEN CAST([] AS VARCHAR[]) WHEN _smcp_s._delim = '' THEN [_smcp_s._str] ` +
      `ELSE string_split(_smcp_s._str, _smcp_s._delim) END`;
    return rows(
      `CAST(${text(0)} AS VARCHAR) AS _str, CAST(${text(1)} AS VARCHAR) AS _delim`,
      parts,
      ranges,
      w,
    );
  }
  if (ranges.length < 1 || ranges.length > 2)
    throw badArgument(name, 'it takes a string and optional delimiters');
  const delimRange = ranges[1];
  const delims = delimRange ? w.argString(delimRange) : ' ';
  if (delims === null) throw badArgument(name, 'the delimiters must be a string literal');
  parts =
    delims === ''
      ? `CASE WHEN _smcp_s._str IS NULL OR _smcp_s._str = '' THEN CAST([] AS VARCHAR[]) ELSE [_smcp_s._str] END`
      : `list_filter(coalesce(regexp_split_to_array(_smcp_s._str, ${quote(`[${classChars(delims)}]`)}), CAST([] AS VARCHAR[])), _smcp_p -> _smcp_p <> '')`;
  return rows(`CAST(${text(0)} AS VARCHAR) AS _str`, parts, ranges, w);
}

function rows(inputs: string, parts: string, ranges: [number, number][], w: TokenWriter): string {
  const first = ranges[0];
  const constant =
    first !== undefined &&
    w.toks.slice(first[0], first[1]).every((t) => t.kind !== 'word' && t.kind !== 'quoted');
  const seq = constant ? 'CAST(1 AS BIGINT)' : 'CAST(hash(_smcp_u._str) % 9007199254740991 + 1 AS BIGINT)';
  return (
    `(SELECT ${seq} AS "SEQ", CAST(_smcp_u._i AS BIGINT) AS "INDEX", _smcp_u._v AS "VALUE" ` +
    `FROM (SELECT _smcp_s._str, unnest(_smcp_s._parts) AS _v, generate_subscripts(_smcp_s._parts, 1) AS _i ` +
    `FROM (SELECT _smcp_s.*, ${parts} AS _parts FROM (SELECT ${inputs}) AS _smcp_s) AS _smcp_s) AS _smcp_u)`
  );
}
