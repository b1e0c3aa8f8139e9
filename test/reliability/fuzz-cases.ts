/**
 * A seeded generator of malformed MCP protocol input, independent of any server. Every case is a
 * pure function of (seed, index): `fuzzCase(seed, i)` always yields the same bytes, so a failure
 * is replayed by its seed and index alone. Cases are spread over five targets (Streamable HTTP
 * stateless 2026-07-28 style, Streamable HTTP with a session, legacy /messages, the plain tool API
 * and WebSocket frames) and a dozen families of damage.
 */
import type { FuzzFamily, FuzzTarget, JsonObject } from './fuzz-values.js';
import {
  FAMILIES,
  MODERN_VERSION,
  Rng,
  TOOL_NAMES,
  bitFlip,
  DEEP_MARK,
  garbageHeader,
  hugeString,
  invalidJsonText,
  junkValue,
  mutateObject,
  nastyString,
  validMessage,
  withDeepText,
  wrongToolArguments,
} from './fuzz-values.js';

export { mulberry32, Rng, FAMILIES } from './fuzz-values.js';
export type { FuzzFamily, FuzzTarget } from './fuzz-values.js';

/** One fuzz input. */
export interface FuzzCase {
  readonly index: number;
  readonly target: FuzzTarget;
  readonly family: FuzzFamily;
  /** HTTP body or WebSocket frame. */
  readonly payload: string | Buffer;
  /**
   * HTTP headers to set over the runner's defaults (content-type, accept, and for the session
   * target mcp-session-id); `null` removes a default.
   */
  readonly headers: Readonly<Record<string, string | null>>;
  /** WebSocket: send as a binary frame. */
  readonly binary: boolean;
  /** The reply must be an error (HTTP 4xx, a JSON-RPC error, or a tool result with isError). */
  readonly expectError: boolean;
  /** For the WebSocket target: the payload is not JSON at all (the server must answer -32700). */
  readonly notJson: boolean;
}

/** Share of cases per target (sums to 1). */
export const TARGET_WEIGHTS: Readonly<Record<FuzzTarget, number>> = {
  'http-modern': 0.3,
  'http-session': 0.2,
  'http-legacy': 0.15,
  'http-tool-api': 0.15,
  websocket: 0.2,
};

/** Default seed (a replay uses SMCP_FUZZ_SEED). */
export const DEFAULT_SEED = 0x5eed_c0de;

/** Bytes above the server's 1 MiB HTTP body limit and its 4 MiB WebSocket frame limit. */
export const HTTP_OVERSIZE = 1024 * 1024 + 4096;
export const WS_OVERSIZE = 4 * 1024 * 1024 + 4096;

