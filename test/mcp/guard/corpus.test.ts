import { expect } from 'chai';
import { checkFragment, checkSql } from '../../../src/mcp/guard/index.js';
import type { GuardPolicy } from '../../../src/mcp/guard/index.js';
import { FRAGMENTS, POLICY_CASES, READS, REFUSED } from './corpus.js';

const READ_ONLY: GuardPolicy = { allowWrite: false, allowDdl: false };
const EVERYTHING: GuardPolicy = { allowWrite: true, allowDdl: true };

describe('SQL guard corpus', () => {
  describe('reads a read-only smcp runs', () => {
    for (const [sql, kind] of READS) {
      it(`allows ${JSON.stringify(sql)} as ${kind}`, () => {
        const verdict = checkSql(sql, READ_ONLY);
        expect(verdict, verdict.allowed ? '' : verdict.reason).to.deep.include({
          allowed: true,
          readOnly: true,
        });
        expect(verdict.statements).to.have.length(1);
        expect(verdict.statements[0].kind).to.equal(kind);
      });
    }
  });

  describe('writes and tricks a read-only smcp refuses', () => {
    for (const [sql, because] of REFUSED) {
      it(`refuses ${JSON.stringify(sql)}`, () => {
        const verdict = checkSql(sql, READ_ONLY);
        expect(verdict.allowed).to.equal(false);
        if (verdict.allowed) return;
        expect(verdict.reason).to.match(because);
        expect(verdict.reason.split('\n')).to.have.length(1);
      });
    }
  });

  describe('--allow-write and --allow-ddl', () => {
    for (const [sql, policy, allowed] of POLICY_CASES) {
      const flags = [policy.allowWrite && '--allow-write', policy.allowDdl && '--allow-ddl']
        .filter(Boolean)
        .join(' ');
      it(`${allowed ? 'allows' : 'refuses'} ${JSON.stringify(sql)} with ${flags || 'no flags'}`, () => {
        const verdict = checkSql(sql, policy);
        expect(verdict.allowed, verdict.allowed ? 'allowed' : verdict.reason).to.equal(allowed);
        if (verdict.allowed)
          expect(verdict.readOnly).to.equal(
            verdict.statements.every((s) => ['select', 'show', 'describe', 'explain'].includes(s.kind)),
          );
      });
    }
  });

  describe('query_view fragments', () => {
    for (const [fragment, clause, allowed] of FRAGMENTS) {
      it(`${allowed ? 'allows' : 'refuses'} ${clause} ${JSON.stringify(fragment)}`, () => {
        const verdict = checkFragment(fragment, clause);
        expect(verdict.allowed, verdict.allowed ? 'allowed' : verdict.reason).to.equal(allowed);
      });
    }
  });
});

describe('SQL guard verdicts', () => {
  it('names the refused statement by 1-based index, excerpt and reason', () => {
    const verdict = checkSql('SELECT 1; DROP TABLE t', READ_ONLY);
    expect(verdict).to.deep.include({
      allowed: false,
      index: 2,
      reason:
        'statement 2 ("DROP TABLE t") is DDL (DROP TABLE); smcp is read-only (start it with --allow-write --allow-ddl to permit DDL)',
    });
    expect(verdict.statements.map((s) => [s.index, s.kind, s.text])).to.deep.equal([
      [1, 'select', 'SELECT 1'],
      [2, 'ddl', 'DROP TABLE t'],
    ]);
  });

  it('tells a DDL statement apart when writes are allowed but DDL is not', () => {
    const verdict = checkSql('DROP TABLE t', { allowWrite: true, allowDdl: false });
    expect(verdict.allowed).to.equal(false);
    if (!verdict.allowed) expect(verdict.reason).to.contain('--allow-ddl as well');
  });

  it('marks allowed writes as not read-only', () => {
    expect(checkSql('DELETE FROM t', EVERYTHING)).to.deep.include({ allowed: true, readOnly: false });
  });

  it('keeps statement text to 200 characters and the quoted excerpt short', () => {
    const long = `DELETE FROM t WHERE a IN (${Array.from({ length: 200 }, (_, i) => i).join(', ')})`;
    const verdict = checkSql(long, READ_ONLY);
    expect(verdict.statements[0].text.length).to.be.at.most(200);
    expect(verdict.statements[0].text.endsWith('…')).to.equal(true);
    if (!verdict.allowed) expect(verdict.reason.length).to.be.below(250);
  });

  it('refuses text over 1 MiB without scanning it', () => {
    const verdict = checkSql(`SELECT '${'x'.repeat(1024 * 1024)}'`, READ_ONLY);
    expect(verdict).to.deep.include({ allowed: false, index: 0 });
  });

  it('gives deep nesting and long EXPLAIN chains a verdict of their own, not a parse failure', () => {
    // Speed on such shapes is measured in bench/guard.ts; here only the answers count.
    for (const open of ['(', 'IDENTIFIER(', 'EXPLAIN (', 'f(']) {
      const verdict = checkSql(`SELECT ${open.repeat(20_000)}1${')'.repeat(20_000)}`, READ_ONLY);
      expect(verdict.allowed, verdict.allowed ? '' : verdict.reason).to.equal(true);
    }
    const tables = checkSql(`SELECT ${'TABLE('.repeat(20_000)}1${')'.repeat(20_000)}`, READ_ONLY);
    expect(tables.allowed).to.equal(false);
    if (!tables.allowed)
      expect(tables.reason).to.match(/TABLE\(TABLE\(…\)\), which may call a stored procedure/);
    expect(checkFragment(`a IN ${'(SELECT '.repeat(5_000)}1${')'.repeat(5_000)}`, 'where').allowed).to.equal(
      true,
    );
    const explains = checkSql('EXPLAIN '.repeat(50_000) + 'SELECT 1', READ_ONLY);
    expect(explains.allowed).to.equal(false);
    if (!explains.allowed) expect(explains.reason).to.match(/is not a statement smcp recognises \(EXPLAIN\)/);
  });

  it('never throws on arbitrary input', () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const alphabet = `SELECT DROP ;'"$/*-\n()@:.!?\\#${'\u200b'}é`;
    for (let k = 0; k < 2000; k++) {
      const sql = Array.from({ length: rand(40) }, () => alphabet[rand(alphabet.length)]).join('');
      expect(() => checkSql(sql, READ_ONLY)).not.to.throw();
      expect(() => checkFragment(sql, 'where')).not.to.throw();
    }
  });
});

describe('SQL guard on concatenated reads', () => {
  it('refuses random ;-joined runs of allowed reads in read-only mode', () => {
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    // A newline before each ';' keeps a read that ends in a line comment from swallowing it.
    for (let k = 0; k < 300; k++) {
      const count = 2 + rand(4);
      const picked = Array.from({ length: count }, () => READS[rand(READS.length)][0]);
      const sql = picked.join(rand(2) ? '\n;' : '\n;\n');
      const verdict = checkSql(sql, READ_ONLY);
      expect(verdict.statements, sql).to.have.length(count);
      expect(verdict.allowed, sql).to.equal(false);
      if (!verdict.allowed) {
        expect(verdict.index).to.equal(2);
        expect(verdict.reason).to.match(
          /^statement 2 \(".*"\) follows another one; smcp runs one statement per call/,
        );
      }
    }
  });
});
