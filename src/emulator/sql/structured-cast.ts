/**
 * The DuckDB expression of a cast to a structured type (structured-types.ts): the operand becomes
 * JSON — an object constant's STRUCT, a semi-structured value, or a structured value taken out of
 * its wrapper — and each member is extracted and converted to its declared type as Snowflake
 * converts a VARIANT: numbers and booleans from their text, text as written, dates and times from
 * their text, TIMESTAMP_LTZ without an offset in the session's time zone, TIMESTAMP_TZ keeping its
 * offset (or the session's), BINARY from hex digits.
 */
import { jsonOfSql } from './decfloat.js';
import { quoteString } from './tokenizer.js';
import { STRUCTURED_MARK } from './structured-mark.js';
import { duckTypeOf, wrappedDuckType } from './structured-types.js';
import type { TypeNode } from './structured-types.js';
import { duckTypeFor } from './types.js';
import type { SfColumnType } from './types.js';

/** A wall clock followed by a UTC offset (as macros.ts reads TIMESTAMP_TZ text). */
const OFFSET_TEXT = String.raw`'^.*\d:\d\d(?::\d\d(?:\.\d+)?)?\s*(?:Z|[+-]\d{1,2}(?::?\d{2})?)$'`;
/** The text of the engine's TIMESTAMP_TZ carrier (to_json of a TIMESTAMP_NS): nine digits, no offset. */
const CARRIER_TEXT = String.raw`'^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9}$'`;
const HEX_TEXT = `'^([0-9A-Fa-f]{2})*$'`;

/** Lambda parameter names must not clash between nesting levels. */
class Names {
  private n = 0;
  next(prefix: string): string {
    return `_smcp_${prefix}${++this.n}`;
  }
}

/**
 * The DuckDB SQL casting `operand` (DuckDB SQL) to structured type `node`, in a session whose time
 * zone is `timeZone`; `tryCast` gives NULL instead of an error for a value that does not convert.
 */
export function structuredCastSql(
  node: TypeNode,
  operand: string,
  timeZone: string,
  tryCast = false,
): string {
  // TRY(…) cannot hold error(), so a TRY_CAST converts softly instead: NULL where a cast fails.
  const how: Conversion = { tz: quoteString(timeZone), soft: tryCast, names: new Names() };
  const x = how.names.next('x');
  // A structured operand is taken out of its wrapper; anything else is read as JSON.
  const json = semiStructuredSql(x, `to_json(${x})`);
  const value = convert(node, json, how);
  // The outer cast keeps the type when DuckDB folds a NULL operand's CASE to an untyped NULL.
  const wrapped = `CAST(CASE WHEN ${x} IS NULL THEN NULL ELSE struct_pack(${quoteName(STRUCTURED_MARK)} := ${value}) END AS ${wrappedDuckType(node)})`;
  return bind(operand, x, wrapped);
}

/**
 * A cast of `operand` to VARIANT, OBJECT or ARRAY: a structured value becomes its JSON without
 * the wrapper; anything else converts by `plain`. DuckDB decides the CASE from the operand's type
 * when it binds the statement, so only one branch is ever planned.
 */
export function semiStructuredSql(operand: string, plain: string): string {
  const x = `(${operand})`;
  return `CASE WHEN ${isWrapped(x)} THEN json_extract(to_json(${x}), ${quoteString(`$.${STRUCTURED_MARK}`)}) ELSE ${plain} END`;
}

/** The macro that makes a VARIANT of its argument (variantSql). */
const VARIANT_MACRO = '_SMCP_VARIANT';

/** `CREATE MACRO` statements for VARIANT values, run once when the engine starts. */
export const VARIANT_MACROS: readonly string[] = [
  `CREATE MACRO ${VARIANT_MACRO}(x) AS ${semiStructuredSql('x', jsonOfSql('x'))}`,
];

/**
 * `operand` as a VARIANT (TO_VARIANT, an element of ARRAY_CONSTRUCT): its JSON, a structured
 * value's plain JSON without the wrapper, a DECFLOAT as its number.
 */
export function variantSql(operand: string): string {
  return `${VARIANT_MACRO}(${operand})`;
}

/** True (as SQL) when `x` is a structured value in its wrapper. */
function isWrapped(x: string): string {
  return `starts_with(replace(typeof(${x}), '"', ''), 'STRUCT(${STRUCTURED_MARK} ')`;
}

/**
 * `body` with `value` bound to lambda parameter `name`: DuckDB evaluates the value once, where
 * writing it out at every use would repeat it (and its binding work) many times over.
 */
function bind(value: string, name: string, body: string): string {
  return `list_transform([${value}], ${name} -> ${body})[1]`;
}

/** `build` over `sql` bound to a name, unless it already is one. */
function bound(sql: string, how: Conversion, build: (name: string) => string): string {
  if (/^_smcp_[a-z]+\d+$/.test(sql)) return build(sql);
  const name = how.names.next('v');
  return bind(sql, name, build(name));
}

function quoteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** JSON member `name` of object `j`. */
function member(j: string, name: string): string {
  // A plain key unless it would read as a JSON path or pointer.
  const key = /^[$/]/.test(name) ? `$."${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : name;
  return `json_extract(${j}, ${quoteString(key)})`;
}

function isNull(j: string): string {
  return `(${j} IS NULL OR json_type(${j}) = 'NULL')`;
}

/** How members convert: the session's time zone (SQL), and whether failures give NULL. */
interface Conversion {
  tz: string;
  soft: boolean;
  names: Names;
}

/** Fails as Snowflake does (or gives NULL, softly) when `j` is not a JSON value of `shape`. */
function notA(j: string, shape: 'OBJECT' | 'ARRAY', target: string, how: Conversion): string {
  const fail = how.soft
    ? 'NULL'
    : `error('Failed to cast variant value ' || CAST(${j} AS VARCHAR) || ' to ${target}')`;
  return `WHEN json_type(${j}) <> '${shape}' THEN ${fail}`;
}

/** The value of type `node` from JSON expression `j`. */
function convert(node: TypeNode, j: string, how: Conversion): string {
  switch (node.kind) {
    case 'object': {
      if (node.fields.length === 0) return `CAST(NULL AS ${duckTypeOf(node)})`;
      return bound(j, how, (v) => {
        const members = node.fields.map(
          (f) => `${quoteName(f.name)} := ${convert(f.type, member(v, f.name), how)}`,
        );
        return `CASE WHEN ${isNull(v)} THEN NULL ${notA(v, 'OBJECT', 'OBJECT', how)} ELSE struct_pack(${members.join(', ')}) END`;
      });
    }
    case 'array': {
      const e = how.names.next('e');
      return bound(
        j,
        how,
        (v) =>
          `CASE WHEN ${isNull(v)} THEN NULL ${notA(v, 'ARRAY', 'ARRAY', how)} ELSE list_transform(CAST(${v} AS JSON[]), ${e} -> ${convert(node.element, e, how)}) END`,
      );
    }
    case 'map': {
      const k = how.names.next('k');
      return bound(j, how, (v) => {
        const entry = `struct_pack(key := ${fromText(node.key, k, how)}, value := ${convert(node.value, `json_extract(${v}, ${k})`, how)})`;
        return `CASE WHEN ${isNull(v)} THEN NULL ${notA(v, 'OBJECT', 'MAP', how)} ELSE map_from_entries(list_transform(json_keys(${v}), ${k} -> ${entry})) END`;
      });
    }
    case 'leaf': {
      const w = node.sf.wire;
      if (w === 'variant' || w === 'object' || w === 'array') return `CAST(${j} AS JSON)`;
      return fromText(node, `json_extract_string(${j}, '$')`, how);
    }
  }
}

/** The value of scalar type `node` from text expression `s` (a map key, or a JSON scalar's text). */
function fromText(node: TypeNode, s: string, how: Conversion): string {
  if (node.kind !== 'leaf') throw new Error('a structured map key');
  const simple = ['text', 'fixed', 'real', 'boolean', 'timestamp_ntz'].includes(node.sf.wire);
  const sql = simple
    ? leafFromText(node.sf, `(${s})`, how.tz)
    : bound(s, how, (v) => leafFromText(node.sf, v, how.tz));
  // Every conversion of text is a cast or a CASE of casts: TRY_CAST gives NULL for what fails.
  return how.soft ? sql.replace(/\bCAST\(/g, 'TRY_CAST(') : sql;
}

function leafFromText(sf: SfColumnType, s: string, tz: string): string {
  const type = duckTypeFor(sf);
  switch (sf.wire) {
    case 'date':
    case 'time':
      // Text of a timestamp converts too, as a VARIANT holding one does.
      return `COALESCE(TRY_CAST(${s} AS ${type}), CAST(CAST(${s} AS TIMESTAMP) AS ${type}))`;
    case 'timestamp_ntz':
      return `CAST(${s} AS TIMESTAMP)`;
    case 'timestamp_ltz':
      return `CASE WHEN regexp_matches(${s}, ${OFFSET_TEXT}) THEN CAST(_SMCP_TO_TZ(${s}) AS TIMESTAMPTZ) ELSE timezone(${tz}, CAST(${s} AS TIMESTAMP)) END`;
    case 'timestamp_tz': {
      const wall = `CAST(${s} AS TIMESTAMP)`;
      const sessionOffset = `CAST((epoch_us(${wall}) - epoch_us(timezone(${tz}, ${wall}))) // 60000000 AS INTEGER)`;
      return `CASE WHEN regexp_matches(${s}, ${CARRIER_TEXT}) THEN CAST(${s} AS TIMESTAMP_NS)
        WHEN regexp_matches(${s}, ${OFFSET_TEXT}) THEN _SMCP_TO_TZ(${s})
        ELSE _SMCP_TZ_MAKE(${wall}, ${sessionOffset}) END`;
    }
    case 'binary':
      // Hex digits as Snowflake's VARIANT keeps binary; a BLOB's own JSON text otherwise.
      return `CASE WHEN regexp_matches(${s}, ${HEX_TEXT}) THEN unhex(${s}) ELSE CAST(${s} AS BLOB) END`;
    default:
      return `CAST(${s} AS ${type})`;
  }
}
