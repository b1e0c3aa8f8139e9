/**
 * Functions and clauses whose result may differ between two runs of the same statement: random
 * values, sampling, sequences and the clock. A statement naming one is never run a second time to
 * stand for its first run (counting a query's rows, putting a transaction back after a failure).
 */
const VOLATILE_WORDS: ReadonlySet<string> = new Set([
  'RANDOM',
  'RANDSTR',
  'UNIFORM',
  'NORMAL',
  'ZIPF',
  'SETSEED',
  'UUID',
  'UUID_STRING',
  'GEN_RANDOM_UUID',
  'SAMPLE',
  'TABLESAMPLE',
  'NEXTVAL',
  'CURRENT_TIMESTAMP',
  'CURRENT_TIME',
  'LOCALTIMESTAMP',
  'LOCALTIME',
  'SYSDATE',
  'SYSTIMESTAMP',
  'GETDATE',
  'NOW',
]);

/** The first of `words` (upper-cased significant tokens) whose value may differ between runs. */
export function firstVolatileWord(words: readonly string[]): string | undefined {
  return words.find((word) => VOLATILE_WORDS.has(word));
}
