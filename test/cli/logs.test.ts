import type { ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect } from 'chai';
import { daemonFiles, resolvePaths } from '../../src/config/paths.js';
import type { DaemonFiles } from '../../src/config/paths.js';
import {
  atOrAbove,
  formatLogLine,
  formatValue,
  parseLogLine,
  toLogLevel,
  wantsColor,
} from '../../src/cli/log-format.js';
import { isolatedHome, runSmcp, startSmcp, stopChild } from '../helpers/cli.js';
import type { IsolatedHome } from '../helpers/cli.js';

const XDG_KEYS = ['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME', 'XDG_CACHE_HOME'] as const;

/**
 * The daemon files the CLI will use under `env`. resolvePaths(env) reads the XDG_* dirs from
 * process.env (env-paths does), so they are swapped in for the call.
 */
function daemonFilesFor(env: NodeJS.ProcessEnv): DaemonFiles {
  const saved = XDG_KEYS.map((key) => [key, process.env[key]] as const);
  try {
    for (const key of XDG_KEYS) process.env[key] = env[key];
    return daemonFiles(resolvePaths(env));
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** One JSON log line as the daemon writes it, with its newline. */
function record(n: number, level = 'info', fields: Record<string, unknown> = {}): string {
  const time = new Date(Date.UTC(2026, 10, 24, 2, 50, 12, 123)).toISOString();
  return `${JSON.stringify({ time, level, msg: `event ${n}`, n, ...fields })}\n`;
}

function records(from: number, to: number, level?: (n: number) => string): string {
  let text = '';
  for (let n = from; n <= to; n += 1) text += record(n, level ? level(n) : 'info');
  return text;
}

/** The `n` field of each printed JSON line. */
function numbers(stdout: string): number[] {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { n: number }).n);
}

