import { expect } from 'chai';
import { ERROR_CATALOGUE, SmcpError } from '../../src/errors.js';
import type { ErrorCode } from '../../src/errors.js';
import { editDistance, nearestName, parseToolArguments } from '../../src/mcp/tool-arguments.js';
import { StatementRefusedError } from '../../src/mcp/sql-policy.js';
import { ERROR_META_KEY, errorInfoOf, errorResult } from '../../src/mcp/tool-result.js';
import { TOOLS } from '../../src/mcp/tools/index.js';
import type { Tool } from '../../src/mcp/tool-types.js';

function tool(name: string): Tool {
  const found = TOOLS.find((t) => t.name === name);
  if (!found) throw new Error(`no tool ${name}`);
  return found;
}

function refusal(name: string, args: unknown): SmcpError {
  try {
    parseToolArguments(tool(name), name, args);
  } catch (err) {
    if (err instanceof SmcpError) return err;
    throw err;
  }
  throw new Error(`${name} accepted ${JSON.stringify(args)}`);
}

describe('tool arguments', () => {
  it('measures edits with transpositions as one', () => {
    expect(editDistance('databse', 'database')).to.equal(1);
    expect(editDistance('shcema', 'schema')).to.equal(1);
    expect(editDistance('', 'sql')).to.equal(3);
    expect(editDistance('format', 'format')).to.equal(0);
  });

  it('suggests the argument a misspelling, another case or a synonym meant', () => {
    const exec = ['sql', 'database', 'schema', 'max_rows', 'timeout_s', 'format'];
    expect(nearestName('max_row', exec)).to.equal('max_rows');
    expect(nearestName('maxRows', exec)).to.equal('max_rows');
    expect(nearestName('limit', exec)).to.equal('max_rows');
    expect(nearestName('timeout', exec)).to.equal('timeout_s');
    expect(nearestName('databse', exec)).to.equal('database');
    expect(nearestName('query', exec)).to.equal('sql');
    expect(nearestName('warehouse', exec)).to.equal(undefined);
    expect(nearestName('max_rows', ['query_id', 'offset', 'limit', 'format'])).to.equal('limit');
  });

  it('refuses an argument the tool does not take, naming the nearest and every known one', () => {
    const error = refusal('list_tables', { database: 'SAMPLE_DB', databse: 'X' });
    expect(error.code).to.equal('USAGE');
    expect(error.details.field).to.equal('databse');
    expect(error.message).to.equal(
      "unknown argument 'databse' (did you mean 'database'?); list_tables takes: database, schema, like",
    );
  });

  it('names every unknown argument, and says when a tool takes none', () => {
    const error = refusal('execute_query', { sql: 'SELECT 1', max_row: 5, timeout: 3, colour: 'red' });
    expect(error.message).to.match(
      /^unknown arguments 'max_row' \(did you mean 'max_rows'\?\), 'timeout' \(did you mean 'timeout_s'\?\), 'colour'; execute_query takes: sql, database, schema, max_rows, timeout_s, format$/,
    );
    expect(refusal('list_databases', { like: 'X' }).message).to.equal(
      "unknown argument 'like'; list_databases takes no arguments",
    );
  });

  it('names missing and mistyped arguments, and refuses non-object arguments', () => {
    const missing = refusal('execute_query', {});
    expect(missing.message).to.equal("invalid arguments for execute_query: missing required argument 'sql'");
    expect(missing.details.field).to.equal('sql');
    const wrong = refusal('execute_query', { sql: 'SELECT 1', max_rows: 'ten' });
    expect(wrong.message).to.match(/^invalid arguments for execute_query: 'max_rows': .*number/);
    expect(refusal('execute_query', ['SELECT 1']).details.field).to.equal('arguments');
  });

  it('accepts the arguments a tool takes and leaves the rest to the schema', () => {
    expect(
      parseToolArguments(tool('list_tables'), 'list_tables', { database: 'D', like: 'A%' }),
    ).to.deep.equal({
      database: 'D',
      like: 'A%',
    });
    expect(parseToolArguments(tool('list_databases'), 'list_databases', undefined)).to.deep.equal({});
  });
});

describe('tool error results', () => {
  it('carry code, message and hint as text, details in _meta, and no structuredContent', () => {
    const result = errorResult(
      new SmcpError('NOT_FOUND', "Object 'X' does not exist.", {
        snowflakeCode: '002003',
        sqlState: '42S02',
        queryId: 'q-1',
      }),
      (name) => `sf_${name}`,
    );
    expect(result.isError).to.equal(true);
    expect(result).to.not.have.property('structuredContent');
    const [first, hint, facts] = result.content[0].text.split('\n');
    expect(first).to.equal("NOT_FOUND: Object 'X' does not exist.");
    expect(hint).to.match(/^Hint: .*sf_list_tables/);
    expect(facts).to.equal('(Snowflake error 002003, SQLSTATE 42S02, query id q-1)');
    expect(result._meta?.[ERROR_META_KEY]).to.deep.include({
      code: 'NOT_FOUND',
      snowflakeCode: '002003',
      sqlState: '42S02',
      queryId: 'q-1',
    });
    expect(errorInfoOf(result)?.hint).to.equal(hint.slice('Hint: '.length));
  });

  it('say which statement the guard refused, and turn unexpected faults into INTERNAL', () => {
    const refused = errorResult(new StatementRefusedError('statement 1 (DELETE) is a write', 1));
    expect(errorInfoOf(refused)).to.include({ code: 'STATEMENT_REFUSED', statementIndex: 1 });
    const fault = errorResult(new TypeError('x is undefined'));
    expect(fault.content[0].text).to.match(/^INTERNAL: x is undefined\nHint: /);
  });

  it('have a hint for every code of the catalogue', () => {
    for (const code of Object.keys(ERROR_CATALOGUE) as ErrorCode[]) {
      const info = errorInfoOf(errorResult(new SmcpError(code, 'm')));
      expect(info?.hint, code).to.be.a('string').with.length.greaterThan(20);
    }
  });
});
