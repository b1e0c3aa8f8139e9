/**
 * Building blocks of the fuzz generator: a seeded PRNG (mulberry32), valid MCP messages to start
 * from, and the kinds of damage done to them (invalid JSON, junk values, nasty and huge strings,
 * garbage headers, bit flips, field mutations). Pure functions of the Rng they are handed.
 */
import { EXPECTED_TOOL_NAMES } from '../helpers/tool-names.js';

/** Where a case is sent. */
export type FuzzTarget = 'http-modern' | 'http-session' | 'http-legacy' | 'http-tool-api' | 'websocket';

/** What kind of damage a case carries. */
export type FuzzFamily =
  | 'invalid-json'
  | 'wrong-shape'
  | 'batch'
  | 'unknown-method'
  | 'tool-arguments'
  | 'headers'
  | 'content-type'
  | 'binary'
  | 'oversized'
  | 'mutated';

/** Every family, in a fixed order (the generator picks by index). */
export const FAMILIES: readonly FuzzFamily[] = [
  'invalid-json',
  'wrong-shape',
  'batch',
  'unknown-method',
  'tool-arguments',
  'headers',
  'content-type',
  'binary',
  'oversized',
  'mutated',
];

/** A JSON object under construction. */
export type JsonObject = Record<string, unknown>;

/** The stateless protocol revision (2026-07-28) whose requests carry `_meta` instead of initialize. */
export const MODERN_VERSION = '2026-07-28';

/** mulberry32: a tiny, well-mixed 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Convenience draws over mulberry32. */
export class Rng {
  private readonly draw: () => number;

  constructor(seed: number) {
    this.draw = mulberry32(seed);
  }

  /** A float in [0, 1). */
  next(): number {
    return this.draw();
  }

  /** An integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.draw() * (hi - lo + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.draw() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.draw() * items.length)];
  }
}

/** The tools smcp serves (the plain tool API and tools/call use these names). */
export const TOOL_NAMES = EXPECTED_TOOL_NAMES;

const DB = { database: 'SAMPLE_DB' };
const SCHEMA = { database: 'SAMPLE_DB', schema: 'PUBLIC' };

/** Arguments each tool accepts (cheap calls: the fuzz run must not be a load test). */
function validArguments(rng: Rng, tool: string): JsonObject {
  switch (tool) {
    case 'list_schemas':
      return { ...DB };
    case 'search_objects':
      return { ...DB, pattern: rng.pick(['ORDERS', 'NOPE%', '/^CUST/']) };
    case 'list_tables':
    case 'list_views':
      return { ...SCHEMA };
    case 'describe_table':
      return { ...SCHEMA, table: rng.pick(['CUSTOMERS', 'ORDERS', 'NOPE']) };
    case 'describe_view':
      return { ...SCHEMA, view: 'NOPE' };
    case 'query_view':
      return { ...SCHEMA, view: 'NOPE', limit: 5 };
    case 'execute_query':
      return { sql: rng.pick(['SELECT 1', 'SELECT CURRENT_VERSION()', 'SHOW DATABASES']), max_rows: 10 };
    case 'fetch_results':
      return { query_id: 'not-a-query', offset: 0 };
    case 'query_status':
      return { query_id: 'not-a-query' };
    default:
      return {};
  }
}

const PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  list_schemas: ['database'],
  list_tables: ['database', 'schema', 'like'],
  list_views: ['database', 'schema', 'like'],
  describe_table: ['database', 'schema', 'table'],
  describe_view: ['database', 'schema', 'view'],
  query_view: ['database', 'schema', 'view', 'columns', 'where', 'order_by', 'limit', 'timeout_s', 'format'],
  execute_query: ['sql', 'database', 'schema', 'max_rows', 'timeout_s', 'format'],
  fetch_results: ['query_id', 'offset', 'limit', 'format'],
  query_status: ['query_id'],
};

