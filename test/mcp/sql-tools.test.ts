/**
 * SQL tools declared in config.toml, served to a real MCP SDK client on the emulator: listed with
 * their own input schema, arguments bound (never pasted), defaults and types enforced, and
 * definitions that cannot be served refused when the tools are built, naming tool and field.
 */
import { expect } from 'chai';
import { parse } from 'smol-toml';
import { parseSqlTools } from '../../src/config/sql-tools.js';
import type { SqlToolDefinition } from '../../src/config/sql-tools.js';
import { isSmcpError } from '../../src/errors.js';
import { defineMcpSettings } from '../../src/mcp/settings.js';
import { buildSqlTools } from '../../src/mcp/tool-registry.js';
import { connect, useEmulator } from './harness.js';
import type { Connected } from './harness.js';

const TOML = `
[sql_tools.customers_in]
title = "Customers in a country"
description = "Active customers of one country, newest first"
sql = """
SELECT CUSTOMER_ID, NAME, SEGMENT FROM CUSTOMERS
WHERE COUNTRY = :country AND IS_ACTIVE = :active AND NAME <> ':country'
ORDER BY CUSTOMER_ID DESC LIMIT :n
"""
database = "SAMPLE_DB"
schema = "SALES"
max_rows = 50
[sql_tools.customers_in.parameters.country]
type = "string"
description = "ISO country code"
enum = ["US", "DE", "FR", "GB", "JP", "BR", "IN"]
[sql_tools.customers_in.parameters.active]
type = "boolean"
default = true
[sql_tools.customers_in.parameters.n]
type = "integer"
minimum = 1
maximum = 100
default = 3

[sql_tools.echo]
description = "Says back what it was given"
sql = "SELECT :text AS T, :text || '!' AS LOUD, :since::DATE AS SINCE"
[sql_tools.echo.parameters.text]
type = "string"
max_length = 100
[sql_tools.echo.parameters.since]
type = "date"
required = false
`;

function definitions(toml: string): SqlToolDefinition[] {
  return parseSqlTools('/x/config.toml', 'sql_tools', parse(toml).sql_tools);
}

interface Tabular {
  columns: { name: string }[];
  rows: unknown[][];
}

function buildError(toml: string, settings: Record<string, unknown> = {}): string {
  try {
    buildSqlTools(defineMcpSettings({ ...settings, sqlTools: definitions(toml) }));
  } catch (err) {
    if (isSmcpError(err)) return `${err.code}: ${err.message}`;
    throw err;
  }
  return 'built';
}

