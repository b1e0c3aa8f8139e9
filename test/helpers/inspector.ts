/**
 * The MCP Inspector's CLI (`npx @modelcontextprotocol/inspector --cli …`) as a test client. It is
 * not a dependency of smcp: the test installs a pinned version from npm into test/.cache/
 * (gitignored; later runs reuse it) and runs its `mcp-inspector` bin on a Node >= 22 (what it
 * requires), with a temp HOME and the loopback guard preloaded, so it never reaches beyond
 * 127.0.0.1 and any attempt shows up in its stderr.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { nestedNpmEnv } from './node-lts.js';
import type { NodeRuntime } from './node-lts.js';
import type { CliRun } from './cli.js';

/**
 * The Inspector generations the tests run: 1.x is built on the v1 TypeScript SDK (the one long
 * deployed), 2.x on the v2 SDK (npm's `latest`). Both check structuredContent against the output
 * schema.
 */
export const INSPECTOR_VERSIONS = ['1.0.3', '2.12.0'] as const;

/** What the loopback guard writes to stderr for every refused connection or lookup. */
export const LOOPBACK_GUARD_MARK = 'smcp-loopback-guard: refused';

const CACHE_DIR = fileURLToPath(new URL('../.cache/', import.meta.url));
const GUARD = fileURLToPath(new URL('./loopback-only.js', import.meta.url));

/** One installed Inspector. */
export interface Inspector {
  readonly version: string;
  /** The `mcp-inspector` bin script. */
  readonly bin: string;
}

/** Runs `command args` to completion; rejects when it cannot start, resolves with its output. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function binOf(dir: string, version: string): Inspector {
  const pkgDir = join(dir, 'node_modules', '@modelcontextprotocol', 'inspector');
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as {
    bin?: Record<string, string>;
  };
  const bin = pkg.bin?.['mcp-inspector'];
  if (!bin) throw new Error(`@modelcontextprotocol/inspector@${version} has no mcp-inspector bin`);
  return { version, bin: join(pkgDir, bin) };
}

/**
 * The Inspector `version`, installed on first use with `npm install` (into a temp folder renamed
 * into place once complete, so an interrupted install is never taken for a finished one).
 */
export async function installInspector(version: string): Promise<Inspector> {
  const dir = join(CACHE_DIR, `inspector-${version}`);
  if (existsSync(join(dir, '.installed'))) return binOf(dir, version);
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const install = await run(
    'npm',
    [
      'install',
      '--prefix',
      staging,
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      `@modelcontextprotocol/inspector@${version}`,
    ],
    nestedNpmEnv(),
    300_000,
  );
  if (install.code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`npm install @modelcontextprotocol/inspector@${version} failed:\n${install.stderr}`);
  }
  writeFileSync(join(staging, '.installed'), `${version}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return binOf(dir, version);
}

/** The environment the Inspector runs in: temp HOME, Node 22 first on PATH, the guard preloaded. */
function inspectorEnv(node: NodeRuntime, home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(npm_|NODE_OPTIONS$|.*_proxy$)/i.test(key)),
  );
  return {
    ...env,
    HOME: home,
    // Inspector 1.x starts its CLI as `node …`: that must be the same Node 22.
    PATH: `${dirname(node.path)}${delimiter}${env.PATH ?? ''}`,
    NODE_OPTIONS: `--import=${pathToFileURL(GUARD).href}`,
    SMCP_LOOPBACK_GUARD_MARK: LOOPBACK_GUARD_MARK,
    NO_COLOR: '1',
  };
}

/** Runs `node script args` under the loopback guard with a throwaway HOME. */
export async function runGuarded(node: NodeRuntime, args: string[], timeoutMs = 60_000): Promise<CliRun> {
  const home = mkdtempSync(join(tmpdir(), 'smcp-inspector-home-'));
  try {
    return await run(node.path, args, inspectorEnv(node, home), timeoutMs);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/**
 * `mcp-inspector --cli <url> --transport http --method tools/call --tool-name <tool>
 * --tool-arg key=value …`; resolves with its exit code and output.
 */
export function inspectorCallTool(
  inspector: Inspector,
  node: NodeRuntime,
  url: string,
  tool: string,
  args: Record<string, string | number>,
): Promise<CliRun> {
  const toolArgs = Object.entries(args).flatMap(([key, value]) => ['--tool-arg', `${key}=${value}`]);
  return runGuarded(node, [
    inspector.bin,
    '--cli',
    url,
    '--transport',
    'http',
    '--method',
    'tools/call',
    '--tool-name',
    tool,
    ...toolArgs,
  ]);
}
