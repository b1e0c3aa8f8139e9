/**
 * A large generated catalog for the emulator (`smcp emulator --catalog-size N`,
 * SMCP_EMULATOR_CATALOG_SIZE for the embedded default): N tables across databases GEN_DB_01, …
 * of 12,500 tables each and ten schemas per database, each table with 4 to 8 commented columns
 * and a comment. The first 10,500 tables of a database land in STAGING and the rest spread over
 * the other nine schemas, so both a database's and one schema's SHOW TABLES pass Snowflake's
 * 10,000-row page (and need LIMIT … FROM to be read whole).
 *
 * Only the databases and schemas are real (DuckDB's catalog grows slower than linearly: 20,000
 * real tables take seconds to create and every SHOW reads them all). The tables are metadata
 * computed from their number on demand, listed by SHOW TABLES / SHOW OBJECTS / SHOW COLUMNS and
 * DESCRIBE TABLE; they hold no rows and cannot be queried. Nothing is stored per table, so a
 * catalog of 50,000 tables costs no memory and no start time.
 */

/** Tables per generated database. */
export const TABLES_PER_DATABASE = 12_500;
/** Tables of a database's STAGING schema (the first ones of the database). */
export const STAGING_TABLES = 10_500;

const SCHEMAS = [
  'SALES',
  'FINANCE',
  'MARKETING',
  'OPERATIONS',
  'PRODUCT',
  'SUPPORT',
  'HR',
  'LOGISTICS',
  'RISK',
] as const;
const STAGING = 'STAGING';

const SUBJECTS = [
  'ORDERS',
  'CUSTOMERS',
  'INVOICES',
  'PAYMENTS',
  'SHIPMENTS',
  'PRODUCTS',
  'CAMPAIGNS',
  'TICKETS',
  'EMPLOYEES',
  'SUPPLIERS',
  'RETURNS',
  'SESSIONS',
  'CONTRACTS',
  'LEADS',
  'ACCOUNTS',
  'CLAIMS',
  'INVENTORY',
] as const;

const QUALIFIERS = ['DAILY', 'RAW', 'CLEAN', 'HISTORY', 'SNAPSHOT', 'AGG', 'STAGE'] as const;

/** Column pool: name (`*` = the subject), DuckDB type, precision, scale, comment. */
const COLUMNS: readonly (readonly [string, string, number | null, number | null, string])[] = [
  ['ID', 'BIGINT', 64, 0, 'Row key'],
  ['*_KEY', 'VARCHAR', null, null, 'Business key of the subject'],
  ['AMOUNT', 'DECIMAL(12,2)', 12, 2, 'Money involved'],
  ['CREATED_AT', 'TIMESTAMP', null, null, 'When the row was created'],
  ['STATUS', 'VARCHAR', null, null, 'Lifecycle state'],
  ['REGION', 'VARCHAR', null, null, 'Sales region code'],
  ['IS_DELETED', 'BOOLEAN', null, null, 'Soft-delete flag'],
  ['SCORE', 'DOUBLE', null, null, 'Model score between 0 and 1'],
];

/** One generated table as SHOW TABLES reads it: name, database, schema, comment, rows, columns. */
export type GeneratedTableRow = [string, string, string, string, number, number];

/** One generated column as SHOW COLUMNS reads it (duckdb_columns() order). */
export type GeneratedColumnRow = [
  string, // table_name
  string, // schema_name
  string, // column_name
  boolean, // is_nullable
  string | null, // column_default
  string, // comment
  string, // database_name
  string, // data_type
  number | null, // numeric_precision
  number | null, // numeric_scale
];

/** The generated tables of one catalog size; answers SHOW and DESCRIBE hooks. */
export class GeneratedCatalog {
  /** The generated database names, in order. */
  readonly databases: readonly string[];

  /** @param size tables to generate (a positive integer; at most 1,000,000) */
  constructor(readonly size: number) {
    const count = Math.ceil(size / TABLES_PER_DATABASE);
    this.databases = Array.from({ length: count }, (_, d) => `GEN_DB_${String(d + 1).padStart(2, '0')}`);
  }

  /** Snowflake SQL creating the generated databases and schemas (with comments). */
  ddl(): string {
    const lines: string[] = [];
    for (const db of this.databases) {
      lines.push(`CREATE DATABASE ${db} COMMENT = 'Generated catalog database ${db}';`);
      for (const schema of [...SCHEMAS, STAGING]) {
        lines.push(
          `CREATE SCHEMA ${db}.${schema} COMMENT = 'Generated ${schema.toLowerCase()} tables of ${db}';`,
        );
      }
    }
    return lines.join('\n');
  }

