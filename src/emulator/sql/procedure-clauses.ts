/**
 * The clauses of CREATE PROCEDURE: the argument list (name, type, DEFAULT) and what follows it
 * (RETURNS <type> | TABLE (…), LANGUAGE, null handling, volatility, COMMENT, EXECUTE AS, the
 * options of other languages, AS '<body>'), read from significant tokens.
 */
import { syntaxError } from './sql-errors.js';
import { identName, isSignificant, splitTopLevelCommas, stringValue, type Token } from './tokenizer.js';

/** One argument: name, Snowflake type text, default expression (SQL) or null. */
export interface ProcedureArg {
  name: string;
  type: string;
  defaultSql: string | null;
}

/** Words that end a RETURNS type (the next clause of CREATE PROCEDURE). */
const CLAUSE_WORDS = new Set([
  'NOT',
  'NULL',
  'LANGUAGE',
  'STRICT',
  'CALLED',
  'RETURNS',
  'VOLATILE',
  'IMMUTABLE',
  'COMMENT',
  'EXECUTE',
  'AS',
  'RUNTIME_VERSION',
  'PACKAGES',
  'HANDLER',
  'IMPORTS',
  'TARGET_PATH',
  'EXTERNAL_ACCESS_INTEGRATIONS',
  'SECRETS',
  'COPY',
]);

/** SQL text of significant tokens (spaces between them keep words apart). */
export function sqlOf(tokens: readonly Token[]): string {
  return tokens.map((t) => t.text).join(' ');
}

/** The upper-case text of a word token, '' for anything else. */
export function word(t: Token | undefined): string {
  return t?.kind === 'word' ? t.text.toUpperCase() : '';
}

/** Text of type tokens, compact: `NUMBER(38, 2)` → `NUMBER(38,2)`. */
export function typeText(tokens: readonly Token[]): string {
  return tokens
    .filter(isSignificant)
    .map((t) => t.text)
    .join(' ')
    .replace(/ ?\( ?/g, '(')
    .replace(/ ?, ?/g, ',')
    .replace(/ \)/g, ')');
}

/** The index just past the parenthesis closing the one at `open`. */
export function closing(sig: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < sig.length; i++) {
    if (sig[i].text === '(') depth++;
    if (sig[i].text === ')' && --depth === 0) return i + 1;
  }
  throw syntaxError(1, sig.at(-1)?.start ?? 0, '<EOF>');
}

/** The arguments of a CREATE PROCEDURE (the tokens between its parentheses). */
export function parseArgs(tokens: readonly Token[]): ProcedureArg[] {
  if (tokens.length === 0) return [];
  return splitTopLevelCommas(tokens).map((arg) => {
    const name = arg[0];
    if (!name || (name.kind !== 'word' && name.kind !== 'quoted')) {
      throw syntaxError(1, name?.start ?? 0, name?.text ?? '<EOF>');
    }
    const def = arg.findIndex((t) => word(t) === 'DEFAULT');
    const typeTokens = arg.slice(1, def < 0 ? undefined : def);
    if (typeTokens.length === 0) throw syntaxError(1, name.start, name.text);
    return {
      name: identName(name),
      type: typeText(typeTokens),
      defaultSql: def < 0 ? null : sqlOf(arg.slice(def + 1)),
    };
  });
}

/** What CREATE PROCEDURE says after its arguments. */
export interface CreateOptions {
  returns: string | null;
  returnsTable: { name: string; type: string }[] | null;
  language: string | null;
  comment: string | null;
  body: string | null;
}

/** The clauses after the argument list, up to and including AS '<body>'. */
export function parseOptions(sig: readonly Token[], start: number): CreateOptions {
  const out: CreateOptions = { returns: null, returnsTable: null, language: null, comment: null, body: null };
  let i = start;
  const valueAfterEquals = (): Token | undefined => {
    if (sig[i]?.text === '=') i++;
    return sig[i++];
  };
  while (i < sig.length) {
    const w = word(sig[i]);
    if (w === 'RETURNS' && word(sig[i + 1]) === 'NULL' && word(sig[i + 2]) === 'ON') {
      i += 5; // RETURNS NULL ON NULL INPUT
    } else if (w === 'RETURNS' && word(sig[i + 1]) === 'TABLE') {
      i += 2;
      if (sig[i]?.text !== '(') throw syntaxError(1, sig[i]?.start ?? 0, sig[i]?.text ?? '<EOF>');
      const end = closing(sig, i);
      const inner = sig.slice(i + 1, end - 1);
      out.returnsTable =
        inner.length === 0
          ? []
          : splitTopLevelCommas(inner).map((col) => ({
              name: identName(col[0]),
              type: typeText(col.slice(1)),
            }));
      i = end;
    } else if (w === 'RETURNS') {
      i++;
      const from = i;
      while (i < sig.length && !CLAUSE_WORDS.has(word(sig[i])))
        i = sig[i].text === '(' ? closing(sig, i) : i + 1;
      out.returns = typeText(sig.slice(from, i));
      if (!out.returns) throw syntaxError(1, sig[i]?.start ?? 0, sig[i]?.text ?? '<EOF>');
    } else if (w === 'NOT' && word(sig[i + 1]) === 'NULL') {
      i += 2;
    } else if (w === 'NULL' || w === 'STRICT' || w === 'VOLATILE' || w === 'IMMUTABLE') {
      i++;
    } else if (w === 'CALLED') {
      i += 4; // CALLED ON NULL INPUT
    } else if (w === 'LANGUAGE') {
      out.language = sig[i + 1]?.text ?? null;
      i += 2;
    } else if (w === 'COMMENT') {
      i++;
      const t = valueAfterEquals();
      out.comment = t ? stringValue(t) : null;
    } else if (w === 'EXECUTE') {
      i += word(sig[i + 2]) === 'RESTRICTED' ? 4 : 3; // EXECUTE AS CALLER | OWNER | RESTRICTED CALLER
    } else if (w === 'COPY') {
      i += 2;
    } else if (CLAUSE_WORDS.has(w) && w !== 'AS') {
      // RUNTIME_VERSION, PACKAGES, HANDLER, … belong to other languages: skip their value.
      i++;
      if (sig[i]?.text === '=') i++;
      i = sig[i]?.text === '(' ? closing(sig, i) : i + 1;
    } else if (w === 'AS') {
      const t = sig[i + 1];
      if (!t || (t.kind !== 'string' && t.kind !== 'dollar'))
        throw syntaxError(1, t?.start ?? 0, t?.text ?? '<EOF>');
      out.body = stringValue(t);
      i += 2;
    } else {
      throw syntaxError(1, sig[i].start, sig[i].text);
    }
  }
  if (
    out.returns === null &&
    out.returnsTable === null &&
    out.body !== null &&
    (out.language ?? 'SQL').toUpperCase() === 'SQL'
  ) {
    throw syntaxError(1, sig[start]?.start ?? 0, sig[start]?.text ?? '<EOF> (expected RETURNS)');
  }
  return out;
}
