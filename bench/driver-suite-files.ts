/**
 * Which files of snowflake-sdk's integration suite (test/integration of a snowflake-connector-nodejs
 * checkout) the driver-suite harness runs against the emulator, and why the others cannot apply: an
 * emulator on loopback has no cloud storage for stages, no OCSP/CRL responders (it speaks plain
 * http), no browser or MFA login, no proxy, no WireMock fixtures and no account-level features.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** A file of the suite and whether the harness runs it. */
export interface SuiteFile {
  /** Path under test/integration, with forward slashes. */
  readonly file: string;
  /** Why the file cannot run against an offline emulator, or null when it runs. */
  readonly notApplicable: string | null;
}

/** Files of test/integration that hold no tests (helpers and shared options). */
const HELPERS = new Set([
  'connectionOptions.js',
  'sharedLogger.js',
  'sharedStatements.js',
  'testUtil.js',
  'ocsp_mock/https_ocsp_mock_agent.js',
]);

/** Test files that need what an offline emulator cannot offer, by path under test/integration. */
const NOT_APPLICABLE: ReadonlyMap<string, string> = new Map([
  ['ocsp_mock/testConnectionOcspMock.js', 'OCSP validation of https certificates (mocked https agent)'],
  ['testConnectionWithOCSP.js', 'OCSP over https, WireMock and a hanging OCSP responder'],
  ['testCrl.ts', 'CRL checks of https certificates through a proxy'],
  ['testOcsp.js', 'OCSP responders and caches over https'],
  ['testHTAP.ts', 'HTAP account feature, served by WireMock fixtures'],
  ['testInbandTelemetry.ts', 'WireMock fixtures'],
  ['testLoginRequestBody.ts', 'WireMock fixtures'],
  [
    'testManualConnection.js',
    'manual tests (MFA, OAuth, browser and PAT logins, connections.toml accounts); defines no test unless RUN_MANUAL_TESTS_ONLY',
  ],
  ['testMaxLobSize.js', 'large-LOB account feature and stages; defines no test unless RUN_MANUAL_TESTS_ONLY'],
  ['testProxyExecute.js', 'an HTTP proxy in front of Snowflake'],
  ['testPutGet.js', 'PUT/GET through cloud storage stages'],
  ['testPutSmallFiles.js', 'PUT through cloud storage stages'],
  ['testPutSmkIdStringConversion.ts', 'PUT through cloud storage stages, WireMock fixtures'],
]);

/**
 * Tests of runnable files that need what an offline emulator cannot offer: by file and the start
 * of their full title. They are counted apart (not applicable), whatever their outcome.
 */
const NOT_APPLICABLE_TESTS: readonly { file: string; titleStart: string; why: string }[] = [
  {
    file: 'testExecute.js',
    titleStart: 'Execute test - variant Variant XML',
    why: 'PUT and COPY INTO through a cloud storage stage',
  },
  {
    file: 'testExecute.js',
    titleStart: 'Execute test - variant Variant JSON',
    why: 'PUT and COPY INTO through a cloud storage stage',
  },
];

/** Why test `title` of `file` cannot apply offline, or null when it can. */
export function testNotApplicable(file: string, title: string): string | null {
  return NOT_APPLICABLE_TESTS.find((t) => t.file === file && title.startsWith(t.titleStart))?.why ?? null;
}

const WIREMOCK_DIR = 'wiremock/';
const TEST_FILE = /\.(js|ts)$/;

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else if (TEST_FILE.test(entry)) out.push(path);
  }
  return out;
}

/**
 * Every test file under `<checkout>/test/integration`, sorted, each marked runnable or not
 * applicable with the reason. Helper files (options, shared statements, utilities) are left out.
 * A file this table does not know runs.
 */
export function suiteFiles(checkout: string): SuiteFile[] {
  const root = join(checkout, 'test', 'integration');
  return walk(root)
    .map((path) => relative(root, path).split(sep).join('/'))
    .filter((file) => !HELPERS.has(file) && !file.startsWith('test_utils/'))
    .sort()
    .map((file) => ({
      file,
      notApplicable: file.startsWith(WIREMOCK_DIR)
        ? 'WireMock fixtures (a mock Snowflake, not a Snowflake)'
        : (NOT_APPLICABLE.get(file) ?? null),
    }));
}
