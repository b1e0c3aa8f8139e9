/**
 * OBJECT and ARRAY values built by a query (OBJECT_CONSTRUCT, ARRAY_CONSTRUCT, `::OBJECT`, …):
 * Snowflake types such a result column OBJECT or ARRAY, where the engine holds every
 * semi-structured value as DuckDB JSON, which reads as VARIANT. DuckDB keeps no name of its own on
 * a JSON value (a type alias of JSON resolves to JSON), so the rewrite marks what it builds with
 * an identity macro (`_SMCP_OBJECT(…)`, `_SMCP_ARRAY(…)`) that DuckDB inlines at no cost, and the
 * result's columns read the marks back from the DuckDB text: a top-level select item that is one
 * marked expression names an OBJECT or ARRAY column. A built value reached through a subquery,
 * a CASE or a UNION stays VARIANT.
 */
import { isSignificant, tokenize } from './tokenizer.js';
import type { Token } from './tokenizer.js';

/** What a marked expression builds. */
export type BuiltKind = 'object' | 'array';

const MARKS: Readonly<Record<BuiltKind, string>> = { object: '_SMCP_OBJECT', array: '_SMCP_ARRAY' };

/** `CREATE MACRO` statements of the marks, run once when the engine starts. */
export const BUILT_KIND_MACROS: readonly string[] = Object.values(MARKS).map(
  (mark) => `CREATE MACRO ${mark}(x) AS x`,
);

/** `sql` (DuckDB SQL of a semi-structured value) marked as building a `kind`. */
export function markBuilt(kind: BuiltKind, sql: string): string {
  return `${MARKS[kind]}(${sql})`;
}

function kindOfMark(word: string): BuiltKind | undefined {
  const upper = word.toUpperCase();
  if (upper === MARKS.object) return 'object';
  if (upper === MARKS.array) return 'array';
  return undefined;
}

/** Words that end the top-level select list. */
const LIST_END = new Set([
  'FROM',
  'WHERE',
  'GROUP',
  'HAVING',
  'QUALIFY',
  'WINDOW',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'UNION',
  'EXCEPT',
  'INTERSECT',
  'INTO',
]);

/** The significant tokens of the outermost select list of `sig`, split into items. */
function selectItems(sig: readonly Token[]): Token[][] {
  let depth = 0;
  let at = -1;
  for (let i = 0; i < sig.length; i++) {
    const t = sig[i];
    if (t?.text === '(') depth++;
    else if (t?.text === ')') depth--;
    else if (depth === 0 && t?.kind === 'word' && t.text.toUpperCase() === 'SELECT') {
      at = i + 1;
      break;
    }
  }
  if (at < 0) return [];
  const items: Token[][] = [];
  let item: Token[] = [];
  depth = 0;
  for (let i = at; i < sig.length; i++) {
    const t = sig[i];
    if (!t) break;
    if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
    else if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
    if (depth === 0 && (t.text === ';' || (t.kind === 'word' && LIST_END.has(t.text.toUpperCase())))) break;
    if (depth === 0 && t.text === ',') {
      items.push(item);
      item = [];
    } else item.push(t);
  }
  items.push(item);
  return items;
}

/** Whether the outermost query combines selects (UNION, EXCEPT, INTERSECT, MINUS). */
function hasSetOperation(sig: readonly Token[]): boolean {
  let depth = 0;
  for (const t of sig) {
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (depth === 0 && t.kind === 'word' && SET_OPERATIONS.has(t.text.toUpperCase())) return true;
  }
  return false;
}

const SET_OPERATIONS = new Set(['UNION', 'EXCEPT', 'INTERSECT', 'MINUS']);

/** The column name and kind of an item that is one marked call (with an optional `AS name`). */
function builtItem(item: readonly Token[]): [string, BuiltKind] | null {
  const first = item[0];
  const kind = first?.kind === 'word' ? kindOfMark(first.text) : undefined;
  if (!kind || item[1]?.text !== '(') return null;
  let depth = 0;
  let close = -1;
  for (let i = 1; i < item.length; i++) {
    const text = item[i]?.text;
    if (text === '(') depth++;
    else if (text === ')' && --depth === 0) {
      close = i;
      break;
    }
  }
  const rest = item.slice(close + 1);
  const as = rest[0]?.kind === 'word' && rest[0].text.toUpperCase() === 'AS' ? 1 : 0;
  const name = rest[as];
  if (close < 0 || rest.length !== as + 1 || !name) return null;
  if (name.kind === 'quoted') return [name.text.slice(1, -1).replace(/""/g, '"'), kind];
  return name.kind === 'word' ? [name.text, kind] : null;
}

/**
 * The built OBJECT and ARRAY columns of DuckDB statement `sql`, by the column name DuckDB gives
 * them (empty when the text holds no mark, without tokenizing it).
 */
export function builtColumnKinds(sql: string): ReadonlyMap<string, BuiltKind> {
  const kinds = new Map<string, BuiltKind>();
  if (!Object.values(MARKS).some((mark) => sql.includes(`${mark}(`))) return kinds;
  const sig = tokenize(sql).filter(isSignificant);
  // A set operation's other branches may give the column another type: it stays VARIANT.
  if (hasSetOperation(sig)) return kinds;
  for (const item of selectItems(sig)) {
    const built = builtItem(item);
    if (built) kinds.set(built[0], built[1]);
  }
  return kinds;
}
