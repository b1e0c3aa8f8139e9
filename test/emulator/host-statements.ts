/**
 * DuckDB statements that would read, write or list the host's files, change DuckDB's settings or
 * print to stdout, each with the Snowflake error the emulator must answer instead. Shared by the
 * engine, wire and stdout tests. Paths point into a temp dir holding one secret file.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

/** A temp dir with one secret file, and what it held at the start. */
export interface HostFixture {
  readonly dir: string;
  readonly secretFile: string;
  readonly secret: string;
  /** Names in `dir` now (to prove nothing was created). */
  entries(): string[];
  remove(): void;
}

/** Creates the fixture. */
export function hostFixture(): HostFixture {
  const dir = mkdtempSync(join(tmpdir(), 'smcp-host-'));
  const secret = `top-secret-${randomUUID()}`;
  const secretFile = join(dir, 'secret.csv');
  writeFileSync(secretFile, `a,b\n${secret},1\n`);
  return {
    dir,
    secretFile,
    secret,
    entries: () => readdirSync(dir).sort(),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** One refused statement and the Snowflake code it must fail with. */
export interface HostStatement {
  readonly sql: string;
  readonly code: string;
}

/** Every form the emulator must refuse, for the files of `f`. */
export function hostStatements(f: HostFixture): HostStatement[] {
  const file = f.secretFile;
  const q = (s: string): string => s.replace(/'/g, "''");
  return [
    { sql: `SELECT * FROM '${file}'`, code: '001003' },
    { sql: `SELECT * FROM SAMPLE_T, '${file}'`, code: '001003' },
    { sql: `FROM '${file}'`, code: '001003' },
    { sql: `SELECT * FROM "${file}"`, code: '002003' },
    { sql: `MERGE INTO SAMPLE_T USING '${file}' ON 1 = 1 WHEN MATCHED THEN DELETE`, code: '001003' },
    { sql: `UPDATE SAMPLE_T SET A = 1 FROM '${file}'`, code: '001003' },
    { sql: `DELETE FROM '${file}'`, code: '001003' },
    { sql: `SELECT * FROM read_csv('${file}')`, code: '002140' },
    { sql: `SELECT * FROM read_csv_auto('${file}')`, code: '002140' },
    { sql: `SELECT * FROM read_json('${file}')`, code: '002140' },
    { sql: `SELECT * FROM read_parquet('${f.dir}/x.parquet')`, code: '002140' },
    { sql: `SELECT * FROM parquet_scan('${f.dir}/x.parquet')`, code: '002140' },
    { sql: `SELECT content FROM read_text('${file}')`, code: '002140' },
    { sql: `SELECT content FROM read_blob('${file}')`, code: '002140' },
    { sql: `SELECT * FROM glob('${f.dir}/*')`, code: '002140' },
    { sql: `SELECT * FROM sniff_csv('${file}')`, code: '002140' },
    { sql: `SELECT * FROM query('SELECT * FROM read_text(''${q(file)}'')')`, code: '002140' },
    { sql: `CREATE TABLE STOLEN AS SELECT * FROM read_csv('${file}')`, code: '002140' },
    { sql: `SET X = (SELECT content FROM read_text('${file}'))`, code: '002140' },
    { sql: `COPY (SELECT 1 AS A) TO '${f.dir}/out.csv'`, code: '001003' },
    { sql: `EXPORT DATABASE '${f.dir}/export'`, code: '001003' },
    { sql: `IMPORT DATABASE '${f.dir}'`, code: '001003' },
    { sql: `ATTACH '${f.dir}/new.db' AS NEWDB`, code: '001003' },
    { sql: 'DETACH SNOWFLAKE', code: '001003' },
    { sql: 'INSTALL httpfs', code: '001003' },
    { sql: 'LOAD httpfs', code: '001003' },
    { sql: 'PRAGMA enable_profiling', code: '001003' },
    { sql: "PRAGMA profiling_output = '/dev/stdout'", code: '001003' },
    { sql: 'CHECKPOINT', code: '001003' },
    { sql: 'FORCE CHECKPOINT', code: '001003' },
    { sql: 'RESET threads', code: '001003' },
    { sql: 'SUMMARIZE SELECT 1', code: '001003' },
    { sql: 'SET GLOBAL enable_external_access = true', code: '001003' },
    { sql: 'SET threads TO 1', code: '001003' },
    { sql: 'CALL pragma_version()', code: '002140' },
    { sql: 'CALL enable_profiling()', code: '002140' },
    { sql: "SELECT * FROM enable_logging(storage = 'stdout')", code: '002140' },
    { sql: "SELECT write_log('hello')", code: '002140' },
    { sql: 'CREATE SECRET S3KEY (TYPE s3)', code: '002040' },
  ];
}