function caseSeed(seed: number, index: number): number {
  // A cheap integer hash so that neighbouring indexes get unrelated streams.
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

function pickTarget(rng: Rng): FuzzTarget {
  let x = rng.next();
  for (const [target, weight] of Object.entries(TARGET_WEIGHTS) as [FuzzTarget, number][]) {
    if (x < weight) return target;
    x -= weight;
  }
  return 'websocket';
}

/** Families that make sense for a target (the tool API speaks plain JSON, not JSON-RPC). */
function familiesFor(target: FuzzTarget): readonly FuzzFamily[] {
  if (target === 'http-tool-api')
    return ['invalid-json', 'wrong-shape', 'tool-arguments', 'content-type', 'mutated', 'oversized'];
  if (target === 'websocket') return FAMILIES.filter((f) => f !== 'content-type' && f !== 'headers');
  return FAMILIES;
}

/** Headers a 2026-07-28 request carries, consistent with `msg` (the runner sends them as given). */
function modernHeaders(msg: JsonObject): Record<string, string> {
  const headers: Record<string, string> = { 'mcp-protocol-version': MODERN_VERSION };
  // A value HTTP cannot carry (control or non-Latin-1 characters) is left out: the client refuses it.
  const sendable = (v: unknown): v is string => typeof v === 'string' && /^[\x20-\x7e]{0,4096}$/.test(v);
  if (sendable(msg.method)) headers['mcp-method'] = msg.method;
  const params = msg.params as JsonObject | undefined;
  if (msg.method === 'tools/call' && sendable(params?.name)) headers['mcp-name'] = params.name;
  return headers;
}

/** The garbage pool holds `application/json` too: that one is rightly accepted. */
function isJsonType(type: string): boolean {
  return /^application\/json\s*(;|$)/i.test(type.trim());
}

interface Draft {
  payload: string | Buffer;
  headers: Record<string, string | null>;
  binary?: boolean;
  expectError: boolean;
  notJson?: boolean;
}

function draftJsonRpc(rng: Rng, target: FuzzTarget, family: FuzzFamily): Draft {
  const modern = target === 'http-modern';
  const withHeaders = (msg: JsonObject): Record<string, string | null> => (modern ? modernHeaders(msg) : {});
  switch (family) {
    case 'invalid-json':
      return { payload: invalidJsonText(rng), headers: withHeaders({}), expectError: true, notJson: true };
    case 'wrong-shape': {
      const base = validMessage(rng, modern, true);
      const headers = withHeaders(base);
      const shape = rng.int(0, 9);
      let value: unknown;
      if (shape === 0) value = junkValue(rng, 2);
      else if (shape === 1) value = rng.pick([[], {}, null, 0, '', true]);
      else if (shape === 2) value = { ...base, jsonrpc: rng.pick(['1.0', '3.0', 2, null, '', ['2.0']]) };
      else if (shape === 3) value = Object.fromEntries(Object.entries(base).filter(([k]) => k !== 'jsonrpc'));
      else if (shape === 4) value = { ...base, method: junkValue(rng, 1) };
      else if (shape === 5)
        value = { ...base, id: rng.pick<unknown>([{}, [], true, 1.5, 1e308, hugeString(rng, 4096)]) };
      else if (shape === 6) value = { ...base, params: rng.pick<unknown>([[], 'x', 7, true, [1, 2]]) };
      else if (shape === 7)
        value = { jsonrpc: '2.0', id: rng.int(1, 1e6), result: junkValue(rng, 1), error: {} };
      else if (shape === 8) value = { ...base, params: DEEP_MARK };
      else value = { jsonrpc: '2.0', id: rng.int(1, 1e6) };
      // Certain errors: params that are not an object, an id that is neither string nor number, and
      // a message that is neither request, notification nor response. The other shapes may be a
      // response or notification the server rightly drops, or an id it may accept.
      const id = (value as { id?: unknown } | null)?.id;
      const badId = shape === 5 && typeof id !== 'string' && typeof id !== 'number';
      const certain = shape === 6 || shape === 9 || badId;
      return { payload: withDeepText(rng, value, rng.int(50, 20_000)), headers, expectError: certain };
    }
    case 'batch': {
      const n = rng.int(0, 12);
      const items = Array.from({ length: n }, () =>
        rng.chance(0.5) ? validMessage(rng, modern, false) : junkValue(rng, 2),
      );
      return { payload: JSON.stringify(items), headers: withHeaders({}), expectError: false };
    }
    case 'unknown-method': {
      const msg = validMessage(rng, modern, true);
      msg.method = rng.pick([
        'tools/unknown',
        'rpc.discover',
        'resources/read',
        'prompts/get',
        'completion/complete',
        'logging/setLevel',
        'sampling/createMessage',
        'tasks/get',
        nastyString(rng),
        hugeString(rng, 8192),
        '',
      ]);
      if (msg.method === 'resources/read') (msg.params as JsonObject).uri = nastyString(rng);
      if (msg.method === 'logging/setLevel') (msg.params as JsonObject).level = nastyString(rng);
      return { payload: JSON.stringify(msg), headers: withHeaders(msg), expectError: true };
    }
    case 'tool-arguments': {
      const msg = validMessage(rng, modern, true, 'tools/call');
      const params = msg.params as JsonObject;
      const mode = rng.int(0, 5);
      if (mode === 0) delete params.name;
      else if (mode === 1) params.name = junkValue(rng, 1);
      else if (mode === 2)
        params.name = rng.pick([nastyString(rng), hugeString(rng, 10_000), 'EXECUTE_QUERY']);
      else params.arguments = wrongToolArguments(rng, String(params.name));
      const headers = withHeaders(msg);
      return { payload: withDeepText(rng, msg, rng.int(10, 5000)), headers, expectError: mode <= 2 };
    }
    case 'headers': {
      const msg = validMessage(rng, modern, true);
      const headers: Record<string, string | null> = withHeaders(msg);
      const which = rng.pick(['mcp-protocol-version', 'mcp-session-id', 'mcp-method', 'mcp-name', 'accept']);
      headers[which] = rng.chance(0.2) ? null : garbageHeader(rng);
      if (rng.chance(0.3)) headers['last-event-id'] = garbageHeader(rng);
      return { payload: JSON.stringify(msg), headers, expectError: false };
    }
    case 'content-type': {
      const msg = validMessage(rng, modern, true);
      const type = rng.pick([
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/jsonp',
        'application/json-rpc',
        'text/event-stream',
        garbageHeader(rng),
        '',
      ]);
      const headers: Record<string, string | null> = { ...withHeaders(msg), 'content-type': type || null };
      return { payload: JSON.stringify(msg), headers, expectError: !isJsonType(type) };
    }
    case 'binary': {
      const bytes = Buffer.alloc(rng.int(1, 2048));
      for (let i = 0; i < bytes.length; i++) bytes[i] = rng.int(0, 255);
      // Over HTTP the body is sent as is (mostly invalid UTF-8 JSON); over WebSocket as a binary frame.
      if (rng.chance(0.3)) bytes[0] = 0x7b; // '{'
      const binaryFrame = target === 'websocket';
      return {
        payload: bytes,
        headers: withHeaders({}),
        binary: binaryFrame,
        expectError: true,
        notJson: !binaryFrame,
      };
    }
    case 'oversized': {
      const limit = target === 'websocket' ? WS_OVERSIZE : HTTP_OVERSIZE;
      const msg = validMessage(rng, modern, true, 'tools/call');
      (msg.params as JsonObject).arguments = { sql: `SELECT '${'x'.repeat(limit)}'` };
      return { payload: JSON.stringify(msg), headers: withHeaders(msg), expectError: true };
    }
    case 'mutated': {
      const msg = validMessage(rng, modern, true);
      const headers = withHeaders(msg);
      if (rng.chance(0.5)) return { payload: bitFlip(rng, JSON.stringify(msg)), headers, expectError: false };
      return { payload: JSON.stringify(mutateObject(rng, msg)), headers, expectError: false };
    }
  }
}

/** The tool API takes `{name, arguments}`, not JSON-RPC. */
function draftToolApi(rng: Rng, family: FuzzFamily): Draft {
  const name = rng.pick(TOOL_NAMES);
  const valid = (): JsonObject => ({ name, arguments: wrongToolArguments(rng, name, true) });
  switch (family) {
    case 'invalid-json':
      return { payload: invalidJsonText(rng), headers: {}, expectError: true };
    case 'wrong-shape': {
      const value = rng.pick<unknown>([
        junkValue(rng, 2),
        [valid()],
        { arguments: {} },
        { name: junkValue(rng, 1), arguments: {} },
        { name, arguments: rng.pick<unknown>([[], 'x', 1, true, [1]]) },
        { name: '', arguments: {} },
      ]);
      return { payload: JSON.stringify(value), headers: {}, expectError: true };
    }
    case 'tool-arguments': {
      const unknown = rng.chance(0.15);
      const body = unknown
        ? { name: rng.pick([nastyString(rng), 'nope', hugeString(rng, 5000)]), arguments: {} }
        : { name, arguments: wrongToolArguments(rng, name) };
      return { payload: withDeepText(rng, body, rng.int(10, 5000)), headers: {}, expectError: unknown };
    }
    case 'content-type': {
      const type = rng.pick(['text/plain', 'application/xml', garbageHeader(rng), '']);
      const headers = { 'content-type': type || null };
      return { payload: JSON.stringify(valid()), headers, expectError: !isJsonType(type) };
    }
    case 'oversized':
      return {
        payload: JSON.stringify({ name: 'execute_query', arguments: { sql: 'x'.repeat(HTTP_OVERSIZE) } }),
        headers: {},
        expectError: true,
      };
    default: {
      const text = JSON.stringify(valid());
      if (rng.chance(0.5)) return { payload: bitFlip(rng, text), headers: {}, expectError: false };
      return { payload: JSON.stringify(mutateObject(rng, valid())), headers: {}, expectError: false };
    }
  }
}

/** The case at `index` for `seed`: deterministic, independent of every other case. */
export function fuzzCase(seed: number, index: number): FuzzCase {
  const rng = new Rng(caseSeed(seed, index));
  const target = pickTarget(rng);
  const families = familiesFor(target);
  // Oversized bodies are slow to send; keep them rare.
  let family = rng.pick(families);
  if (family === 'oversized' && !rng.chance(0.08)) family = 'mutated';
  const draft = target === 'http-tool-api' ? draftToolApi(rng, family) : draftJsonRpc(rng, target, family);
  return {
    index,
    target,
    family,
    payload: draft.payload,
    headers: draft.headers,
    binary: draft.binary ?? false,
    expectError: draft.expectError,
    notJson: draft.notJson ?? false,
  };
}

/** Counts of cases per target and family for `count` cases from `seed` (without keeping them). */
export function distribution(seed: number, count: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const c = fuzzCase(seed, i);
    counts[`${c.target}/${c.family}`] = (counts[`${c.target}/${c.family}`] ?? 0) + 1;
  }
  return counts;
}