describe('SQL tools from config.toml', function () {
  this.timeout(30_000);
  const emulator = useEmulator();
  let c: Connected;

  before(async () => {
    c = await connect(emulator.path, { sqlTools: definitions(TOML), toolPrefix: 'sf_' });
  });
  after(async () => {
    await c.close();
  });

  const call = async (name: string, args: Record<string, unknown>) =>
    c.client.callTool({ name, arguments: args });

  it('lists each SQL tool once, after the built-in tools, with its own input schema', async () => {
    const { tools } = await c.client.listTools();
    const names = tools.map((t) => t.name);
    expect(names.slice(-2)).to.deep.equal(['sf_customers_in', 'sf_echo']);
    const tool = tools.find((t) => t.name === 'sf_customers_in');
    expect(tool?.title).to.equal('Customers in a country');
    expect(tool?.description).to.equal('Active customers of one country, newest first');
    expect(tool?.annotations).to.include({ readOnlyHint: true });
    const schema = tool?.inputSchema as {
      properties: Record<string, Record<string, unknown>>;
      required?: string[];
    };
    expect(schema.required).to.deep.equal(['country']);
    expect(schema.properties.country).to.include({ type: 'string', description: 'ISO country code' });
    expect(schema.properties.country?.enum).to.have.length(7);
    expect(schema.properties.n).to.include({ type: 'integer', minimum: 1, maximum: 100 });
    expect(Object.keys(schema.properties)).to.include.members(['active', 'max_rows', 'timeout_s', 'format']);
  });

  it('binds arguments and defaults in their database and schema', async () => {
    const result = await call('sf_customers_in', { country: 'DE' });
    expect(result.isError, JSON.stringify(result.content)).to.not.equal(true);
    const s = result.structuredContent as Tabular;
    expect(s.columns.map((col) => col.name)).to.deep.equal(['CUSTOMER_ID', 'NAME', 'SEGMENT']);
    expect(s.rows).to.have.length(3);
    const more = (await call('sf_customers_in', { country: 'DE', n: 5, active: false }))
      .structuredContent as Tabular;
    expect(more.rows).to.have.length(5);
    expect(more.rows).to.not.deep.equal(s.rows.slice(0, 5));
  });

  it('sends a value that looks like SQL as data, and one placeholder used twice as the same value', async () => {
    const text = "x' OR '1'='1"; // would change the statement if it were pasted
    const result = await call('sf_echo', { text, since: '2024-02-29' });
    expect(result.isError, JSON.stringify(result.content)).to.not.equal(true);
    expect((result.structuredContent as Tabular).rows).to.deep.equal([[text, `${text}!`, '2024-02-29']]);
    const none = await call('sf_echo', { text: 'a' });
    expect((none.structuredContent as Tabular).rows).to.deep.equal([['a', 'a!', null]]);
  });

  it('refuses missing, mistyped, out-of-range and unknown arguments naming the argument', async () => {
    for (const [args, field] of [
      [{}, 'country'],
      [{ country: 'XX' }, 'country'],
      [{ country: 'DE', n: 0 }, 'n'],
      [{ country: 'DE', n: 1.5 }, 'n'],
      [{ country: 'DE', active: 'yes' }, 'active'],
      [{ country: 'DE', sql: 'DROP TABLE CUSTOMERS' }, 'sql'],
    ] as const) {
      const result = await call('sf_customers_in', args);
      expect(result.isError, JSON.stringify(args)).to.equal(true);
      const text = (result.content as { text: string }[])[0]?.text ?? '';
      expect(text, JSON.stringify(args))
        .to.match(/^USAGE: /)
        .and.contain(field);
    }
    const echo = await call('sf_echo', { text: 'a', since: '2024-13-45; DROP' });
    expect(echo.isError).to.equal(true);
  });

  it('refuses definitions it cannot serve when the tools are built, naming tool and field', () => {
    const write = `[sql_tools.wipe]\ndescription = "d"\nsql = "DELETE FROM SAMPLE_DB.SALES.ORDERS WHERE ID = :id"\n[sql_tools.wipe.parameters.id]\ntype = "integer"\n`;
    expect(buildError(write)).to.match(/^CONFIG_INVALID: sql_tools\.wipe\.sql: .*DELETE/);
    expect(buildError(write, { allowWrite: true })).to.equal('built');
    expect(buildError(`[sql_tools.t]\ndescription = "d"\nsql = "SELECT :a"\n`)).to.equal(
      'CONFIG_INVALID: sql_tools.t.sql: placeholder :a names no parameter (declare [sql_tools.t.parameters.a])',
    );
    expect(
      buildError(
        `[sql_tools.t]\ndescription = "d"\nsql = "SELECT 1"\n[sql_tools.t.parameters.a]\ntype = "string"\n`,
      ),
    ).to.equal('CONFIG_INVALID: sql_tools.t.parameters.a: no :a placeholder in sql uses it');
    expect(buildError(`[sql_tools.execute_query]\ndescription = "d"\nsql = "SELECT 1"\n`)).to.match(
      /^CONFIG_INVALID: sql_tools\.execute_query: execute_query is a built-in tool/,
    );
    expect(buildError(`[sql_tools.t]\ndescription = "d"\nsql = "SELECT 1; SELECT 2"\n`)).to.match(
      /^CONFIG_INVALID: sql_tools\.t\.sql: statement/,
    );
    // A VARIANT path (v:a) and text that looks like a placeholder are not placeholders.
    expect(
      buildError(`[sql_tools.t]\ndescription = "d"\nsql = "SELECT PROFILE:tier, ':x' FROM C"\n`),
    ).to.equal('built');
  });

  it('refuses malformed sections with the file, tool and field', () => {
    const cases: [string, RegExp][] = [
      [`[sql_tools.t]\ndescription = "d"\nsqll = "SELECT 1"\n`, /sql_tools\.t(\.sql)?: /],
      [`[sql_tools.T]\ndescription = "d"\nsql = "SELECT 1"\n`, /sql_tools\.T: a tool name is lower-case/],
      [
        `[sql_tools.t]\ndescription = "d"\nsql = "SELECT :a"\n[sql_tools.t.parameters.a]\ntype = "text"\n`,
        /sql_tools\.t\.parameters\.a\.type: /,
      ],
      [
        `[sql_tools.t]\ndescription = "d"\nsql = "SELECT :a"\n[sql_tools.t.parameters.a]\ntype = "integer"\ndefault = "x"\n`,
        /sql_tools\.t\.parameters\.a\.default: expected a integer/,
      ],
      [`sql_tools = 3\n`, /sql_tools: expected a table of tools/],
    ];
    for (const [toml, message] of cases) {
      let text = 'parsed';
      try {
        definitions(toml);
      } catch (err) {
        text = isSmcpError(err) ? `${err.code} ${err.message}` : String(err);
      }
      expect(text, toml)
        .to.match(/^CONFIG_INVALID \/x\/config\.toml /)
        .and.match(message);
    }
  });
});
