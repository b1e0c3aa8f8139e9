/**
 * The guard's lexer against the emulator's Snowflake-like one (a `--` or `//` comment ends only
 * at a line feed): for every control character, DEL, C1 control and Unicode space or line
 * separator, placed at every position around every comment and string opener, followed by a
 * second statement, the two must split the text at the same `;` into the same statements — or the
 * guard must refuse the text. A quote hidden where one lexer sees a comment and the other code is
 * exactly how a second statement would slip past the guard.
 */
import { expect } from 'chai';
import { checkSql, splitSqlStatements } from '../../../src/mcp/guard/index.js';
import type { GuardPolicy } from '../../../src/mcp/guard/index.js';
import { isSignificant, splitStatements, tokenize } from '../../../src/emulator/sql/tokenizer.js';

const EVERYTHING: GuardPolicy = { allowWrite: true, allowDdl: true };

/** How the emulator's lexer splits `sql`: the `;` offsets and each statement's span. */
function emulatorSplit(sql: string): { semicolons: number[]; statements: { start: number; end: number }[] } {
  const tokens = tokenize(sql);
  const semicolons = tokens.filter((t) => t.kind === 'punct' && t.text === ';').map((t) => t.start);
  const statements = splitStatements(tokens).map((statement) => {
    const significant = statement.filter(isSignificant);
    const first = significant[0];
    const last = significant[significant.length - 1];
    return { start: first.start, end: last.start + last.text.length };
  });
  return { semicolons, statements };
}

/** Checks one text; returns whether the guard read it (true) or refused it (false). */
function agreeOrRefuse(sql: string): boolean {
  const guard = splitSqlStatements(sql);
  if (!guard.ok) {
    // A refusal of the lexer is a refusal of the whole text, under every policy.
    const verdict = checkSql(sql, EVERYTHING);
    expect(verdict.allowed, JSON.stringify(sql)).to.equal(false);
    if (!verdict.allowed) expect(verdict.reason).to.match(/^the SQL cannot be parsed safely: /);
    return false;
  }
  expect({ semicolons: guard.semicolons, statements: guard.statements }, JSON.stringify(sql)).to.deep.equal(
    emulatorSplit(sql),
  );
  return true;
}

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

// Every C0 control, DEL, every C1 control, and Unicode spaces and line separators.
const CHARACTERS = [
  ...range(0x00, 0x1f),
  0x7f,
  ...range(0x80, 0x9f),
  0xa0,
  0x1680,
  ...range(0x2000, 0x200b),
  0x2028,
  0x2029,
  0x202f,
  0x205f,
  0x3000,
  0xfeff,
].map((cp) => String.fromCodePoint(cp));

// Each opener with the ways its text may end (or not end at all).
const OPENERS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['--', ['', '\n', '\r\n']],
  ['//', ['', '\n', '\r\n']],
  ['/*', ['*/', '']],
  ["'", ["'", '']],
  ['"', ['"', '']],
  ['$$', ['$$', '']],
];

// A second statement after a `;`, with text before the `;` that might pair with the opener.
const FOLLOW_UPS: ReadonlyArray<readonly [string, string]> = [
  ['', ' DELETE FROM t'],
  [" '…' ", ' CALL p()'],
  ['\n', " DELETE FROM t -- '"],
  [' */ ', " CALL p() /* '"],
  [' $$ ', ' DELETE FROM t $$'],
  [' " ', ' CALL p() "'],
];

type Place = (x: string, open: string, close: string, pre: string, post: string) => string;

// Where the character goes: start, inside the SELECT, around and inside the comment or string,
// just before and after the `;`, and at the end.
const PLACES: ReadonlyArray<readonly [string, Place]> = [
  ['at the start', (x, o, c, pre, post) => `${x}SELECT a ${o} note ${c} FROM t${pre};${post}`],
  ['inside the SELECT', (x, o, c, pre, post) => `SELECT${x}a ${o} note ${c} FROM t${pre};${post}`],
  ['before the opener', (x, o, c, pre, post) => `SELECT a${x}${o} note ${c} FROM t${pre};${post}`],
  ['after the opener', (x, o, c, pre, post) => `SELECT a ${o}${x}note ${c} FROM t${pre};${post}`],
  ['inside the text', (x, o, c, pre, post) => `SELECT a ${o} no${x}te ${c} FROM t${pre};${post}`],
  ['before the closer', (x, o, c, pre, post) => `SELECT a ${o} note${x}${c} FROM t${pre};${post}`],
  ['before the ;', (x, o, c, pre, post) => `SELECT a ${o} note ${c} FROM t${pre}${x};${post}`],
  ['after the ;', (x, o, c, pre, post) => `SELECT a ${o} note ${c} FROM t${pre};${x}${post}`],
  ['at the end', (x, o, c, pre, post) => `SELECT a ${o} note ${c} FROM t${pre};${post}${x}`],
];