  /** Table number `i`'s name (unique in the catalog). */
  tableName(i: number): string {
    const subject = SUBJECTS[i % SUBJECTS.length] ?? 'ORDERS';
    const qualifier = QUALIFIERS[Math.floor(i / SUBJECTS.length) % QUALIFIERS.length] ?? 'RAW';
    return `${subject}_${qualifier}_${String(i).padStart(6, '0')}`;
  }

  /** Where table number `i` lives. */
  private place(i: number): { db: string; schema: string } {
    const d = Math.floor(i / TABLES_PER_DATABASE);
    const w = i % TABLES_PER_DATABASE;
    const schema = w < STAGING_TABLES ? STAGING : (SCHEMAS[(w - STAGING_TABLES) % SCHEMAS.length] ?? '');
    return { db: this.databases[d] ?? '', schema };
  }

  private comment(i: number, schema: string): string {
    const subject = (SUBJECTS[i % SUBJECTS.length] ?? '').toLowerCase();
    const qualifier = (QUALIFIERS[Math.floor(i / SUBJECTS.length) % QUALIFIERS.length] ?? '').toLowerCase();
    // A few tables carry a rarer word, so a search by comment has something selective to find.
    const extra = i % 997 === 0 ? ' Used by the churn forecast.' : '';
    return `${qualifier} ${subject} of the ${schema.toLowerCase()} team, table ${i}.${extra}`;
  }

  /** Table numbers in `db` (every database when null) and `schema` (every schema when null). */
  private *numbers(db: string | null, schema: string | null): Generator<number> {
    const s =
      schema === null || schema === STAGING ? -1 : SCHEMAS.indexOf(schema as (typeof SCHEMAS)[number]);
    if (schema !== null && schema !== STAGING && s < 0) return;
    for (let d = 0; d < this.databases.length; d++) {
      if (db !== null && this.databases[d] !== db) continue;
      const first = d * TABLES_PER_DATABASE;
      const end = Math.min(this.size, first + TABLES_PER_DATABASE);
      const rest = first + STAGING_TABLES;
      if (schema === null) for (let i = first; i < end; i++) yield i;
      else if (schema === STAGING) for (let i = first; i < Math.min(end, rest); i++) yield i;
      else for (let i = rest + s; i < end; i += SCHEMAS.length) yield i;
    }
  }

  /** SHOW TABLES rows of the generated tables in scope. */
  tables(db: string | null, schema: string | null): GeneratedTableRow[] {
    const out: GeneratedTableRow[] = [];
    for (const i of this.numbers(db, schema)) {
      const p = this.place(i);
      out.push([
        this.tableName(i),
        p.db,
        p.schema,
        this.comment(i, p.schema),
        (i * 37) % 100_000,
        4 + (i % 5),
      ]);
    }
    return out;
  }

  /** The number of the generated table db.schema.name, or undefined when there is none. */
  find(db: string, schema: string, name: string): number | undefined {
    const m = /_(\d{6})$/.exec(name);
    if (!m) return undefined;
    const i = Number(m[1]);
    if (i >= this.size || this.tableName(i) !== name) return undefined;
    const p = this.place(i);
    return p.db === db && p.schema === schema ? i : undefined;
  }

  /** SHOW COLUMNS rows of the generated tables in scope (one table when `table` is set). */
  columns(db: string | null, schema: string | null, table: string | null): GeneratedColumnRow[] {
    const out: GeneratedColumnRow[] = [];
    const numbers =
      table !== null && db !== null && schema !== null
        ? [this.find(db, schema, table)].filter((i): i is number => i !== undefined)
        : this.numbers(db, schema);
    for (const i of numbers) {
      const p = this.place(i);
      const name = this.tableName(i);
      const subject = SUBJECTS[i % SUBJECTS.length] ?? '';
      const n = 4 + (i % 5);
      for (let c = 0; c < n; c++) {
        const [col, type, precision, scale, comment] = COLUMNS[c] ?? COLUMNS[0];
        out.push([
          name,
          p.schema,
          col.replace('*', subject.replace(/S$/, '')),
          c !== 0,
          null,
          comment,
          p.db,
          type,
          precision,
          scale,
        ]);
      }
    }
    return out;
  }
}
