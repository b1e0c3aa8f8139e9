/**
 * FLATTEN(input => expr [, path => 'a.b', outer => bool, recursive => bool, mode => 'BOTH'|'ARRAY'|'OBJECT'])
 * (or the same arguments by position) in FROM, as TABLE(FLATTEN(…)) or LATERAL FLATTEN(…): one row
 * per element of the array or object, with Snowflake's columns SEQ, KEY, PATH, INDEX, VALUE and THIS.
 *
 * The input is evaluated once (a bind in it is bound once). Without RECURSIVE the elements come
 * from a select-list UNNEST, so a constant input keeps its element order; with RECURSIVE from
 * DuckDB's json_tree. Differences from Snowflake: SEQ is 1 for an input that reads no column and a
 * hash of the input otherwise (unique per distinct input rather than per input row); object keys
 * come sorted, as Snowflake stores them; rows of a FLATTEN joined laterally to a table come in
 * DuckDB's order, so ORDER BY what matters (e.g. f.INDEX).
 */
import { badArgument, boolLiteral, callArgs } from './args.js';
import type { Range } from './args.js';
import type { TokenWriter } from './types.js';
import { quoteString } from '../tokenizer.js';

/** Words that read no column inside an input expression (literal keywords). */
const CONSTANT_WORDS = new Set(['TRUE', 'FALSE', 'NULL']);

/** True when the input reads no column: only literals and function calls. */
function isConstant(w: TokenWriter, range: Range): boolean {
  for (let i = range[0]; i < range[1]; i++) {
    const t = w.toks[i];
    if (!t) continue;
    if (t.kind === 'quoted') return false;
    if (t.kind !== 'word') continue;
    // Type names after :: or AS, function names and literal keywords read no column.
    const prev = w.prevSig(i);
    if (w.text(prev) === '::' || w.upper(prev) === 'AS') continue;
    if (w.text(w.nextSig(i)) === '(' || CONSTANT_WORDS.has(t.text.toUpperCase())) continue;
    return false;
  }
  return true;
}

