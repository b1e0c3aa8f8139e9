import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { isolatedHome, runSmcp } from '../helpers/cli.js';
import type { IsolatedHome } from '../helpers/cli.js';

const EVENTS = 'SELECT * FROM SAMPLE_DB.SALES.EVENTS';

interface QueryJson {
  rows: unknown[];
  truncated: boolean;
}

describe('smcp config init and config.toml (CLI)', function () {
  this.timeout(30_000);
  let home: IsolatedHome;
  let file: string;

  beforeEach(() => {
    home = isolatedHome();
    file = join(home.env.XDG_CONFIG_HOME!, 'smcp', 'config.toml');
  });
  afterEach(() => home.remove());

  function writeConfig(text: string): void {
    mkdirSync(join(home.env.XDG_CONFIG_HOME!, 'smcp'), { recursive: true, mode: 0o700 });
    writeFileSync(file, text);
    chmodSync(file, 0o600);
  }

  it('writes a commented template 0600 in a 0700 dir and prints its path', async () => {
    const run = await runSmcp(['config', 'init'], home.env);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout.trim()).to.equal(`wrote ${file}`);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    expect(statSync(join(home.env.XDG_CONFIG_HOME!, 'smcp')).mode & 0o777).to.equal(0o700);
    const text = readFileSync(file, 'utf8');
    expect(text).to.contain('# max_rows = 1000');
    expect(text).to.contain('connections.toml');
    // Nothing is set until the user uncomments it, so the file validates as is.
    const validate = await runSmcp(['config', 'validate'], home.env);
    expect(validate.code, validate.stderr).to.equal(0);
    expect(validate.stdout).to.contain('config.toml is valid (0 settings)');
  });

  it('refuses to replace an existing file without --force, and replaces it with --force', async () => {
    writeConfig('max_rows = 5\n');
    const refused = await runSmcp(['config', 'init'], home.env);
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.contain(file);
    expect(refused.stderr).to.contain('--force');
    expect(readFileSync(file, 'utf8')).to.equal('max_rows = 5\n');

    const forced = await runSmcp(['config', 'init', '--force'], home.env);
    expect(forced.code, forced.stderr).to.equal(0);
    expect(readFileSync(file, 'utf8')).to.contain('# max_rows = 1000');
    expect(statSync(file).mode & 0o777).to.equal(0o600);
  });

  it('prints the template with --print and writes nothing', async () => {
    const run = await runSmcp(['config', 'init', '--print'], home.env);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.contain('# port = 8000');
    expect(existsSync(file)).to.equal(false);
  });

  it('uses max_rows from config.toml as the default and lets a flag override it', async () => {
    writeConfig('max_rows = 5\nport = 9100\n');
    const fromFile = await runSmcp(['call', 'execute_query', `sql=${EVENTS}`, '--json'], home.env);
    expect(fromFile.code, fromFile.stderr).to.equal(0);
    const limited = JSON.parse(fromFile.stdout) as QueryJson;
    expect(limited.rows).to.have.length(5);
    expect(limited.truncated).to.equal(true);

    const flagged = await runSmcp(
      ['call', 'execute_query', `sql=${EVENTS}`, '--json', '--max-rows', '7'],
      home.env,
    );
    expect(flagged.code, flagged.stderr).to.equal(0);
    expect((JSON.parse(flagged.stdout) as QueryJson).rows).to.have.length(7);
  });

  it('is not broken by keys a command does not use', async () => {
    writeConfig('port = 9100\nhost = "127.0.0.1"\ndrain_timeout = 5\nlog_level = "debug"\n');
    const run = await runSmcp(['tools', '--json'], home.env);
    expect(run.code, run.stderr).to.equal(0);
    expect((JSON.parse(run.stdout) as { name: string }[]).map((t) => t.name)).to.include('execute_query');
  });

  it('refuses an unknown key with one line naming the file and key, exit 2', async () => {
    writeConfig('max_rows = 5\nmax_rowz = 6\n');
    const run = await runSmcp(['tools'], home.env);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain('.config/smcp/config.toml');
    expect(run.stderr).to.contain('unknown key "max_rowz"');
    expect(run.stderr.trim().split('\n')).to.have.length(1);
    const validate = await runSmcp(['config', 'validate'], home.env);
    expect(validate.code).to.equal(2);
    expect(validate.stderr).to.contain('max_rowz');
  });

  it('serves SQL tools of config.toml to smcp tools and smcp call, and refuses a bad one with exit 2', async () => {
    writeConfig(
      '[sql_tools.department]\ndescription = "A department by id"\n' +
        'sql = "SELECT NAME, LOCATION FROM SAMPLE_DB.HR.DEPARTMENTS WHERE DEPARTMENT_ID = :id"\n' +
        '[sql_tools.department.parameters.id]\ntype = "integer"\n',
    );
    const listed = await runSmcp(['tools', '--json'], home.env);
    expect(listed.code, listed.stderr).to.equal(0);
    expect(listed.stdout).to.contain('"department"');
    const run = await runSmcp(['call', 'department', 'id=2', '--json'], home.env);
    expect(run.code, run.stderr).to.equal(0);
    expect((JSON.parse(run.stdout) as QueryJson).rows).to.deep.equal([['Sales', 'New York']]);
    const missing = await runSmcp(['call', 'department', '--json'], home.env);
    expect(missing.code).to.not.equal(0);
    expect(missing.stderr).to.contain('id');

    writeConfig(
      '[sql_tools.wipe]\ndescription = "d"\nsql = "DELETE FROM SAMPLE_DB.HR.DEPARTMENTS WHERE DEPARTMENT_ID = :id"\n' +
        '[sql_tools.wipe.parameters.id]\ntype = "integer"\n',
    );
    const refused = await runSmcp(['call', 'list_databases'], home.env);
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.match(/config\.toml sql_tools\.wipe\.sql: .*DELETE.*\[CONFIG_INVALID\]\n$/);
    expect(refused.stderr.trim().split('\n')).to.have.length(1);
  });

  it('applies visibility rules from config.toml and flags, and refuses a bad pattern with exit 2', async () => {
    writeConfig('hide_objects = ["ANALYTICS"]\n');
    const listed = await runSmcp(['call', 'list_databases', '--json'], home.env);
    expect(listed.code, listed.stderr).to.equal(0);
    const names = (JSON.parse(listed.stdout) as { databases: { name: string }[] }).databases.map(
      (d) => d.name,
    );
    expect(names).to.include('SAMPLE_DB').and.not.include('ANALYTICS');
    const flagged = await runSmcp(
      ['call', 'list_databases', '--json', '--show-objects', 'ANALYTICS'],
      home.env,
    );
    expect((JSON.parse(flagged.stdout) as { databases: unknown[] }).databases).to.deep.equal([]);
    writeConfig('hide_objects = ["a.b.c.d"]\n');
    const bad = await runSmcp(['call', 'list_databases'], home.env);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain('hide-objects: "a.b.c.d" is not a pattern of 1 to 3 dotted parts');
  });

  it('names the key and expected type for a wrong value, exit 2', async () => {
    writeConfig('max_rows = "many"\n');
    const run = await runSmcp(['call', 'list_databases'], home.env);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain('config.toml max_rows: expected a positive integer, got "many"');
  });

  it('lists its values in config show with config.toml as their origin', async () => {
    // A warehouse is a Snowflake setting: without an account it would be refused, not shown.
    const snowflakeDir = join(home.home, '.snowflake');
    mkdirSync(snowflakeDir, { recursive: true, mode: 0o700 });
    writeFileSync(
      join(snowflakeDir, 'connections.toml'),
      '[default]\naccount = "a1"\nuser = "u"\npassword = "p"\n',
      {
        mode: 0o600,
      },
    );
    writeConfig('max_rows = 5\nwarehouse = "CFG_WH"\n');
    const run = await runSmcp(['config', 'show', '--json'], home.env);
    expect(run.code, run.stderr).to.equal(0);
    const shown = JSON.parse(run.stdout) as {
      smcpConfig: { exists: boolean; settings: { key: string; value: unknown; origin: string }[] };
    };
    expect(shown.smcpConfig.exists).to.equal(true);
    const maxRows = shown.smcpConfig.settings.find((s) => s.key === 'max_rows');
    expect(maxRows?.value).to.equal(5);
    expect(maxRows?.origin).to.match(/config\.toml max_rows$/);
    const text = await runSmcp(['config', 'show'], home.env);
    expect(text.stdout).to.match(/max_rows\s+5\s+\(~\/\.config\/smcp\/config\.toml max_rows\)/);
  });

  it('sets connection keys under the SNOWFLAKE_* variables, shown with config.toml as origin', async () => {
    const snowflakeDir = join(home.home, '.snowflake');
    mkdirSync(snowflakeDir, { recursive: true, mode: 0o700 });
    writeFileSync(
      join(snowflakeDir, 'connections.toml'),
      '[default]\naccount = "a1"\nuser = "u"\npassword = "p"\n',
      {
        mode: 0o600,
      },
    );
    writeConfig('warehouse = "CFG_WH"\nrole = "CFG_ROLE"\n');
    const run = await runSmcp(['config', 'show', '--json'], { ...home.env, SNOWFLAKE_ROLE: 'ENV_ROLE' });
    expect(run.code, run.stderr).to.equal(0);
    const rows = (JSON.parse(run.stdout) as { settings: { key: string; value: string; origin: string }[] })
      .settings;
    const warehouse = rows.find((r) => r.key === 'warehouse');
    expect(warehouse?.value).to.equal('CFG_WH');
    expect(warehouse?.origin).to.match(/config\.toml warehouse$/);
    expect(rows.find((r) => r.key === 'role')).to.include({ value: 'ENV_ROLE', origin: 'SNOWFLAKE_ROLE' });
  });
});
