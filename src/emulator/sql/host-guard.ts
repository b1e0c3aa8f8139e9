/**
 * Keeps DuckDB away from the host. Snowflake has no statement that reads or writes the files of the
 * machine it runs on, but DuckDB has many (PRAGMA, ATTACH, COPY … TO, EXPORT DATABASE, INSTALL,
 * read_csv, glob, `FROM 'file.csv'`, …), and some print to the process's stdout, which would corrupt
 * MCP over stdio. Every user statement passes this check before anything of it reaches DuckDB, and
 * fails the way Snowflake fails on words it does not know: a syntax error for DuckDB-only statements
 * and file names in table position, "Unknown function" for DuckDB-only table functions.
 *
 * This is the first of two walls: after its setup the engine also locks DuckDB itself
 * (enable_external_access = false, lock_configuration = true), so a form missed here still cannot
 * touch a file.
 */
import { EmulatorSqlError } from '../engine-types.js';
import { objectNotFound, syntaxError, unsupported } from './sql-errors.js';
import { identName, isSignificant } from './tokenizer.js';
import type { Token } from './tokenizer.js';

/** First words of DuckDB statements Snowflake does not have. */
const DUCKDB_ONLY_STATEMENTS = new Set([
  'PRAGMA',
  'ATTACH',
  'DETACH',
  'INSTALL',
  'LOAD',
  'FORCE',
  'EXPORT',
  'IMPORT',
  'CHECKPOINT',
  'RESET',
  'VACUUM',
  'ANALYZE',
  'SUMMARIZE',
  'PREPARE',
  'EXECUTE',
  'DEALLOCATE',
]);

/**
 * DuckDB functions that read or write files, run SQL text, touch memory by pointer, or switch on
 * logging and profiling (which print to stdout). Snowflake has none of these names.
 */
const DENIED_FUNCTIONS = new Set([
  'GLOB',
  'SNIFF_CSV',
  'QUERY',
  'QUERY_TABLE',
  'JSON_EXECUTE_SERIALIZED_SQL',
  'ARROW_SCAN',
  'ARROW_SCAN_DUMB',
  'CHECKPOINT',
  'FORCE_CHECKPOINT',
  'ENABLE_LOGGING',
  'DISABLE_LOGGING',
  'TRUNCATE_DUCKDB_LOGS',
  'WRITE_LOG',
  'ENABLE_PROFILING',
  'DISABLE_PROFILING',
  'ENABLE_PEG_PARSER',
  'DISABLE_PEG_PARSER',
  'CHECK_PEG_PARSER',
  'DELTA_SCAN',
  'ST_READ',
  'ST_READ_META',
]);

/** Name prefixes of DuckDB's file readers and foreign-database scanners. */
const DENIED_PREFIXES = ['READ_', 'PARQUET_', 'ICEBERG_', 'SQLITE_', 'POSTGRES_', 'MYSQL_'];

/** Words after which a table reference starts (FROM only in a query's FROM clause, see below). */
const TABLE_POSITION = new Set(['JOIN', 'TABLE', 'USING', 'INTO', 'DESCRIBE', 'DESC']);
/** Clause words that end a FROM list at the same parenthesis depth (ON and USING do not: `a JOIN b ON …, c`). */
const CLAUSE_WORDS = new Set([
  'SELECT',
  'DELETE',
  'WHERE',
  'GROUP',
  'HAVING',
  'QUALIFY',
  'ORDER',
  'LIMIT',
  'WINDOW',
  'UNION',
  'EXCEPT',
  'INTERSECT',
  'MINUS',
  'SET',
  'VALUES',
  'RETURNING',
]);
/** A quoted identifier naming a file rather than a table (DuckDB would scan the file). */
const FILE_LIKE =
  /[/\\]|\.(csv|tsv|txt|json|jsonl|ndjson|parquet|gz|zst|bz2|xz|zip|db|duckdb|sqlite|sqlite3|arrow|ipc|feather|xlsx|avro|orc)$/i;

/**
 * Throws the Snowflake-style error for a statement that is DuckDB-only or would make DuckDB touch a
 * file; returns normally for everything else. `tokens` is one statement (variables substituted).
 */
