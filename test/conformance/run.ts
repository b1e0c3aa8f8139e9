/**
 * `npm run test:conformance`: the official MCP conformance suite (@modelcontextprotocol/conformance)
 * against smcp's Streamable HTTP endpoint, judged against expected-failures.toml.
 *
 * Builds nothing: it runs the compiled `bin/smcp start --foreground --port 0` (on the project's
 * Node, in a throwaway HOME, serving the embedded emulator), then the conformance CLI on Node >= 22
 * (test/node-lts, see test/helpers/node-lts.ts) once per pass: `--suite all`, then `--requirements <revision>` for every
 * requirement set the installed CLI ships (2025-11-25, 2026-07-28), each at that revision's wire.
 * Exit 1 when a scenario fails outside the baseline, a baseline entry passes or never ran, or
 * the run itself breaks. Options: `--keep` keeps the per-check JSON results.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isolatedHome, startSmcp, stopChild } from '../helpers/cli.js';
import { judgeScenario, loadBaseline, unusedEntries } from './baseline.js';
import type { BaselineEntry, CheckResult, ScenarioResult, ScenarioVerdict } from './baseline.js';
import { findModernNode } from '../helpers/node-lts.js';
import type { NodeRuntime } from '../helpers/node-lts.js';

const BASELINE_FILE = fileURLToPath(new URL('./expected-failures.toml', import.meta.url));
const COMPILED_CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const SCENARIO_TIMEOUT_MS = 10_000;
const PASS_TIMEOUT_MS = 180_000;
const START_TIMEOUT_MS = 30_000;
const SERVING_LINE = /smcp serving MCP on (http:\/\/127\.0\.0\.1:\d+\/mcp)/;

/** One invocation of the conformance CLI. */
interface Pass {
  readonly name: string;
  readonly args: readonly string[];
}

/** What a finished child process printed. */
interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command args…` to completion, killed after `timeoutMs`. */
function run(command: string, args: readonly string[], timeoutMs: number): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${timeoutMs} ms)`;
      child.kill('SIGKILL');
    }, timeoutMs);
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

