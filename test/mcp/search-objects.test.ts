/**
 * search_objects and the metadata cache through a real MCP SDK client on the emulator with a
 * generated catalog of 12,500 tables (one database; its STAGING schema holds 10,500, so both the
 * database's and the schema's SHOW TABLES pass the 10,000-row page): search by name, comment and
 * column, the detail levels, truncation, the metadata's age and freshness, invalidation after DDL
 * run through smcp, and hidden objects never found.
 */
import { expect } from 'chai';
import { MetadataCache } from '../../src/mcp/metadata-cache.js';
import { connect, useEmulator } from './harness.js';
import type { Connected } from './harness.js';

interface Answer {
  isError?: boolean;
  text: string;
  structured: Record<string, unknown>;
}

async function call(c: Connected, name: string, args: Record<string, unknown>): Promise<Answer> {
  const r = await c.client.callTool({ name, arguments: args });
  const content = r.content as { type: string; text?: string }[];
  return {
    ...(r.isError ? { isError: true } : {}),
    text: content.map((p) => p.text ?? '').join('\n'),
    structured: (r.structuredContent ?? {}) as Record<string, unknown>,
  };
}

/** A cache whose clock the test moves. */
function manualCache(ttlSeconds = 300): { cache: MetadataCache; advance(seconds: number): void } {
  let now = 1_000_000;
  return {
    cache: new MetadataCache({ ttlSeconds, maxObjects: 1_000_000, now: () => now }),
    advance: (seconds) => {
      now += seconds * 1000;
    },
  };
}