export function refuseHostAccess(tokens: readonly Token[]): void {
  const sig = tokens.filter(isSignificant);
  const word = (k: number): string => {
    const t = sig[k];
    return t?.kind === 'word' ? t.text.toUpperCase() : '';
  };
  const first = word(0);
  if (DUCKDB_ONLY_STATEMENTS.has(first)) throw refusedAt(tokens, sig[0]);
  if (first === 'COPY') {
    if (word(1) === 'INTO') throw unsupported('COPY INTO');
    throw refusedAt(tokens, sig[0]);
  }
  if (first === 'CALL') throw unknownFunction(sig[1]);
  if (first === 'UPDATE' && word(1) === 'EXTENSIONS') throw refusedAt(tokens, sig[1]);
  if ((first === 'CREATE' || first === 'DROP') && sig.slice(1, 6).some((_t, k) => word(k + 1) === 'SECRET'))
    throw unsupported(`${first} SECRET`);

  // Per parenthesis depth: the clause the tokens at that depth belong to.
  const clause: string[] = [''];
  for (let k = 0; k < sig.length; k++) {
    const t = sig[k];
    if (!t) continue;
    if (t.kind === 'punct' && t.text === '(') {
      clause.push('');
      continue;
    }
    if (t.kind === 'punct' && t.text === ')') {
      if (clause.length > 1) clause.pop();
      continue;
    }
    if ((t.kind === 'word' || t.kind === 'quoted') && sig[k + 1]?.text === '(') {
      const name = identName(t).toUpperCase();
      if (DENIED_FUNCTIONS.has(name) || DENIED_PREFIXES.some((p) => name.startsWith(p))) {
        throw unknownFunction(t);
      }
    }
    const upper = t.kind === 'word' ? t.text.toUpperCase() : '';
    const depth = clause.length - 1;
    // FROM of a query (after SELECT, DELETE or UPDATE … SET, or leading DuckDB's FROM-first form) starts a table
    // reference; FROM inside EXTRACT(YEAR FROM …), TRIM(… FROM …) or SUBSTRING does not.
    const fromClause =
      upper === 'FROM' &&
      (['SELECT', 'DELETE', 'SET'].includes(clause[depth] ?? '') || k === 0 || sig[k - 1]?.text === '(');
    if (CLAUSE_WORDS.has(upper)) clause[depth] = upper;
    else if (fromClause) clause[depth] = 'FROM';
    const startsRef =
      fromClause ||
      TABLE_POSITION.has(upper) ||
      (t.kind === 'punct' && t.text === ',' && clause[depth] === 'FROM');
    if (startsRef) checkTableRef(tokens, sig, k + 1);
  }
}

/** Fails when the table reference starting at sig[k] (after any `(` and LATERAL) is a file. */
function checkTableRef(tokens: readonly Token[], sig: readonly Token[], k: number): void {
  let i = k;
  while (sig[i]?.text === '(' || sig[i]?.text.toUpperCase() === 'LATERAL') i++;
  const t = sig[i];
  if (!t) return;
  if (t.kind === 'string' || t.kind === 'dollar') throw refusedAt(tokens, t);
  if (t.kind === 'quoted' && sig[i + 1]?.text !== '(' && sig[i + 1]?.text !== '.') {
    const name = identName(t);
    if (FILE_LIKE.test(name)) throw objectNotFound('Object', name);
  }
}

/** Snowflake's syntax error naming `t` at its line and position. */
function refusedAt(tokens: readonly Token[], t: Token | undefined): EmulatorSqlError {
  if (!t) return syntaxError(1, 0, '<EOF>');
  let line = 1;
  let lineStart = tokens[0]?.start ?? 0;
  for (const token of tokens) {
    if (token.start >= t.start) break;
    for (let i = 0; i < token.text.length; i++) {
      if (token.text[i] === '\n') {
        line++;
        lineStart = token.start + i + 1;
      }
    }
  }
  return syntaxError(line, t.start - lineStart, t.text);
}

function unknownFunction(t: Token | undefined): EmulatorSqlError {
  const name = t ? identName(t).toUpperCase() : '';
  return new EmulatorSqlError('002140', '42601', `SQL compilation error:\nUnknown function ${name}`);
}
