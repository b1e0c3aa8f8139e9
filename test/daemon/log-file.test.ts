import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { isSmcpError } from '../../src/errors.js';
import { openRotatingLog, rotatedLogFiles } from '../../src/daemon/log-file.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A 100-byte line (with its newline) numbered `i`. */
function line(i: number): string {
  return `${`{"n":${i}}`.padEnd(99, ' ')}\n`;
}

function numbersIn(file: string): number[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((text) => (JSON.parse(text) as { n: number }).n);
}

describe('rotating log file', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'smcp-log-test-'));
    file = join(dir, 'logs', 'smcp.log');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a private dir and a 0600 file and appends every line synchronously', () => {
    const log = openRotatingLog({ file });
    expect(log.path).to.equal(file);
    log.write(line(1));
    log.write(line(2));
    expect(numbersIn(file)).to.deep.equal([1, 2]);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    expect(statSync(join(dir, 'logs')).mode & 0o777).to.equal(0o700);
    log.close();
  });

  it('appends to an existing log instead of overwriting it', () => {
    const first = openRotatingLog({ file });
    first.write(line(1));
    first.close();
    const second = openRotatingLog({ file });
    second.write(line(2));
    second.close();
    expect(numbersIn(file)).to.deep.equal([1, 2]);
  });

  it('rotates by size to .1 … .keep, newest in .1, no file over maxBytes, oldest dropped', () => {
    const log = openRotatingLog({ file, maxBytes: 300, keep: 3 });
    for (let i = 1; i <= 20; i += 1) log.write(line(i));
    log.close();
    // 3 lines per file: current holds 19-20, .1 16-18, .2 13-15, .3 10-12; 1-9 dropped.
    expect(rotatedLogFiles(file)).to.deep.equal([`${file}.3`, `${file}.2`, `${file}.1`, file]);
    expect(existsSync(`${file}.4`)).to.equal(false);
    expect(numbersIn(file)).to.deep.equal([19, 20]);
    expect(numbersIn(`${file}.1`)).to.deep.equal([16, 17, 18]);
    const all = rotatedLogFiles(file).flatMap(numbersIn);
    expect(all).to.deep.equal([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    for (const f of rotatedLogFiles(file)) expect(statSync(f).size).to.be.at.most(300);
  });

  it('writes a line longer than maxBytes into a file of its own rather than looping', () => {
    const log = openRotatingLog({ file, maxBytes: 50, keep: 2 });
    log.write(line(1));
    log.write(line(2));
    log.close();
    expect(numbersIn(file)).to.deep.equal([2]);
    expect(numbersIn(`${file}.1`)).to.deep.equal([1]);
  });

  it('reopens its path when another rotator renamed the file away', async function () {
    this.timeout(5000);
    const log = openRotatingLog({ file });
    log.write(line(1));
    renameSync(file, `${file}.moved`);
    await sleep(1100); // the identity check runs at most once a second
    log.write(line(2));
    log.write(line(3));
    log.close();
    expect(numbersIn(`${file}.moved`)).to.deep.equal([1]);
    expect(numbersIn(file)).to.deep.equal([2, 3]);
  });

  it('keeps appending at the start after a copy-truncate, without a hole or an early rotation', () => {
    const log = openRotatingLog({ file, maxBytes: 1000 });
    for (let i = 1; i <= 9; i += 1) log.write(line(i));
    truncateSync(file, 0);
    log.write(line(10));
    log.write(line(11));
    log.close();
    expect(readFileSync(file, 'utf8')).to.equal(line(10) + line(11));
    expect(existsSync(`${file}.1`)).to.equal(false);
  });

  it('refuses a log dir that cannot be created with CONFIG_INVALID naming the log file', () => {
    writeFileSync(join(dir, 'blocker'), '');
    const bad = join(dir, 'blocker', 'smcp.log');
    let caught: unknown;
    try {
      openRotatingLog({ file: bad });
    } catch (err) {
      caught = err;
    }
    expect(isSmcpError(caught, 'CONFIG_INVALID')).to.equal(true);
    expect((caught as Error).message).to.contain(`cannot write log file ${bad}`);
  });

  it('refuses a log path that cannot be opened for writing', () => {
    mkdirSync(file, { recursive: true });
    expect(() => openRotatingLog({ file }))
      .to.throw(/cannot write log file .*smcp\.log: .*EISDIR/)
      .with.property('code', 'CONFIG_INVALID');
  });

  it('never throws from write: after close, or when its dir vanished', async function () {
    this.timeout(5000);
    const closed = openRotatingLog({ file });
    closed.close();
    closed.close();
    expect(() => closed.write(line(1))).not.to.throw();

    const orphan = openRotatingLog({ file, maxBytes: 150 });
    rmSync(join(dir, 'logs'), { recursive: true, force: true });
    writeFileSync(join(dir, 'logs'), 'now a file');
    await sleep(1100);
    expect(() => {
      for (let i = 0; i < 5; i += 1) orphan.write(line(i));
    }).not.to.throw();
    orphan.close();
  });

  it('lists rotated files oldest first, ignoring unrelated names, and nothing for a missing dir', () => {
    mkdirSync(join(dir, 'logs'));
    for (const name of [
      'smcp.log',
      'smcp.log.1',
      'smcp.log.2',
      'smcp.log.10',
      'smcp.log.bak',
      'smcp.log.0',
      'x.log.1',
    ])
      writeFileSync(join(dir, 'logs', name), '');
    expect(rotatedLogFiles(file)).to.deep.equal([`${file}.10`, `${file}.2`, `${file}.1`, file]);
    expect(rotatedLogFiles(join(dir, 'nowhere', 'smcp.log'))).to.deep.equal([]);
  });
});
