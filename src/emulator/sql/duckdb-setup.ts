/**
 * The DuckDB instance under the engine: created with extension autoload/autoinstall off and its
 * temporary files in the engine's spill directory, then given Snowflake's helper functions, the
 * SNOWFLAKE database and the engine's catalog, and locked (no file access, no setting changes).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { Catalog } from './catalog.js';
import { MACROS } from './macros.js';
import type { ConnectionPool } from './pool.js';
import type { SpillDir } from './spill-dir.js';

/** A new in-memory DuckDB instance whose temporary files go to `spill`. */
export function openInstance(spill: SpillDir): Promise<DuckDBInstance> {
  return DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    temp_directory: spill.duckdbTemp,
    // DuckDB's allocator keeps what its threads freed (hundreds of megabytes after big results
    // have streamed through): flush it after tasks past 16 MB and let its background thread purge.
    allocator_flush_threshold: '16MB',
    allocator_background_threads: 'true',
    // Snowflake's default: NULLs sort as the highest values (last ascending, first descending).
    default_null_order: 'nulls_last_on_asc_first_on_desc',
  });
}

/** Runs `work` on a pooled connection and gives the connection back. */
async function withConnection(
  pool: ConnectionPool,
  work: (conn: Awaited<ReturnType<ConnectionPool['acquire']>>['conn']) => Promise<void>,
): Promise<void> {
  const pooled = await pool.acquire();
  try {
    await work(pooled.conn);
  } finally {
    pool.release(pooled);
  }
}

/**
 * Sets the instance up: UTC, the catalog, the macros and the SNOWFLAKE database; then `load` (the
 * sample data, run as ordinary statements); then locks DuckDB. `spareConnections` connections are
 * made before the lock (see pool.ts).
 */
export async function setupInstance(
  pool: ConnectionPool,
  catalog: Catalog,
  spareConnections: number,
  load: () => Promise<void>,
): Promise<void> {
  await pool.prepare(spareConnections);
  await withConnection(pool, async (conn) => {
    // GLOBAL: every connection, including those made later (SET alone is per connection).
    await conn.run("SET GLOBAL TimeZone = 'UTC'");
    await catalog.setup(conn);
    for (const sql of MACROS) await conn.run(sql);
    await conn.run(`ATTACH ':memory:' AS SNOWFLAKE`);
    await conn.run('CREATE SCHEMA SNOWFLAKE.ACCOUNT_USAGE');
    await conn.run(
      'CREATE VIEW SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY AS SELECT * FROM _SMCP.main.QUERY_HISTORY_FN()',
    );
    await conn.run(
      `COMMENT ON VIEW SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY IS 'Statements run in this account'`,
    );
  });
  await load();
  await withConnection(pool, async (conn) => {
    await catalog.sync(conn);
    // From here on DuckDB cannot read or write a file (ATTACH ':memory:' still works, which CREATE
    // DATABASE uses), and no statement can change a setting back; search_path stays settable.
    await conn.run('SET GLOBAL enable_external_access = false');
    await conn.run('SET GLOBAL lock_configuration = true');
  });
}
