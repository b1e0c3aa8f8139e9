/**
 * Groups the driver suite's failures by cause: the first meaningful line of the error message with
 * the parts that differ between runs masked (query ids, numbers, hex), prefixed with the driver's
 * error code, and a hint which of the emulator's known gap groups (issue list in the brief of the
 * emulator work) the failure most likely belongs to, from the failing statement, message and test.
 */

/** One failed test as the reporter saw it. */
export interface FailureFacts {
  readonly file: string;
  readonly test: string;
  readonly message: string;
  readonly code?: string | undefined;
  readonly sql?: string | undefined;
}

/**
 * Tests that fail here for reasons of the machine, not of the emulator, by file (and test title,
 * when only some tests of the file are concerned).
 */
const ENVIRONMENT_TESTS: readonly { file: string; test?: string; why: string }[] = [
  {
    file: 'testCache.js',
    why: 'local file-permission checks of the credential cache; they assume a non-root user and leak an fs mock',
  },
  {
    file: 'testConnection.js',
    test: 'Connection test Failed connection returns sanitized error',
    why: 'resolves some-account.snowflakecomputing.com; the offline sandbox refuses the DNS lookup',
  },
];

/**
 * The message, code and query id of a driver error that reached mocha as JSON text (tests often
 * assert `!err` with `JSON.stringify(err)` as the message). Plain messages come back unchanged.
 */
export function unwrapDriverError(message: string): { message: string; code?: string; queryId?: string } {
  const text = message.trim();
  if (!text.startsWith('{')) return { message };
  try {
    const parsed = JSON.parse(text) as { message?: unknown; code?: unknown; data?: { queryId?: unknown } };
    if (typeof parsed.message !== 'string') return { message };
    return {
      message: parsed.message,
      ...(typeof parsed.code === 'string' || typeof parsed.code === 'number'
        ? { code: String(parsed.code) }
        : {}),
      ...(typeof parsed.data?.queryId === 'string' ? { queryId: parsed.data.queryId } : {}),
    };
  } catch {
    return { message };
  }
}

/** Why a test fails for reasons of the machine, or null. */
export function environmentReason(file: string, test: string): string | null {
  const known = ENVIRONMENT_TESTS.find((e) => e.file === file && (e.test === undefined || e.test === test));
  return known?.why ?? null;
}

/** The emulator's gap groups, by number, as the report names them. */
export const GAP_GROUPS: Readonly<Record<string, string>> = {
  '1': 'table functions (GENERATOR, FLATTEN, RESULT_SCAN, …)',
  '2': 'structured types',
  '3': 'binds',
  '4': 'scripting and calls',
  '5': 'values and sessions',
  '6': 'DDL/DML',
  '7': 'wire (describeOnly, multi-statement, session codes)',
  '8': 'Arrow results',
  '9': 'keys',
  '10': 'sessions and transactions',
  '11': 'result types and paths',
  env: 'harness or environment',
};

/** Rules in order: the first whose pattern matches the statement (or else the message) names the group. */
const RULES: readonly (readonly [RegExp, string])[] = [
  [
    /\b(generator|flatten|result_scan|split_to_table|dual|last_query_id|seq[1248]|randstr|uniform)\b|describe\s+result/i,
    '1',
  ],
  [/system\$wait|system\$cancel|\bprocedure\b|^\s*call\b/i, '4'],
  [/\b(object|map|array)\s*\(|structured|_SMCP_/i, '2'],
  [/\barrow\b/i, '8'],
  [/rsa_public_key|\bjwt\b|key.?pair/i, '9'],
  [/describeOnly|multi.?statement|390111|390112|session token|\blogout\b/i, '7'],
  [/\btemporary\b|\btransaction\b|autocommit|\brollback\b|\bcommit\b|^\s*begin\b/i, '10'],
  [/(Date|Timestamp|Time) '[^']*' is not recognized/, '5'],
  [/\bbinds?\b|\bbinding|002049|stage_array/i, '3'],
  [/\btruncate\b|\bclone\b|insert\s+all|decfloat|parse_json|\bmerge\b|duplicate column/i, '6'],
  [/time.?zone|100051|division by zero|_output_format/i, '5'],
];

/** Hints from the test's file and title, for failures that carry no statement (assertions). */
const TEST_HINTS: readonly (readonly [RegExp, string])[] = [
  [/^testExecuteAsync\.js .*/, '4'],
  [/multi-table insert|\bmerge\b|duplicates/i, '6'],
  [/invalid token/i, '7'],
];

const ENVIRONMENT = /loopback guard|file time limit|ECONNREFUSED|ENOTFOUND|Cannot find module/i;

/** The first line that says something (a line ending in ':' is joined with the next one). */
function firstLine(message: string): string {
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  let line = lines[0] ?? '(no message)';
  if (line.endsWith(':') && lines[1] !== undefined) line = `${line} ${lines[1]}`;
  return line;
}

/** Masks what differs between runs of the same failure. */
export function maskVolatile(text: string): string {
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
    .replace(/\b[0-9a-f]{16,}\b/gi, '<hex>')
    .replace(/\d+(\.\d+)?/g, 'N')
    .replace(/\s+/g, ' ')
    .slice(0, 160);
}

/** The cause a failure is grouped under. */
export function causeOf(f: FailureFacts): string {
  const env = environmentReason(f.file, f.test);
  if (env !== null) return `environment: ${env}`;
  const line = maskVolatile(firstLine(f.message));
  return f.code !== undefined && /^\d{6}$/.test(f.code) ? `[${f.code}] ${line}` : line;
}

/** The gap group a failure most likely belongs to ('env' for the harness, null when unknown). */
export function groupOf(f: FailureFacts): string | null {
  if (ENVIRONMENT.test(f.message) || environmentReason(f.file, f.test) !== null) return 'env';
  for (const source of [f.sql, f.message]) {
    if (!source) continue;
    for (const [pattern, group] of RULES) if (pattern.test(source)) return group;
  }
  for (const [pattern, group] of TEST_HINTS) if (pattern.test(`${f.file} ${f.test}`)) return group;
  for (const [pattern, group] of RULES) if (pattern.test(f.test)) return group;
  return null;
}