/** Snowflake's path text ('a.b[0]', "a['x y']") as a DuckDB JSONPath ('$.a.b[0]', '$.a."x y"'). */
export function jsonPath(path: string): string {
  const body = path
    .trim()
    .replace(/\[\s*'((?:[^']|'')*)'\s*\]/g, (_m, key: string) => `."${key.replace(/''/g, "'")}"`);
  if (body === '') return '$';
  return body.startsWith('[') || body.startsWith('.') ? `$${body}` : `$.${body}`;
}

/** SQL of one path step for key `k` after `prefix` (both SQL expressions of VARCHAR). */
function keyStep(prefix: string, k: string): string {
  return (
    `CASE WHEN regexp_full_match(${k}, '[A-Za-z_][A-Za-z0-9_$]*') ` +
    `THEN (CASE WHEN ${prefix} = '' THEN '' ELSE ${prefix} || '.' END) || ${k} ` +
    `ELSE ${prefix} || '[''' || replace(${k}, '''', '\\''') || ''']' END`
  );
}

/** The DuckDB subquery for FLATTEN(args) whose parentheses are at `open` and `close`. */
export function flattenTable(w: TokenWriter, open: number, close: number): string {
  const { positional, named } = callArgs(w, open, close);
  const names = ['INPUT', 'PATH', 'OUTER', 'RECURSIVE', 'MODE'];
  const arg = new Map<string, Range>();
  positional.forEach((range, k) => {
    const name = names[k];
    if (!name) throw badArgument('FLATTEN', 'too many arguments');
    arg.set(name, range);
  });
  for (const [name, range] of named) {
    if (!names.includes(name)) throw badArgument('FLATTEN', `unknown argument ${name}`);
    arg.set(name, range);
  }
  const input = arg.get('INPUT');
  if (!input) throw badArgument('FLATTEN', 'INPUT is required');
  const pathRange = arg.get('PATH');
  const path = pathRange ? w.argString(pathRange) : '';
  if (path === null) throw badArgument('FLATTEN', 'PATH must be a string literal');
  const flag = (name: string): boolean => {
    const range = arg.get(name);
    if (!range) return false;
    const value = boolLiteral(w, range);
    if (value === null) throw badArgument('FLATTEN', `${name} must be TRUE or FALSE`);
    return value;
  };
  const outer = flag('OUTER');
  const recursive = flag('RECURSIVE');
  const modeRange = arg.get('MODE');
  const mode = modeRange ? (w.argString(modeRange) ?? '').toUpperCase() : 'BOTH';
  if (!['BOTH', 'ARRAY', 'OBJECT'].includes(mode))
    throw badArgument('FLATTEN', "MODE must be 'BOTH', 'ARRAY' or 'OBJECT'");

  const source = w.emit(input[0], input[1]).trim();
  const root =
    path === '' ? `to_json(${source})` : `json_extract(to_json(${source}), ${quoteString(jsonPath(path))})`;
  const seq = isConstant(w, input)
    ? 'CAST(1 AS BIGINT)'
    : 'CAST(hash(_smcp_s._this) % 9007199254740991 + 1 AS BIGINT)';
  const prefix = quoteString(path.trim());
  const kinds = mode === 'BOTH' ? `('ARRAY', 'OBJECT')` : `('${mode}')`;
  return recursive
    ? recursiveFlatten(root, seq, prefix, kinds, outer, isConstant(w, input))
    : flatFlatten(root, seq, prefix, mode, outer);
}

function flatFlatten(root: string, seq: string, prefix: string, mode: string, outer: boolean): string {
  const struct = 'STRUCT(k VARCHAR, i BIGINT, v JSON)';
  const arrays = `list_transform(CAST(_smcp_s._this AS JSON[]), (x, n) -> CAST({'k': NULL, 'i': n - 1, 'v': x} AS ${struct}))`;
  const objects =
    `list_transform(list_sort(json_keys(_smcp_s._this)), x -> CAST({'k': x, 'i': NULL, ` +
    `'v': json_extract(_smcp_s._this, '$."' || replace(x, '"', '\\"') || '"')} AS ${struct}))`;
  const empty = `CAST([] AS ${struct}[])`;
  const elements =
    `CASE json_type(_smcp_s._this) ` +
    (mode !== 'OBJECT' ? `WHEN 'ARRAY' THEN ${arrays} ` : '') +
    (mode !== 'ARRAY' ? `WHEN 'OBJECT' THEN ${objects} ` : '') +
    `ELSE ${empty} END`;
  const list = outer
    ? `CASE WHEN len(${elements}) = 0 THEN [CAST({'k': NULL, 'i': NULL, 'v': NULL} AS ${struct})] ELSE ${elements} END`
    : elements;
  const step = keyStep(prefix, '_smcp_e.k');
  return (
    `(SELECT ${seq} AS "SEQ", _smcp_e.k AS "KEY", ` +
    `CASE WHEN _smcp_e.i IS NOT NULL THEN ${prefix} || '[' || _smcp_e.i || ']' ` +
    `WHEN _smcp_e.k IS NOT NULL THEN ${step} ELSE ${prefix} END AS "PATH", ` +
    `_smcp_e.i AS "INDEX", _smcp_e.v AS "VALUE", _smcp_s._this AS "THIS" ` +
    `FROM (SELECT _smcp_s._this, unnest(${list}) AS _smcp_e FROM (SELECT ${root} AS _this) AS _smcp_s) AS _smcp_s)`
  );
}

/**
 * json_tree rows of the input, each with `_root` (the input) beside it. A constant input is read by
 * json_tree directly, so the rows keep document order (the root row's value, first by id, is the
 * input); an input read from a column goes through a one-row subquery joined laterally.
 */
function treeRows(root: string, constant: boolean): string {
  if (constant) {
    return (
      `(SELECT _smcp_t.*, first_value(_smcp_t.value) OVER (ORDER BY _smcp_t.id ROWS BETWEEN UNBOUNDED PRECEDING ` +
      `AND UNBOUNDED FOLLOWING) AS _root FROM json_tree(${root}) AS _smcp_t)`
    );
  }
  return `(SELECT _smcp_t.*, _smcp_s._this AS _root FROM (SELECT ${root} AS _this) AS _smcp_s, json_tree(_smcp_s._this) AS _smcp_t)`;
}

function recursiveFlatten(
  root: string,
  seq: string,
  prefix: string,
  kinds: string,
  outer: boolean,
  constant: boolean,
): string {
  // json_tree's fullkey is '$' + the element's path ('$.a[0]', '$."x y"'): as Snowflake writes it,
  // after the PATH argument.
  const rest = `regexp_replace(substr(_smcp_e.fullkey, 2), '\\."((?:[^"\\\\]|\\\\.)*)"', '[''\\1'']', 'g')`;
  const path = `CASE WHEN ${prefix} = '' THEN ltrim(${rest}, '.') ELSE ${prefix} || ${rest} END`;
  const parentType = `json_type(_smcp_e._root, _smcp_e.path)`;
  const rowSeq = seq.replace(/_smcp_s\._this/g, '_smcp_e._root');
  const rows =
    `SELECT ${rowSeq} AS "SEQ", CASE WHEN ${parentType} = 'OBJECT' THEN _smcp_e.key END AS "KEY", ${path} AS "PATH", ` +
    `CASE WHEN ${parentType} = 'ARRAY' THEN CAST(_smcp_e.key AS BIGINT) END AS "INDEX", ` +
    `CAST(_smcp_e.value AS JSON) AS "VALUE", json_extract(_smcp_e._root, _smcp_e.path) AS "THIS" ` +
    `FROM ${treeRows(root, constant)} AS _smcp_e ` +
    `WHERE _smcp_e.parent IS NOT NULL AND ${parentType} IN ${kinds}`;
  if (!outer) return `(${rows})`;
  return (
    `(WITH _smcp_rows AS (${rows}) SELECT * FROM _smcp_rows UNION ALL ` +
    `SELECT CAST(1 AS BIGINT), NULL, ${prefix}, NULL, NULL, NULL WHERE NOT EXISTS (SELECT 1 FROM _smcp_rows))`
  );
}
