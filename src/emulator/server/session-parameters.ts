/**
 * The parameter list sent with every login and statement answer. snowflake-sdk reads output formats,
 * TIMEZONE and JS_TREAT_INTEGER_AS_BIGINT from it to convert values, and copies known names into its
 * process-wide settings, so types matter: booleans must be JSON booleans ("false" would be truthy).
 */
import { DEFAULT_TIMEZONE, type EmulatorSession } from '../engine-types.js';

/** One `{name, value}` entry of a `parameters` list. */
export interface WireParameter {
  name: string;
  value: string | number | boolean;
}

/** Snowflake's defaults for what the driver reads, with TIMEZONE UTC for reproducible output. */
const DEFAULTS: Readonly<Record<string, string | number | boolean>> = {
  TIMEZONE: DEFAULT_TIMEZONE,
  TIMESTAMP_OUTPUT_FORMAT: 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM',
  TIMESTAMP_NTZ_OUTPUT_FORMAT: 'YYYY-MM-DD HH24:MI:SS.FF3',
  TIMESTAMP_LTZ_OUTPUT_FORMAT: '',
  TIMESTAMP_TZ_OUTPUT_FORMAT: '',
  DATE_OUTPUT_FORMAT: 'YYYY-MM-DD',
  TIME_OUTPUT_FORMAT: 'HH24:MI:SS',
  BINARY_OUTPUT_FORMAT: 'HEX',
  CLIENT_TIMESTAMP_TYPE_MAPPING: 'TIMESTAMP_LTZ',
  CLIENT_SESSION_KEEP_ALIVE: false,
  CLIENT_SESSION_KEEP_ALIVE_HEARTBEAT_FREQUENCY: 3600,
  CLIENT_RESULT_CHUNK_SIZE: 160,
  CLIENT_PREFETCH_THREADS: 4,
  QUERY_CONTEXT_CACHE_SIZE: 5,
  // Batches up to this many bind values go inline; beyond it snowflake-sdk would upload them to a
  // stage, which the emulator has not: announce a bound no batch reaches (the request body limit
  // comes first).
  CLIENT_STAGE_ARRAY_BINDING_THRESHOLD: 2147483647,
};

/** Names whose values are numbers on the wire. */
const NUMERIC = new Set([
  'CLIENT_SESSION_KEEP_ALIVE_HEARTBEAT_FREQUENCY',
  'CLIENT_RESULT_CHUNK_SIZE',
  'CLIENT_PREFETCH_THREADS',
  'QUERY_CONTEXT_CACHE_SIZE',
  'STATEMENT_TIMEOUT_IN_SECONDS',
  'MULTI_STATEMENT_COUNT',
  'CLIENT_STAGE_ARRAY_BINDING_THRESHOLD',
]);

/** The typed wire value of a session parameter kept as a string. */
export function wireValue(name: string, value: string): string | number | boolean {
  const upper = value.toUpperCase();
  if (upper === 'TRUE') return true;
  if (upper === 'FALSE') return false;
  if (NUMERIC.has(name) && /^-?\d+$/.test(value)) return Number(value);
  return value;
}

/** The session-parameter map form of a client-sent value (SESSION_PARAMETERS, statement parameters). */
export function paramString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** The last list built per session, with the parameter values it was built from. */
const built = new WeakMap<EmulatorSession, { source: [string, string][]; list: WireParameter[] }>();

function sameEntries(params: ReadonlyMap<string, string>, source: readonly [string, string][]): boolean {
  if (params.size !== source.length) return false;
  let i = 0;
  for (const [name, value] of params) {
    const entry = source[i++];
    if (entry[0] !== name || entry[1] !== value) return false;
  }
  return true;
}

/**
 * Defaults overlaid with the session's own parameters. Every statement answer carries this list,
 * and a session's parameters rarely change: the list is rebuilt only when they did. Callers treat
 * it as read-only.
 */
export function wireParameters(session: EmulatorSession): WireParameter[] {
  const cached = built.get(session);
  if (cached && sameEntries(session.params, cached.source)) return cached.list;
  const merged = new Map<string, string | number | boolean>(Object.entries(DEFAULTS));
  for (const [name, value] of session.params) merged.set(name, wireValue(name, value));
  const list: WireParameter[] = [];
  for (const [name, value] of merged) list.push({ name, value });
  built.set(session, { source: [...session.params], list });
  return list;
}