describe('search_objects and the metadata cache', function () {
  this.timeout(120_000);
  const emulator = useEmulator(12_500);
  let c: Connected;
  let clock: ReturnType<typeof manualCache>;

  before(async () => {
    clock = manualCache();
    c = await connect(emulator.path, {}, undefined, { metadata: clock.cache });
  });
  after(async () => {
    await c.close();
  });

  /** Runs `sql` on the emulator behind smcp's back (no tool, no cache invalidation). */
  async function outside(sql: string): Promise<void> {
    await emulator.path.client.query({
      sql,
      maxRows: 1,
      maxBytes: 1 << 20,
      timeoutSeconds: 30,
      retryable: false,
      context: { requestId: 'test', clientId: 'test', tool: 'test', transport: 'stdio', clientKey: 'test' },
    });
  }

  it('finds a table by name that only a LIMIT … FROM page of SHOW TABLES lists', async () => {
    // STAGING holds 10,500 tables; TICKETS_STAGE_* sort last, past SHOW's 10,000-row page.
    const a = await call(c, 'search_objects', { pattern: 'TICKETS_STAGE_000109' });
    expect(a.isError, a.text).to.equal(undefined);
    expect(a.structured.matches).to.deep.equal(['GEN_DB_01.STAGING.TICKETS_STAGE_000109']);
    expect(a.structured.truncated).to.equal(false);
    expect(a.text).to.include('GEN_DB_01.STAGING.TICKETS_STAGE_000109');
    const all = await call(c, 'search_objects', {
      pattern: '%',
      kinds: ['table'],
      database: 'GEN_DB_01',
      schema: 'STAGING',
      limit: 1000,
    });
    expect(all.structured.truncated).to.equal(true);
    const listed = await call(c, 'list_tables', {
      database: 'GEN_DB_01',
      schema: 'staging',
      like: 'TICKETS_STAGE_%',
    });
    const names = (listed.structured.tables as { name: string }[]).map((t) => t.name);
    expect(names).to.include('TICKETS_STAGE_000109');
  });

  it('finds tables by comment text, with kind, rows, comment and column count at summary detail', async () => {
    const a = await call(c, 'search_objects', {
      pattern: 'churn forecast',
      kinds: ['table'],
      detail: 'summary',
    });
    const matches = a.structured.matches as Record<string, unknown>[];
    // Every 997th generated table carries the phrase: tables 0, 997, …, 11,964.
    expect(matches.map((m) => m.name)).to.include('GEN_DB_01.STAGING.ORDERS_DAILY_000000');
    expect(matches).to.have.length(13);
    const first = matches.find((m) => m.name === 'GEN_DB_01.STAGING.ORDERS_DAILY_000000');
    expect(first).to.include({ kind: 'TABLE', matchedOn: 'comment', columnCount: 4 });
    expect(String(first?.comment)).to.include('churn forecast');
    expect(first).to.have.property('rows');
  });

  it('finds columns by name and comment, with their types', async () => {
    const byName = await call(c, 'search_objects', {
      pattern: 'LIFETIME_VALUE',
      kinds: ['column'],
      detail: 'summary',
    });
    expect(byName.structured.matches).to.deep.equal([
      {
        name: 'SAMPLE_DB.SALES.CUSTOMERS.LIFETIME_VALUE',
        kind: 'COLUMN',
        matchedOn: 'name',
        comment: 'Revenue to date',
        type: 'NUMBER(12,2)',
      },
    ]);
    const byComment = await call(c, 'search_objects', {
      pattern: 'ISO country%',
      kinds: ['column'],
      database: 'SAMPLE_DB',
    });
    expect(byComment.structured.matches).to.deep.equal(['SAMPLE_DB.SALES.CUSTOMERS.COUNTRY']);
  });

  it('answers qualified names only, then summaries, then columns with types and comments', async () => {
    const args = { pattern: '/^CUSTOMERS$/', kinds: ['table'] };
    const names = await call(c, 'search_objects', args);
    expect(names.structured.matches).to.deep.equal(['SAMPLE_DB.SALES.CUSTOMERS']);
    const summary = await call(c, 'search_objects', { ...args, detail: 'summary' });
    const s = (summary.structured.matches as Record<string, unknown>[])[0];
    expect(s).to.include({
      name: 'SAMPLE_DB.SALES.CUSTOMERS',
      kind: 'TABLE',
      comment: 'One row per customer',
      columnCount: 9,
    });
    expect(s).to.not.have.property('columns');
    const full = await call(c, 'search_objects', { ...args, detail: 'full' });
    const f = (full.structured.matches as { columns: Record<string, unknown>[] }[])[0];
    expect(f?.columns).to.have.length(9);
    expect(f?.columns[0]).to.deep.equal({
      name: 'CUSTOMER_ID',
      type: 'NUMBER(38,0)',
      comment: 'Customer key',
    });
    expect(full.text).to.include('CUSTOMER_ID NUMBER(38,0)');
  });

  it('finds databases and schemas, and narrows by kinds', async () => {
    const a = await call(c, 'search_objects', { pattern: 'SAMPLE%', kinds: ['database'] });
    expect(a.structured.matches).to.deep.equal(['SAMPLE_DB']);
    const gen = await call(c, 'search_objects', {
      pattern: '/^gen_db_\\d+$/',
      kinds: ['database', 'schema'],
    });
    expect(gen.structured.matches).to.deep.equal(['GEN_DB_01']);
    const s = await call(c, 'search_objects', { pattern: 'H_', kinds: ['schema'], database: 'SAMPLE_DB' });
    expect(s.structured.matches).to.deep.equal(['SAMPLE_DB.HR']);
  });

  it('stops at the limit and at the byte cap, and says so', async () => {
    const limited = await call(c, 'search_objects', { pattern: 'ORDERS', kinds: ['table'], limit: 5 });
    expect(limited.structured.matches).to.have.length(5);
    expect(limited.structured).to.include({ truncated: true, truncatedBy: 'limit' });
    expect(limited.text).to.include('Only the first 5 matches are shown');
    const small = await connect(emulator.path, { maxBytes: 4096 }, undefined, { metadata: clock.cache });
    try {
      const cut = await call(small, 'search_objects', {
        pattern: 'ORDERS',
        kinds: ['table'],
        detail: 'full',
        limit: 100,
      });
      expect(cut.structured).to.include({ truncated: true, truncatedBy: 'bytes' });
      expect((cut.structured.matches as unknown[]).length).to.be.within(1, 10);
    } finally {
      await small.close();
    }
  });

  it('refuses a pattern that is not a valid regular expression, naming it', async () => {
    const a = await call(c, 'search_objects', { pattern: '/(unclosed/' });
    expect(a.isError).to.equal(true);
    expect(a.text).to.match(/^USAGE: pattern: not a valid regular expression/);
    const b = await call(c, 'search_objects', { pattern: 'x', limit: 0 });
    expect(b.isError).to.equal(true);
    expect(b.text).to.include('limit');
  });

  it('answers list and describe tools from the cache while fresh, saying how old it is', async () => {
    const mine = manualCache(60);
    const fresh = await connect(emulator.path, {}, undefined, { metadata: mine.cache });
    try {
      const first = await call(fresh, 'list_databases', {});
      expect(first.structured.metadataAgeSeconds).to.equal(0);
      // Made behind smcp's back: the fresh cache does not know it yet.
      await outside('CREATE DATABASE OUTSIDE_DB');
      mine.advance(30);
      const cached = await call(fresh, 'list_databases', {});
      expect(cached.structured.metadataAgeSeconds).to.equal(30);
      expect((cached.structured.databases as { name: string }[]).map((d) => d.name)).to.not.include(
        'OUTSIDE_DB',
      );
      const described = await call(fresh, 'describe_table', {
        database: 'SAMPLE_DB',
        schema: 'SALES',
        table: 'ORDERS',
      });
      mine.advance(5);
      const again = await call(fresh, 'describe_table', {
        database: 'SAMPLE_DB',
        schema: 'SALES',
        table: 'ORDERS',
      });
      expect(again.structured.metadataAgeSeconds).to.equal(5);
      expect(again.structured.columns).to.deep.equal(described.structured.columns);
      // Past the TTL the next call asks Snowflake again.
      mine.advance(60);
      const later = await call(fresh, 'list_databases', {});
      expect(later.structured.metadataAgeSeconds).to.equal(0);
      expect((later.structured.databases as { name: string }[]).map((d) => d.name)).to.include('OUTSIDE_DB');
      expect(mine.cache.status().hits).to.be.greaterThan(0);
    } finally {
      await fresh.close();
      await outside('DROP DATABASE OUTSIDE_DB');
    }
  });

  it('forgets cached metadata when smcp itself runs DDL', async () => {
    const mine = manualCache();
    const ddl = await connect(emulator.path, { allowWrite: true, allowDdl: true }, undefined, {
      metadata: mine.cache,
    });
    try {
      const before = await call(ddl, 'search_objects', { pattern: 'FRESHLY_MADE%', kinds: ['table'] });
      expect(before.structured.matches).to.deep.equal([]);
      const made = await call(ddl, 'execute_query', {
        sql: "CREATE TABLE SAMPLE_DB.PUBLIC.FRESHLY_MADE (ID NUMBER COMMENT 'k') COMMENT = 'made by a test'",
      });
      expect(made.isError, made.text).to.equal(undefined);
      expect(mine.cache.status().invalidations).to.equal(1);
      const after = await call(ddl, 'search_objects', { pattern: 'FRESHLY_MADE%', kinds: ['table'] });
      expect(after.structured.matches).to.deep.equal(['SAMPLE_DB.PUBLIC.FRESHLY_MADE']);
      await call(ddl, 'execute_query', { sql: 'DROP TABLE SAMPLE_DB.PUBLIC.FRESHLY_MADE' });
      const gone = await call(ddl, 'search_objects', { pattern: 'FRESHLY_MADE%', kinds: ['table'] });
      expect(gone.structured.matches).to.deep.equal([]);
    } finally {
      await ddl.close();
    }
  });

  it('finds databases and schemas by their comment, set at creation or by COMMENT ON', async () => {
    const ddl = await connect(emulator.path, { allowWrite: true, allowDdl: true }, undefined, {
      metadata: manualCache().cache,
    });
    const run = async (sql: string): Promise<void> => {
      const done = await call(ddl, 'execute_query', { sql });
      expect(done.isError, `${sql}: ${done.text}`).to.equal(undefined);
    };
    try {
      await run("CREATE DATABASE NOTES_DB COMMENT = 'quarterly revenue archive'");
      await run("CREATE SCHEMA NOTES_DB.LEDGER COMMENT = 'general ledger postings'");
      await run('CREATE SCHEMA NOTES_DB.SCRATCH');
      await run("COMMENT ON SCHEMA NOTES_DB.SCRATCH IS 'analyst sandbox'");
      const byComment = async (pattern: string, kind: string): Promise<Record<string, unknown>[]> =>
        (await call(ddl, 'search_objects', { pattern, kinds: [kind], detail: 'summary' })).structured
          .matches as Record<string, unknown>[];
      const dbs = await byComment('revenue archive', 'database');
      expect(dbs.map((m) => [m.name, m.matchedOn, m.comment])).to.deep.equal([
        ['NOTES_DB', 'comment', 'quarterly revenue archive'],
      ]);
      const ledger = await byComment('/ledger post/', 'schema');
      expect(ledger.map((m) => [m.name, m.matchedOn])).to.deep.equal([['NOTES_DB.LEDGER', 'comment']]);
      const sandbox = await byComment('%sandbox', 'schema');
      expect(sandbox.map((m) => [m.name, m.comment])).to.deep.equal([
        ['NOTES_DB.SCRATCH', 'analyst sandbox'],
      ]);
      await run("COMMENT ON DATABASE NOTES_DB IS 'retired figures'");
      expect(await byComment('revenue archive', 'database')).to.deep.equal([]);
      expect((await byComment('retired', 'database')).map((m) => m.name)).to.deep.equal(['NOTES_DB']);
    } finally {
      await call(ddl, 'execute_query', { sql: 'DROP DATABASE IF EXISTS NOTES_DB' });
      await ddl.close();
    }
  });

  it('never finds what the visibility rules hide, by name, comment or column', async () => {
    const hidden = await connect(
      emulator.path,
      { hideObjects: ['SAMPLE_DB.HR', '*.*.CUSTOMERS', 'GEN_DB_01.STAGING'] },
      undefined,
      { metadata: clock.cache },
    );
    try {
      const tables = await call(hidden, 'search_objects', {
        pattern: 'CUSTOMER%',
        kinds: ['table', 'column'],
        database: 'SAMPLE_DB',
        limit: 1000,
      });
      const names = tables.structured.matches as string[];
      expect(names.filter((n) => n.startsWith('SAMPLE_DB.SALES.CUSTOMERS'))).to.deep.equal([]);
      expect(names).to.include('SAMPLE_DB.SALES.ORDERS.CUSTOMER_ID');
      const staging = await call(hidden, 'search_objects', { pattern: 'TICKETS_STAGE_000109' });
      expect(staging.structured.matches).to.deep.equal([]);
      const churn = await call(hidden, 'search_objects', { pattern: 'churn', kinds: ['table'], limit: 1000 });
      expect((churn.structured.matches as string[]).filter((n) => n.includes('.STAGING.'))).to.deep.equal([]);
      const hr = await call(hidden, 'search_objects', { pattern: 'employee', detail: 'full' });
      expect(
        (hr.structured.matches as { name: string }[]).filter((m) => m.name.startsWith('SAMPLE_DB.HR')),
      ).to.deep.equal([]);
      const scoped = await call(hidden, 'search_objects', {
        pattern: '%',
        database: 'SAMPLE_DB',
        schema: 'HR',
      });
      expect(scoped.isError).to.equal(true);
      expect(scoped.text).to.match(/^NOT_FOUND: /);
      const listed = await call(hidden, 'list_tables', { database: 'SAMPLE_DB', schema: 'SALES' });
      expect((listed.structured.tables as { name: string }[]).map((t) => t.name)).to.not.include('CUSTOMERS');
    } finally {
      await hidden.close();
    }
  });
});
