/**
 * The driver suite's work copy: the checkout's driver sources (lib/), tests and mocha settings
 * copied into a temp dir, with its own dependencies installed once from the npm registry into a
 * cache dir keyed by what they are, and linked in. The tests require the driver's internals
 * (`../../lib/core`, `lib/errors`, `lib/http/node`…), so by default they run against the driver of
 * the same checkout (TypeScript parts through the suite's own ts-node); `sdk: 'project'` swaps lib/
 * for the compiled lib/ of the snowflake-sdk smcp depends on.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './bench-home.js';

/** Which driver the tests load as `../../lib`. */
export type SdkChoice = 'checkout' | 'project';

/** Dev dependencies the integration tests load (the rest are build, lint and coverage tools). */
const TEST_DEV_DEPENDENCIES = [
  'mocha',
  'async',
  'sinon',
  'test-console',
  'mock-require',
  'rewiremock',
  'ts-node',
  'typescript',
];

/** What of the checkout the tests need. */
const COPIED = ['lib', 'test', 'index.js', 'index.d.ts', 'package.json', 'tsconfig.json', '.mocharc.js'];

/** Marker written once an install finished, so a broken one is redone. */
const DONE_MARK = '.smcp-install-complete';

interface SuitePackage {
  name?: string;
  version?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  overrides?: Record<string, unknown>;
}

/** A prepared work copy. */
export interface WorkCopy {
  /** The dir mocha runs in (cwd). */
  readonly dir: string;
  /** The suite's version (its package.json). */
  readonly version: string;
  /** The suite's own mocha executable. */
  readonly mocha: string;
  /** Where the checkout's deps are installed. */
  readonly depsDir: string;
  /** The suite's http fixture that hangs or answers fixed bodies (ci/container/hang_webserver.py), when present. */
  readonly hangServerScript: string | null;
  /** Removes the work copy (not the dependency cache). */
  remove(): void;
}

/** The default dependency cache: $XDG_CACHE_HOME/smcp/driver-suite (else ~/.cache/…). */
export function defaultCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'smcp', 'driver-suite');
}

function readPackage(checkout: string): SuitePackage {
  const path = join(checkout, 'package.json');
  if (!existsSync(path) || !existsSync(join(checkout, 'test', 'integration'))) {
    throw new Error(
      `${checkout} is not a snowflake-connector-nodejs checkout (no package.json or test/integration)`,
    );
  }
  const pkg = JSON.parse(readFileSync(path, 'utf8')) as SuitePackage;
  if (pkg.name !== 'snowflake-sdk') throw new Error(`${path} is not snowflake-sdk's package.json`);
  return pkg;
}

/**
 * Installs the checkout's runtime dependencies and the test tools among its dev dependencies into
 * `<cacheDir>/<hash>` with `npm install` (registry only, no install scripts), unless done before.
 * Returns the node_modules dir.
 */
export function installDependencies(
  pkg: SuitePackage,
  cacheDir: string,
  log: (line: string) => void,
): string {
  const dev = pkg.devDependencies ?? {};
  const dependencies: Record<string, string> = { ...(pkg.dependencies ?? {}) };
  for (const name of TEST_DEV_DEPENDENCIES) {
    const range = dev[name];
    if (range) dependencies[name] = range;
  }
  const manifest = {
    name: 'smcp-driver-suite-deps',
    private: true,
    description: `test dependencies of snowflake-sdk ${pkg.version ?? '?'}`,
    dependencies,
    ...(pkg.overrides ? { overrides: pkg.overrides } : {}),
  };
  const key = createHash('sha256')
    .update(JSON.stringify(manifest))
    .update(process.versions.node.split('.')[0] ?? '')
    .digest('hex')
    .slice(0, 16);
  const dir = join(cacheDir, key);
  const modules = join(dir, 'node_modules');
  if (existsSync(join(modules, DONE_MARK))) return modules;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  log(`installing the suite's dependencies into ${dir} (npm install, once)`);
  const npm = spawnSync(
    'npm',
    [
      'install',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      '--registry=https://registry.npmjs.org/',
    ],
    {
      cwd: dir,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, npm_config_update_notifier: 'false' },
    },
  );
  if (npm.status !== 0) throw new Error(`npm install in ${dir} failed (exit ${String(npm.status)})`);
  writeFileSync(join(modules, DONE_MARK), `${new Date().toISOString()}\n`);
  return modules;
}

/** Copies what the tests need of `checkout` into a temp dir and links the dependencies in. */
export function prepareWorkCopy(
  checkout: string,
  sdk: SdkChoice,
  cacheDir: string,
  log: (line: string) => void,
): WorkCopy {
  const pkg = readPackage(checkout);
  const modules = installDependencies(pkg, cacheDir, log);
  const dir = mkdtempSync(join(tmpdir(), 'smcp-driver-suite-'));
  try {
    for (const entry of COPIED) {
      const from = join(checkout, entry);
      if (existsSync(from)) cpSync(from, join(dir, entry), { recursive: true });
    }
    const hang = join(checkout, 'ci', 'container', 'hang_webserver.py');
    let hangServerScript: string | null = null;
    if (existsSync(hang)) {
      hangServerScript = join(dir, 'hang_webserver.py');
      cpSync(hang, hangServerScript);
    }
    symlinkSync(modules, join(dir, 'node_modules'), 'dir');
    if (sdk === 'project') {
      const lib = join(REPO_ROOT, 'node_modules', 'snowflake-sdk', 'dist', 'lib');
      if (!existsSync(lib)) throw new Error(`${lib} is missing: is snowflake-sdk installed?`);
      rmSync(join(dir, 'lib'), { recursive: true, force: true });
      symlinkSync(lib, join(dir, 'lib'), 'dir');
    }
    return {
      dir,
      version: pkg.version ?? 'unknown',
      mocha: join(modules, 'mocha', 'bin', 'mocha.js'),
      depsDir: modules,
      hangServerScript,
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** True when something accepts connections on 127.0.0.1:`port` now. */
function portOpen(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Resolves true once something accepts connections on 127.0.0.1:`port`, false after `ms`. */
async function waitForPort(port: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (await portOpen(port)) return true;
    if (Date.now() >= until) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A started fixture process. */
export interface Fixture {
  stop(): void;
}

/**
 * Starts the suite's hang web server (`python3 hang_webserver.py <port>`, 127.0.0.1 only), as the
 * suite's CI does before the tests. Null when python3 is missing, the port is taken or it did not
 * come up.
 */
export async function startHangServer(script: string, port: number): Promise<Fixture | null> {
  if (await portOpen(port)) return null; // someone else listens there
  const child = spawn('python3', [script, String(port)], { stdio: 'ignore', detached: true });
  let failed = false;
  child.once('error', () => (failed = true));
  const up = !failed && (await waitForPort(port, 5000));
  const stop = (): void => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  if (!up) {
    stop();
    return null;
  }
  return { stop };
}

/** A fresh, empty HOME for one test file (the driver writes caches and logs under it). */
export function freshHome(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'smcp-driver-suite-home-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