/** Collects a child's stdout and resolves once `expected` appears in it. */
function waitForStdout(child: ChildProcess, expected: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      child.stdout!.off('data', onData);
      reject(new Error(`"${expected}" not printed within ${timeoutMs} ms; got: ${seen}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      if (!seen.includes(expected)) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve(seen);
    };
    child.stdout!.on('data', onData);
  });
}

describe('smcp logs (CLI)', function () {
  this.timeout(20_000);
  let home: IsolatedHome;
  let logFile: string;
  let outFile: string;
  const children: ChildProcess[] = [];

  function writeLog(name: string, text: string): void {
    mkdirSync(dirname(logFile), { recursive: true, mode: 0o700 });
    writeFileSync(name, text);
  }

  beforeEach(() => {
    home = isolatedHome();
    ({ logFile, outFile } = daemonFilesFor(home.env));
  });
  afterEach(async () => {
    for (const child of children.splice(0)) await stopChild(child, 'SIGKILL');
    home.remove();
  });

  it('prints the log file path with --file', async () => {
    const run = await runSmcp(['logs', '--file'], home.env);
    expect(run.code).to.equal(0);
    expect(run.stdout.trim()).to.equal(logFile);
  });

  it('says on stderr that no log exists yet and exits 0', async () => {
    const run = await runSmcp(['logs'], home.env);
    expect(run.code).to.equal(0);
    expect(run.stdout).to.equal('');
    expect(run.stderr).to.contain(`no log yet at ${logFile}`);
  });

  it('shows the last 50 lines by default, readably, with fields as key=value', async () => {
    writeLog(
      logFile,
      records(1, 60) + record(61, 'warn', { host: '127.0.0.1', note: 'has space', obj: { a: [1] } }),
    );
    const run = await runSmcp(['logs'], home.env);
    expect(run.code).to.equal(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).to.have.length(50);
    expect(lines[0]).to.equal('2026-11-24 02:50:12.123 INFO  event 12 n=12');
    expect(lines[49]).to.equal(
      '2026-11-24 02:50:12.123 WARN  event 61 n=61 host=127.0.0.1 note="has space" obj={"a":[1]}',
    );
  });

  it('prints the last N raw JSON lines with -n and --json', async () => {
    writeLog(logFile, records(1, 30));
    const run = await runSmcp(['logs', '-n', '3', '--json'], home.env);
    expect(run.code).to.equal(0);
    expect(run.stdout).to.equal(records(28, 30));
  });

  it('passes lines that are not JSON through as they are', async () => {
    writeLog(logFile, `${record(1)}Error: boom\n    at main (file.js:1:1)\n${record(2)}`);
    const run = await runSmcp(['logs', '-n', '10'], home.env);
    expect(run.stdout).to.contain('\nError: boom\n    at main (file.js:1:1)\n');
    expect(run.stdout.trimEnd().split('\n')).to.have.length(4);
  });

  it('filters with --level and counts -n after the filter', async () => {
    writeLog(
      logFile,
      records(1, 40, (n) => (n % 10 === 0 ? 'error' : n % 5 === 0 ? 'warn' : 'info')),
    );
    const run = await runSmcp(['logs', '--level', 'warn', '-n', '4', '--json'], home.env);
    expect(run.code).to.equal(0);
    expect(numbers(run.stdout)).to.deep.equal([25, 30, 35, 40]);
    const errors = await runSmcp(['logs', '--level', 'ERROR', '--json'], home.env);
    expect(numbers(errors.stdout)).to.deep.equal([10, 20, 30, 40]);
  });

  it('spans rotated files, oldest first, when the current log holds too few lines', async () => {
    writeLog(`${logFile}.2`, records(1, 10));
    writeLog(`${logFile}.1`, records(11, 20));
    writeLog(logFile, records(21, 25));
    const run = await runSmcp(['logs', '-n', '12', '--json'], home.env);
    expect(numbers(run.stdout)).to.deep.equal([14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
    const all = await runSmcp(['logs', '-n', '1000', '--json'], home.env);
    expect(numbers(all.stdout)).to.have.length(25);
  });

  it('reads the end of a large log correctly across chunk boundaries and multibyte text', async () => {
    const filler = 'é'.repeat(700); // 1400 bytes: lines straddle every 64 KiB read
    let text = '';
    for (let n = 1; n <= 3000; n += 1) text += record(n, 'info', { filler });
    writeLog(logFile, text);
    const run = await runSmcp(['logs', '-n', '100', '--json'], home.env);
    const expected = Array.from({ length: 100 }, (_, i) => 2901 + i);
    expect(numbers(run.stdout)).to.deep.equal(expected);
    expect(run.stdout).to.contain(filler);
  });

  it('refuses a bad --level or -n with a usage error and exit 2', async () => {
    writeLog(logFile, records(1, 2));
    const run = await runSmcp(['logs', '--level', 'loud'], home.env);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain('--level');
    expect(run.stderr).to.contain('debug, info, warn, error');
    expect(run.stdout).to.equal('');
    const lines = await runSmcp(['logs', '-n', 'many'], home.env);
    expect(lines.code).to.equal(2);
    expect(lines.stderr).to.contain('--lines');
  });

  it('mentions the raw daemon output file when only that exists', async () => {
    writeLog(outFile, 'Error: crashed before logging\n');
    const run = await runSmcp(['logs'], home.env);
    expect(run.code).to.equal(0);
    expect(run.stderr).to.contain(outFile);
  });

  it('follows appended lines, then across a rotation and a truncation, and stops with exit 0', async () => {
    writeLog(logFile, records(1, 2));
    const child = startSmcp(['logs', '-f', '--json', '-n', '1'], home.env);
    children.push(child);
    let seen = await waitForStdout(child, '"n":2');
    expect(seen).not.to.contain('"n":1,');

    appendFileSync(logFile, record(3));
    expect(numbers(await waitForStdout(child, '"n":3'))).to.deep.equal([3]);

    // Rotation: the old file gets one last line after the rename; the new one starts fresh.
    renameSync(logFile, `${logFile}.1`);
    appendFileSync(`${logFile}.1`, record(4));
    writeFileSync(logFile, record(5));
    seen = await waitForStdout(child, '"n":5');
    expect(numbers(seen)).to.deep.equal([4, 5]);

    // Copy-truncate: the file shrinks and is written again from its start.
    truncateSync(logFile, 0);
    appendFileSync(logFile, record(6));
    seen = await waitForStdout(child, '"n":6');
    expect(numbers(seen)).to.deep.equal([6]);

    // Truncated and left empty for a while: the shrink alone says so.
    truncateSync(logFile, 0);
    await new Promise((resolve) => setTimeout(resolve, 600));
    appendFileSync(logFile, records(7, 8));
    seen = await waitForStdout(child, '"n":8');
    expect(numbers(seen)).to.deep.equal([7, 8]);

    expect(await stopChild(child, 'SIGTERM')).to.equal(0);
  });

  it('waits for a log that does not exist yet when following, and stops on SIGINT with exit 0', async () => {
    const child = startSmcp(['logs', '-f'], home.env);
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (!stderr.includes('no log yet')) return;
        child.stderr!.off('data', check);
        resolve();
      };
      child.stderr!.on('data', check);
    });
    writeLog(logFile, record(1, 'error', { code: 'NETWORK' }));
    const seen = await waitForStdout(child, 'event 1');
    expect(seen).to.contain('ERROR event 1 n=1 code=NETWORK');
    expect(await stopChild(child, 'SIGINT')).to.equal(0);
  });
});

describe('log line formatting', () => {
  it('quotes strings with spaces or quotes, leaves plain tokens bare, and compacts nested values', () => {
    expect(formatValue('127.0.0.1')).to.equal('127.0.0.1');
    expect(formatValue('two words')).to.equal('"two words"');
    expect(formatValue('')).to.equal('""');
    expect(formatValue('a="b"')).to.equal('"a=\\"b\\""');
    expect(formatValue(42)).to.equal('42');
    expect(formatValue(null)).to.equal('null');
    expect(formatValue({ a: [1, { b: 'c' }] })).to.equal('{"a":[1,{"b":"c"}]}');
  });

  it('colours the level only when asked, and passes non-JSON lines through unchanged', () => {
    const line = JSON.stringify({ time: '2026-11-24T02:50:12.123Z', level: 'error', msg: 'boom' });
    expect(formatLogLine(line)).to.equal('2026-11-24 02:50:12.123 ERROR boom');
    expect(formatLogLine(line, { color: true })).to.equal(
      '2026-11-24 02:50:12.123 \x1b[31mERROR\x1b[0m boom',
    );
    expect(formatLogLine('    at main (x.js:1:1)')).to.equal('    at main (x.js:1:1)');
    expect(formatLogLine('[1,2]')).to.equal('[1,2]');
    expect(parseLogLine('{"level":"info"')).to.equal(undefined);
  });

  it('keeps records at or above the threshold, plus lines it cannot judge', () => {
    const keep = atOrAbove('warn');
    expect(keep('{"level":"info","msg":"x"}')).to.equal(false);
    expect(keep('{"level":"WARN","msg":"x"}')).to.equal(true);
    expect(keep('{"level":"error","msg":"x"}')).to.equal(true);
    expect(keep('{"level":"fatal","msg":"x"}')).to.equal(true);
    expect(keep('Segmentation fault')).to.equal(true);
    expect(toLogLevel('Debug')).to.equal('debug');
    expect(toLogLevel('verbose')).to.equal(undefined);
  });

  it('colours only a terminal without NO_COLOR', () => {
    expect(wantsColor({ isTTY: true }, {})).to.equal(true);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: '1' })).to.equal(false);
    expect(wantsColor({ isTTY: false }, {})).to.equal(false);
  });
});
