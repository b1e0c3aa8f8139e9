import { expect } from 'chai';
import { SmcpError } from '../../src/errors.js';
import { qualifiedName, quoteIdentifier, resolveName, stringLiteral } from '../../src/mcp/identifiers.js';
import { csvText, markdownCell, markdownTable, renderTabular } from '../../src/mcp/result-format.js';
import type { TabularResult } from '../../src/mcp/result-format.js';
import { uniqueNames } from '../../src/mcp/render-json.js';
import { DEFAULT_MCP_SETTINGS, defineMcpSettings } from '../../src/mcp/settings.js';

function codeAndField(fn: () => unknown): [string, string | undefined] {
  try {
    fn();
  } catch (err) {
    if (err instanceof SmcpError) return [err.code, err.details.field];
    throw err;
  }
  throw new Error('expected an SmcpError');
}

describe('MCP settings', () => {
  it('has read-only, capped, frozen defaults', () => {
    expect(DEFAULT_MCP_SETTINGS).to.include({
      maxRows: 1000,
      maxBytes: 1024 * 1024,
      allowWrite: false,
      allowDdl: false,
      toolPrefix: '',
      defaultFormat: 'markdown',
      progressIntervalMs: 5000,
    });
    expect(Object.isFrozen(DEFAULT_MCP_SETTINGS)).to.equal(true);
  });

  it('raises the timeout ceiling to a larger default timeout when no ceiling is given', () => {
    expect(defineMcpSettings({ defaultTimeoutSeconds: 7200 })).to.include({
      defaultTimeoutSeconds: 7200,
      maxTimeoutSeconds: 7200,
    });
  });

  it('refuses values past the hard ceilings with CONFIG_INVALID naming the field', () => {
    expect(codeAndField(() => defineMcpSettings({ maxRows: 1_000_000 }))).to.deep.equal([
      'CONFIG_INVALID',
      'maxRows',
    ]);
    expect(codeAndField(() => defineMcpSettings({ maxBytes: 100 * 1024 * 1024 }))).to.deep.equal([
      'CONFIG_INVALID',
      'maxBytes',
    ]);
    expect(codeAndField(() => defineMcpSettings({ progressIntervalMs: 60_000 }))).to.deep.equal([
      'CONFIG_INVALID',
      'progressIntervalMs',
    ]);
    expect(codeAndField(() => defineMcpSettings({ toolPrefix: 'bad prefix!' }))).to.deep.equal([
      'CONFIG_INVALID',
      'toolPrefix',
    ]);
    expect(
      codeAndField(() => defineMcpSettings({ defaultTimeoutSeconds: 100, maxTimeoutSeconds: 10 })),
    ).to.deep.equal(['CONFIG_INVALID', 'defaultTimeoutSeconds']);
    expect(codeAndField(() => defineMcpSettings({ maxRowz: 5 }))).to.deep.equal([
      'CONFIG_INVALID',
      'maxRowz',
    ]);
  });
});

describe('identifiers', () => {
  it('resolves names the way Snowflake does and always quotes them', () => {
    expect(resolveName('sales', 'schema')).to.equal('SALES');
    expect(resolveName('"Mixed Case"', 'schema')).to.equal('Mixed Case');
    expect(resolveName('My Table', 'table')).to.equal('My Table');
    expect(quoteIdentifier('x"; DROP TABLE t; --', 'table')).to.equal('"x""; DROP TABLE t; --"');
    expect(quoteIdentifier('"a""b"', 'table')).to.equal('"a""b"');
    expect(qualifiedName('DB', 'S', 'T')).to.equal('"DB"."S"."T"');
  });

  it('refuses empty, malformed quoted, over-long and control-character names', () => {
    expect(codeAndField(() => resolveName('""', 'database'))).to.deep.equal(['USAGE', 'database']);
    expect(codeAndField(() => resolveName('"a"b"', 'view'))).to.deep.equal(['USAGE', 'view']);
    expect(codeAndField(() => resolveName('x'.repeat(256), 'view'))).to.deep.equal(['USAGE', 'view']);
    expect(codeAndField(() => resolveName('a\nb', 'view'))).to.deep.equal(['USAGE', 'view']);
  });

  it('escapes quotes and backslashes in string literals', () => {
    expect(stringLiteral("O'Brien\\%", 'like')).to.equal("'O''Brien\\\\%'");
  });
});

describe('result formatting', () => {
  const result: TabularResult = {
    columns: [
      { name: 'A', type: 'TEXT', nullable: true, precision: null, scale: null },
      { name: 'A', type: 'NUMBER', nullable: true, precision: 38, scale: 0 },
    ],
    rows: [
      ['x|y\nz', 1],
      [null, '12345678901234567890'],
    ],
    rowCount: 2,
    offset: 0,
    truncated: true,
    truncatedBy: 'rows',
    nextOffset: 2,
    queryId: 'q-1',
    elapsedMs: 3,
  };

  it('escapes pipes and line breaks in markdown cells', () => {
    // A carriage return is a control character of its own, not part of a line break.
    expect(markdownCell('a|b\r\nc\\')).to.equal('a\\|b\\x0d<br>c\\\\');
    expect(markdownTable(['c'], [['a|b']])).to.equal('| c |\n| --- |\n| a\\|b |');
  });

  it('quotes CSV fields that need it and leaves NULL empty', () => {
    expect(
      csvText(
        ['a', 'b'],
        [
          ['x,y', null],
          ['say "hi"', 2],
        ],
      ),
    ).to.equal('a,b\r\n"x,y",\r\n"say ""hi""",2');
  });

  it('renders markdown, csv and json with the summary apart and big numbers untouched', () => {
    const [md, summary] = renderTabular(result, 'markdown', 'fetch_results');
    expect(md).to.contain('| x\\|y<br>z | 1 |').and.contain('| *NULL* | 12345678901234567890 |');
    expect(summary).to.contain('fetch_results').and.contain('offset 2');
    const [json] = renderTabular(result, 'json', 'fetch_results');
    expect(JSON.parse(json)).to.deep.equal([
      { A: 'x|y\nz', A_2: 1 },
      { A: null, A_2: '12345678901234567890' },
    ]);
    const [csv] = renderTabular(result, 'csv', 'fetch_results');
    expect(csv).to.equal('A,A\r\n"x|y\nz",1\r\n,12345678901234567890');
  });

  it('makes JSON keys unique without taking a real column name', () => {
    expect(uniqueNames(['N', 'N', 'N_2'])).to.deep.equal(['N', 'N_3', 'N_2']);
    expect(uniqueNames(['N_2', 'N', 'N', 'N_2', 'N'])).to.deep.equal(['N_2', 'N', 'N_3', 'N_2_2', 'N_4']);
    expect(uniqueNames(['__proto__', '__proto__'])).to.deep.equal(['__proto__', '__proto___2']);
  });
});