describe('SQL guard lexer against the emulator lexer', () => {
  it('splits every character × opener × position × follow-up like the emulator, or refuses it', () => {
    let agreed = 0;
    let refused = 0;
    for (const x of CHARACTERS)
      for (const [open, closers] of OPENERS)
        for (const close of closers)
          for (const [pre, post] of FOLLOW_UPS)
            for (const [, place] of PLACES) {
              if (agreeOrRefuse(place(x, open, close, pre, post))) agreed++;
              else refused++;
            }
    // Both outcomes occur many times: the comparison is not vacuous either way.
    expect(agreed).to.be.above(5_000);
    expect(refused).to.be.above(5_000);
  });

  it('agrees on seeded random mixes of openers, closers, line ends and odd characters', () => {
    // mulberry32: small, seeded, and without the short low-bit cycles of a plain LCG.
    let seed = 20_261_124;
    const rand = (n: number): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const pieces = [
      'SELECT 1',
      ' ',
      'a',
      ';',
      "'",
      '"',
      '$$',
      '--',
      '//',
      '/*',
      '*/',
      '\n',
      '\r\n',
      '\t',
      '\\',
      '$',
      'x$',
      '@s/',
      '1e',
      '-',
      '/',
      '*',
      ' DELETE FROM t',
      ' CALL p()',
      'é',
      '雪',
    ];
    // One piece in eight is one of the odd characters.
    const piece = (): string =>
      rand(8) === 0 ? CHARACTERS[rand(CHARACTERS.length)] : pieces[rand(pieces.length)];
    let agreed = 0;
    for (let k = 0; k < 20_000; k++) {
      const sql = Array.from({ length: 1 + rand(12) }, piece).join('');
      if (agreeOrRefuse(sql)) agreed++;
    }
    expect(agreed).to.be.above(2_000);
  });

  it('reads CRLF line ends as Snowflake does, in code and in comments', () => {
    const sql = 'SELECT a -- note\r\nFROM t // more\r\n/* block\r\n */ WHERE b = 1;\r\nSELECT 2\r\n';
    expect(agreeOrRefuse(sql)).to.equal(true);
    const split = splitSqlStatements(sql);
    expect(split.ok && split.statements.length).to.equal(2);
    expect(
      checkSql('SELECT a -- note\r\nFROM t\r\n', { allowWrite: false, allowDdl: false }),
    ).to.deep.include({
      allowed: true,
    });
  });

  it('keeps comments in any language, but not line-end look-alikes in them', () => {
    const read = { allowWrite: false, allowDdl: false };
    expect(checkSql('-- 日本語のコメント, ünïcødé ✓ 🚀\nSELECT 1 /* 雪 */', read).allowed).to.equal(true);
    for (const cp of [0x0b, 0x0c, 0x0d, 0x85, 0x2028, 0x2029]) {
      const x = String.fromCodePoint(cp);
      const hex = cp.toString(16).toUpperCase().padStart(4, '0');
      for (const sql of [`SELECT 1 -- a${x}'\n; DELETE FROM t; -- '`, `SELECT 1 /* a${x} */`]) {
        const verdict = checkSql(sql, read);
        expect(verdict.allowed, JSON.stringify(sql)).to.equal(false);
        if (!verdict.allowed)
          expect(verdict.reason)
            .to.contain(`U+${hex}`)
            .and.to.match(/line 1, column \d+/);
      }
    }
  });

  it('refuses a line comment that hides a quote from one reader and not the other', () => {
    // Old reading: the comment ended at \r, so the quote opened a string hiding `; DELETE …`.
    const verdict = checkSql("SELECT 1 -- x\r'\n; DELETE FROM t; -- '", { allowWrite: true, allowDdl: true });
    expect(verdict.allowed).to.equal(false);
    if (!verdict.allowed) expect(verdict.reason).to.contain('U+000D');
  });
});