/** A running smcp and how to stop it. */
interface Server {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts smcp on a free port in a throwaway home; resolves once it prints where it serves. */
async function startServer(): Promise<Server> {
  const home = isolatedHome();
  const child: ChildProcess = startSmcp(['start', '--foreground', '--port', '0'], home.env);
  const stop = async (): Promise<void> => {
    await stopChild(child);
    home.remove();
  };
  let output = '';
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`smcp did not start in ${START_TIMEOUT_MS} ms`)),
        START_TIMEOUT_MS,
      );
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        const match = SERVING_LINE.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`smcp exited with ${code} before serving`));
      });
    });
    return { url, stop };
  } catch (err) {
    await stop();
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${output}`, { cause: err });
  }
}

/** The passes the installed CLI supports: the whole suite, then each shipped requirement set. */
async function planPasses(node: NodeRuntime, cli: string): Promise<Pass[]> {
  const passes: Pass[] = [{ name: 'suite all', args: ['--suite', 'all'] }];
  const help = await run(node.path, [cli, 'server', '--help'], 30_000);
  if (!help.stdout.includes('--requirements')) return passes;
  const list = await run(node.path, [cli, 'list', '--help'], 30_000);
  const revisions = /Requirement sets available:\s*([\d\-,\s]+)/
    .exec(list.stdout)?.[1]
    ?.match(/\d{4}-\d{2}-\d{2}/g);
  for (const revision of revisions ?? []) {
    passes.push({ name: `requirements ${revision}`, args: ['--requirements', revision] });
  }
  return passes;
}

/** Parses one checks.json; anything unreadable becomes a single failing check. */
function readChecks(file: string): CheckResult[] {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!Array.isArray(parsed)) throw new Error('not an array');
    return parsed.map((value: unknown): CheckResult => {
      const check = (value ?? {}) as Record<string, unknown>;
      return {
        id: String(check.id),
        status: String(check.status),
        ...(typeof check.errorMessage === 'string' ? { errorMessage: check.errorMessage } : {}),
      };
    });
  } catch (err) {
    return [{ id: 'checks.json', status: 'FAILURE', errorMessage: `unreadable ${file}: ${String(err)}` }];
  }
}

/** The results of the scenarios a pass announced ("=== Running scenario: X ==="), from its output dir. */
function collectResults(stdout: string, outDir: string): ScenarioResult[] {
  const ran = [...stdout.matchAll(/^=== Running scenario: (\S+) ===$/gm)].map((m) => m[1]);
  const dirs = existsSync(outDir) ? readdirSync(outDir) : [];
  return ran.map((scenario) => {
    // Result folders are `server-<scenario>-<ISO timestamp>`.
    const dir = dirs.find((d) => d.replace(/-\d{4}-\d{2}-\d{2}T[\d-]+Z$/, '') === `server-${scenario}`);
    const file = dir ? join(outDir, dir, 'checks.json') : undefined;
    if (file && existsSync(file)) return { scenario, checks: readChecks(file) };
    return {
      scenario,
      checks: [{ id: scenario, status: 'FAILURE', errorMessage: 'the scenario left no result' }],
    };
  });
}

/** Prints what needs attention in one pass; returns its verdicts. */
function report(
  pass: Pass,
  results: readonly ScenarioResult[],
  baseline: readonly BaselineEntry[],
): ScenarioVerdict[] {
  const verdicts = results.map((result) => judgeScenario(result, baseline));
  const count = (outcome: string): number => verdicts.filter((v) => v.outcome === outcome).length;
  const failed = count('unexpected-failure') + count('unexpected-pass');
  console.log(
    `${pass.name}: ${count('passed')} passed, ${count('expected-failure')} expected failures, ${failed} failed`,
  );
  console.log(
    `  passed: ${
      verdicts
        .filter((v) => v.outcome === 'passed')
        .map((v) => v.scenario)
        .join(', ') || '-'
    }`,
  );
  for (const verdict of verdicts) {
    for (const check of verdict.unexpected) {
      console.log(`  ✗ ${verdict.scenario}: ${check.id}: ${check.errorMessage ?? check.status}`);
    }
    for (const entry of verdict.stale) {
      console.log(`  ✗ ${entry.key} passes now: remove it from the baseline (it said: ${entry.reason})`);
    }
  }
  return verdicts;
}

/** Runs every pass against one smcp; returns the process exit code. */
async function main(): Promise<number> {
  const keep = process.argv.includes('--keep');
  if (!existsSync(COMPILED_CLI)) throw new Error(`${COMPILED_CLI} is missing: run npm run build first`);
  const baseline = loadBaseline(BASELINE_FILE);
  const node = findModernNode();
  const require = createRequire(import.meta.url);
  const pkgFile = require.resolve('@modelcontextprotocol/conformance/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string; bin: Record<string, string> };
  const cli = join(dirname(pkgFile), pkg.bin.conformance);
  const passes = await planPasses(node, cli);
  const outRoot = mkdtempSync(join(tmpdir(), 'smcp-conformance-'));
  const started = Date.now();
  const server = await startServer();
  const stopOnSignal = (): void => void server.stop().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  console.log(`conformance ${pkg.version} on Node ${node.version} against ${server.url}`);
  const verdicts: ScenarioVerdict[] = [];
  const allResults: ScenarioResult[] = [];
  try {
    for (const [index, pass] of passes.entries()) {
      const outDir = join(outRoot, String(index));
      const args = [
        cli,
        'server',
        '--url',
        server.url,
        ...pass.args,
        '--timeout',
        String(SCENARIO_TIMEOUT_MS),
      ];
      const finished = await run(node.path, [...args, '-o', outDir], PASS_TIMEOUT_MS);
      const results = collectResults(finished.stdout, outDir);
      if (results.length === 0) {
        throw new Error(
          `${pass.name}: the conformance CLI ran no scenario (exit ${finished.code})\n${finished.stderr}`,
        );
      }
      allResults.push(...results);
      verdicts.push(...report(pass, results, baseline));
    }
  } finally {
    await server.stop();
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
  }
  const unused = unusedEntries(baseline, allResults);
  for (const entry of unused)
    console.log(`  ✗ ${entry.key} is in the baseline but ran in no pass: remove it`);
  const count = (outcome: string): number => verdicts.filter((v) => v.outcome === outcome).length;
  const failed = count('unexpected-failure') + count('unexpected-pass') + unused.length;
  if (keep || failed > 0) console.log(`results kept in ${outRoot}`);
  else rmSync(outRoot, { recursive: true, force: true });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`(${passes.length} passes in ${seconds} s; baseline ${BASELINE_FILE})`);
  console.log(
    `conformance: ${count('passed')} passed, ${count('expected-failure')} expected failures, ${failed} failed`,
  );
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`conformance: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
