import { expect } from 'chai';
import type { CliRun, IsolatedHome } from '../helpers/cli.js';
import { isolatedHome, runSmcp } from '../helpers/cli.js';

/** A value with an OSC 52 clipboard write, BEL, a C1 CSI, a bare CR and a backspace. */
const CONTROL_SQL =
  "SELECT CHR(27) || ']52;c;aGk=' || CHR(7) || CHR(155) || '31m' || CHR(13) || CHR(8) || 'end' AS S";
const CONTROL_VALUE = '\u001b]52;c;aGk=\u0007\u009b31m\r\bend';
/** Raw control characters a terminal would act on (tab and line ends excepted). */
// eslint-disable-next-line no-control-regex
const RAW_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|\r(?!\n)/;

/** Every run of this file, started in before() three at a time (each one boots an emulator). */
const RUNS = {
  tools: ['tools'],
  listDatabases: ['call', 'list_databases'],
  typedArgs: ['call', 'execute_query', 'sql=SELECT ID FROM SAMPLE_DB.SALES.EVENTS ORDER BY ID', 'max_rows=2'],
  drop: ['call', 'execute_query', 'sql=DROP TABLE SAMPLE_DB.SALES.EVENTS'],
  unknownTool: ['call', 'no_such_tool'],
  wrongType: ['call', 'execute_query', 'sql=SELECT 1', 'max_rows=lots'],
  misspelt: ['call', 'list_tables', 'databse=SAMPLE_DB'],
  controlText: ['call', 'execute_query', `sql=${CONTROL_SQL}`, '--no-json'],
  controlJson: ['call', 'execute_query', `sql=${CONTROL_SQL}`, '--json'],
  controlError: ['call', 'execute_query', 'sql=SELECT * FROM "A\u001b[2JB\u0007"', '--no-json'],
} as const;

/** Runs `start()`s at most `limit` at a time; each promise settles with its own run. */
function limited<T>(starts: (() => Promise<T>)[], limit: number): Promise<T>[] {
  let active = 0;
  const queue: (() => void)[] = [];
  const next = (): void => {
    if (active >= limit) return;
    const go = queue.shift();
    if (go) go();
  };
  return starts.map(
    (start) =>
      new Promise<T>((resolve, reject) => {
        queue.push(() => {
          active++;
          start()
            .then(resolve, reject)
            .finally(() => {
              active--;
              next();
            });
        });
        next();
      }),
  );
}

describe('e2e: smcp tools and smcp call', function () {
  // Ten CLI runs, each booting an emulator with its sample data: generous bounds for a busy
  // machine (a bound, not a timing check).
  this.timeout(180_000);
  let home: IsolatedHome;
  let runs: Record<keyof typeof RUNS, Promise<CliRun>>;

  before(() => {
    home = isolatedHome();
    const entries = Object.entries(RUNS);
    const started = limited(
      entries.map(
        ([, args]) =>
          () =>
            runSmcp([...args], home.env, 120_000),
      ),
      3,
    );
    runs = Object.fromEntries(entries.map(([key], i) => [key, started[i]])) as typeof runs;
  });
  after(async () => {
    await Promise.allSettled(Object.values(runs));
    home.remove();
  });

  it('prints the tool list as JSON when piped', async () => {
    const run = await runs.tools;
    expect(run.code, run.stderr).to.equal(0);
    const tools = JSON.parse(run.stdout) as { name: string }[];
    expect(tools.map((t) => t.name)).to.include.members(['list_databases', 'execute_query', 'fetch_results']);
  });

  it('calls list_databases and exits 0 with JSON on a pipe', async () => {
    const run = await runs.listDatabases;
    expect(run.code, run.stderr).to.equal(0);
    const body = JSON.parse(run.stdout) as { databases: { name: string }[] };
    expect(body.databases.map((d) => d.name)).to.include.members(['SAMPLE_DB', 'ANALYTICS']);
  });

  it('passes key=value arguments with their types', async () => {
    const run = await runs.typedArgs;
    expect(run.code, run.stderr).to.equal(0);
    const body = JSON.parse(run.stdout) as { rows: unknown[][]; truncated: boolean; nextOffset: number };
    expect(body.rows).to.deep.equal([[1], [2]]);
    expect(body.truncated).to.equal(true);
    expect(body.nextOffset).to.equal(2);
  });

  it('exits 1 with the reason on stderr when the tool refuses (DROP)', async () => {
    const run = await runs.drop;
    expect(run.code).to.equal(1);
    expect(run.stderr)
      .to.contain('DROP TABLE')
      .and.match(/read-only/i)
      .and.contain('smcp: Hint: ');
    expect(JSON.parse(run.stdout)).to.have.nested.property('error.code', 'STATEMENT_REFUSED');
    expect(run.stderr).to.not.match(/\n\s+at /);
  });

  it('exits 2 for an unknown tool, naming the known ones', async () => {
    const run = await runs.unknownTool;
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain('no_such_tool').and.contain('list_databases');
    expect(run.stdout).to.equal('');
  });

  it('exits 2 for an argument of the wrong type', async () => {
    const run = await runs.wrongType;
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain('max_rows');
  });

  it('exits 2 for an argument the tool does not take, naming the nearest valid one on one line', async () => {
    const run = await runs.misspelt;
    expect(run.code).to.equal(2);
    expect(run.stderr).to.equal(
      "smcp: unknown argument 'databse' (did you mean 'database'?); list_tables takes: database, schema, like [USAGE]\n",
    );
    expect(run.stdout).to.equal('');
  });

  it('prints control characters of values as visible escapes on a terminal', async () => {
    const run = await runs.controlText;
    expect(run.code, run.stderr).to.equal(0);
    expect(RAW_CONTROLS.test(run.stdout), JSON.stringify(run.stdout)).to.equal(false);
    expect(run.stdout).to.contain('| \\x1b]52;c;aGk=\\x07\\u009b31m\\x0d\\x08end |');
  });

  it('prints JSON that is exact and holds no raw control character', async () => {
    const run = await runs.controlJson;
    expect(run.code, run.stderr).to.equal(0);
    expect(RAW_CONTROLS.test(run.stdout), JSON.stringify(run.stdout)).to.equal(false);
    const body = JSON.parse(run.stdout) as { rows: unknown[][] };
    expect(body.rows).to.deep.equal([[CONTROL_VALUE]]);
  });

  it('prints control characters of an error message as visible escapes', async () => {
    const run = await runs.controlError;
    expect(run.code).to.equal(1);
    expect(RAW_CONTROLS.test(run.stderr), JSON.stringify(run.stderr)).to.equal(false);
    expect(run.stderr).to.contain('A\\x1b[2JB\\x07');
  });
});