/** Arguments for `tool` with wrong types, missing fields, huge or nasty values (or valid ones). */
export function wrongToolArguments(rng: Rng, tool: string, validOnly = false): unknown {
  const args = validArguments(rng, tool);
  if (validOnly) return args;
  const props = PROPERTIES[tool] ?? ['x'];
  const mode = rng.int(0, 7);
  if (mode === 0) return {};
  if (mode === 1) return rng.pick<unknown>([[], 'sql', 42, null, true, [args]]);
  const key = rng.pick(props);
  if (mode === 2) args[key] = junkValue(rng, 2);
  else if (mode === 3) args[key] = hugeString(rng, 200_000);
  else if (mode === 4) args[key] = nastyString(rng);
  else if (mode === 5) args[key] = rng.pick([-1, 0, 1.5, 1e20, -1e20, Number.MAX_SAFE_INTEGER + 2, '10']);
  else if (mode === 6) args[nastyString(rng)] = junkValue(rng, 1);
  else args[key] = DEEP_MARK;
  return args;
}

const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
  'io.modelcontextprotocol/clientInfo': { name: 'fuzz', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

/**
 * A well-formed JSON-RPC message: a request (id) or, unless `withId`, sometimes a notification.
 * `modern` adds the 2026-07-28 `_meta` envelope the stateless leg requires.
 */
export function validMessage(rng: Rng, modern: boolean, withId: boolean, method?: string): JsonObject {
  const chosen =
    method ??
    rng.pick([
      'ping',
      'tools/list',
      'tools/call',
      'tools/call',
      'resources/list',
      'prompts/list',
      'tools/call',
    ]);
  const params: JsonObject = {};
  if (chosen === 'tools/call') {
    const tool = rng.pick(TOOL_NAMES);
    params.name = tool;
    params.arguments = validArguments(rng, tool);
  }
  if (modern) params._meta = { ...MODERN_META };
  if (!withId && rng.chance(0.3)) {
    return {
      jsonrpc: '2.0',
      method: rng.pick(['notifications/initialized', 'notifications/cancelled']),
      params,
    };
  }
  const id = rng.chance(0.7) ? rng.int(1, 1_000_000) : `fuzz-${rng.int(1, 1_000_000)}`;
  return { jsonrpc: '2.0', id, method: chosen, params };
}

const NASTY = [
  '\u0000',
  '\u0000\u0001\u0002\u001f\u007f',
  '\ud800',
  '\udfff\ud800',
  '😀🧨👩‍👩‍👧‍👦',
  '\u202eRTL\u202c',
  '\u200b\u200c\u200d\ufeff',
  '\u2028\u2029',
  'e\u0301\u0301\u0301\u0301\u0301\u0301',
  "'; DROP TABLE CUSTOMERS; --",
  '"quoted" \\ back\\slash',
  '%s%n%x{0}${x}',
  '../../../../etc/passwd',
  '<script>alert(1)</script>',
  '\r\n\r\nHTTP/1.1 200 OK\r\n',
  'SAMPLE_DB"."PUBLIC',
  '$$ dollar $$',
  'ＳＥＬＥＣＴ １',
  '𝕊𝔼𝕃𝔼ℂ𝕋',
  '-- comment only',
];

/** A string built to upset parsers, escapers and SQL: control chars, lone surrogates, emoji, quotes. */
export function nastyString(rng: Rng): string {
  const parts = rng.int(1, 4);
  let s = '';
  for (let i = 0; i < parts; i++) {
    s += rng.chance(0.7) ? rng.pick(NASTY) : String.fromCharCode(rng.int(0, 0xffff));
  }
  return s;
}

/** A string of up to `max` characters (a random chunk repeated, so building it is cheap). */
export function hugeString(rng: Rng, max: number): string {
  const length = rng.int(Math.floor(max / 4), max);
  const chunk = rng.chance(0.5) ? 'x' : nastyString(rng) + 'abc';
  return chunk.repeat(Math.ceil(length / chunk.length)).slice(0, length);
}

/** A random JSON value of limited depth (numbers at the edges, strings, arrays, objects). */
export function junkValue(rng: Rng, depth: number): unknown {
  const kind = rng.int(0, depth > 0 ? 9 : 7);
  switch (kind) {
    case 0:
      return rng.pick([0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, 5e-324]);
    case 1:
      return nastyString(rng);
    case 2:
      return '';
    case 3:
      return rng.chance(0.5);
    case 4:
      return null;
    case 5:
      return rng.int(-1_000_000, 1_000_000);
    case 6:
      return 'tools/call';
    case 7:
      return {};
    case 8:
      return Array.from({ length: rng.int(0, 4) }, () => junkValue(rng, depth - 1));
    default:
      return Object.fromEntries(
        Array.from({ length: rng.int(0, 4) }, () => [nastyString(rng), junkValue(rng, depth - 1)]),
      );
  }
}

/** Placeholder string that {@link withDeepText} swaps for deeply nested JSON text. */
export const DEEP_MARK = '__smcp_fuzz_deep__';

/** Nested JSON text `depth` levels deep (`{"a":{"a":…}}` or `[[…]]`), too deep for JSON.stringify. */
export function deepText(rng: Rng, depth: number): string {
  if (rng.chance(0.5)) return `${'{"a":'.repeat(depth)}{}${'}'.repeat(depth)}`;
  return `{"nested":${'['.repeat(depth)}${']'.repeat(depth)}}`;
}

/** Serialises `value`, replacing the string {@link DEEP_MARK} by deeply nested JSON text. */
export function withDeepText(rng: Rng, value: unknown, depth: number): string {
  return JSON.stringify(value).replace(`"${DEEP_MARK}"`, () => deepText(rng, depth));
}

/** Text that is certainly not valid JSON. */
export function invalidJsonText(rng: Rng): string {
  const valid = JSON.stringify(validMessage(rng, rng.chance(0.5), true));
  const variants: (() => string)[] = [
    () => valid.slice(0, rng.int(0, valid.length - 1)),
    () => valid.replace(/"/g, "'"),
    () => valid.replace(/}$/, ',}'),
    () => valid.replace(/"jsonrpc"/, 'jsonrpc'),
    () => `${valid}${valid}`,
    () => `${valid} garbage`,
    // Not a leading BOM: RFC 8259 lets a parser ignore one (express's body parser does).
    () => `\ufeff\ufeff${valid}`,
    () => `{"jsonrpc":"2.0","id":${rng.pick(['NaN', 'Infinity', 'undefined', '-', '0x10', '01', '.5'])}}`,
    () => `/* c */ ${valid}`,
    () => '{"jsonrpc":"2.0","method":"ping","id":"unterminated',
    () => '['.repeat(rng.int(1000, 100_000)),
    () => '{"a":'.repeat(rng.int(100, 20_000)),
    () => Array.from({ length: rng.int(1, 300) }, () => String.fromCharCode(rng.int(0x20, 0x7e))).join(''),
    () => '',
    () => '   \n\t ',
  ];
  const text = rng.pick(variants)();
  try {
    JSON.parse(text);
  } catch {
    return text;
  }
  return `${text}}`; // the rare variant that still parsed (e.g. a slice ending on a number)
}

/** A header value of visible ASCII that no server should accept as meaningful. */
export function garbageHeader(rng: Rng): string {
  const fixed = [
    '9999-99-99',
    '2026-07-28, 2025-06-18',
    'null',
    '0',
    '-1',
    '../../admin',
    'x'.repeat(rng.int(100, 6000)),
    '2024-11-05',
    'application/json',
  ];
  if (rng.chance(0.4)) return rng.pick(fixed);
  return Array.from({ length: rng.int(1, 80) }, () => String.fromCharCode(rng.int(0x21, 0x7e))).join('');
}

/** UTF-8 bytes of `text` with 1–4 bits flipped (often invalid UTF-8 or invalid JSON). */
export function bitFlip(rng: Rng, text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const flips = rng.int(1, 4);
  for (let i = 0; i < flips; i++) bytes[rng.int(0, bytes.length - 1)] ^= 1 << rng.int(0, 7);
  return bytes;
}

/** A deep copy of `msg` with 1–3 fields deleted, renamed, retyped or added at random paths. */
export function mutateObject(rng: Rng, msg: JsonObject): unknown {
  const copy = JSON.parse(JSON.stringify(msg)) as JsonObject;
  const steps = rng.int(1, 3);
  for (let i = 0; i < steps; i++) {
    // Walk down a random path of objects.
    let node: JsonObject = copy;
    while (rng.chance(0.5)) {
      const children = Object.values(node).filter(
        (v): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v),
      );
      if (children.length === 0) break;
      node = rng.pick(children);
    }
    const keys = Object.keys(node);
    const key = keys.length > 0 ? rng.pick(keys) : 'x';
    const op = rng.int(0, 3);
    if (op === 0) delete node[key];
    else if (op === 1) node[key] = junkValue(rng, 1);
    else if (op === 2) {
      node[`${key}${rng.pick(['_', 'X', ' ', '\u0000'])}`] = node[key];
      delete node[key];
    } else node[nastyString(rng)] = junkValue(rng, 1);
  }
  return copy;
}
