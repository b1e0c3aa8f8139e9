/**
 * Helpers of the integrity suites: an engine set up with test data and served by an emulator
 * (the ground truth is the engine read directly, DuckDB through the engine, never the driver),
 * and driver readers for a window of a result by query id, the way fetch_results pages.
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from 'snowflake-sdk';
import type { EmulatorSession } from '../../src/emulator/engine-types.js';
import type { EmulatorOptions, RunningEmulator } from '../../src/emulator/index.js';
import { createEngine, type EngineOptions, type SqlEngine } from '../../src/emulator/sql/engine.js';
import { SnowflakeClient } from '../../src/snowflake/client.js';
import { resolveConnectionSettings } from '../../src/snowflake/settings.js';
import { connect } from '../emulator/server/driver.js';
import { ALICE_PASSWORD, startTestEmulator } from '../emulator/server/harness.js';

/** A session with every role, for setting up data and reading the ground truth. */
export function adminSession(): EmulatorSession {
  return {
    id: `admin-${randomUUID()}`,
    user: 'SYSTEM',
    grantedRoles: ['ACCOUNTADMIN'],
    role: 'ACCOUNTADMIN',
    warehouse: 'COMPUTE_WH',
    database: null,
    schema: null,
    params: new Map<string, string>(),
  };
}

/** An engine after running `setup` statements, served by a test emulator (users ALICE, BOB). */
export async function servedEngine(
  setup: readonly string[],
  engineOptions: EngineOptions = {},
  emulatorOptions: EmulatorOptions = {},
): Promise<{ engine: SqlEngine; emulator: RunningEmulator }> {
  const engine = await createEngine(engineOptions);
  const admin = adminSession();
  for (const sql of setup) (await engine.execute(admin, sql, { queryId: randomUUID() })).close();
  const emulator = await startTestEmulator({ engine, ...emulatorOptions });
  return { engine, emulator };
}

/** Every row of `sql` read from the engine directly (DuckDB through the engine). */
export async function engineRows(engine: SqlEngine, sql: string): Promise<(string | null)[][]> {
  const result = await engine.execute(adminSession(), sql, { queryId: randomUUID() });
  try {
    return await result.readRows(0, result.rowCount);
  } finally {
    result.close();
  }
}

/** A driver connection as ALICE. */
export function connectAlice(emulator: RunningEmulator): Promise<Connection> {
  return connect(emulator, { username: 'alice', password: ALICE_PASSWORD });
}

/** One row as text cells, so driver rows and engine rows compare. */
export function cells(row: unknown[]): string {
  return row
    .map((v) => (v === null ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v as string)))
    .join('|');
}

function collect(stream: NodeJS.ReadableStream): Promise<unknown[][]> {
  return new Promise((resolve, reject) => {
    const rows: unknown[][] = [];
    stream
      .on('data', (row: unknown[]) => rows.push(row))
      .on('error', reject)
      .on('end', () => resolve(rows));
  });
}

/** Runs `sql` and reads its rows [0, firstRows) (streaming, as smcp does); returns the query id too. */
export async function startQuery(
  conn: Connection,
  sql: string,
  firstRows: number,
): Promise<{ queryId: string; total: number; rows: unknown[][] }> {
  const statement = conn.execute({ sqlText: sql, streamResult: true, rowMode: 'array' });
  const rows = await collect(statement.streamRows({ start: 0, end: firstRows - 1 }));
  return { queryId: statement.getQueryId(), total: statement.getNumRows(), rows };
}

/** Rows [start, start + count) of an earlier result by query id (getResultsFromQueryId + streamRows). */
export async function readWindow(
  conn: Connection,
  queryId: string,
  start: number,
  count: number,
): Promise<unknown[][]> {
  const statement = await conn.getResultsFromQueryId({ queryId, streamResult: true, rowMode: 'array' });
  return collect(statement.streamRows({ start, end: start + count - 1 }));
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error('expected a failure, got a result');
}

/** A client-layer client (pool of 2) logged in as ALICE on `emulator`. */
export async function openAliceClient(emulator: RunningEmulator): Promise<SnowflakeClient> {
  const env = {
    SNOWFLAKE_ACCOUNT: emulator.account,
    SNOWFLAKE_USER: 'alice',
    SNOWFLAKE_PASSWORD: ALICE_PASSWORD,
    SNOWFLAKE_HOST: '127.0.0.1',
    SNOWFLAKE_PORT: String(emulator.port),
    SNOWFLAKE_PROTOCOL: 'http',
    SNOWFLAKE_WAREHOUSE: 'COMPUTE_WH',
  };
  const home = '/nonexistent-home-for-integrity-tests';
  const resolved = resolveConnectionSettings({ env, home, cwd: home });
  if (!resolved.configured) throw new Error('expected a configured connection');
  return SnowflakeClient.open(resolved, { loginRetries: 0, max: 2 });
}

/** Runs `sql` through the client layer and returns its query id and first rows. */
export function clientQuery(
  client: SnowflakeClient,
  sql: string,
  maxRows = 10,
): ReturnType<SnowflakeClient['query']> {
  return client.query({
    sql,
    maxRows,
    maxBytes: 10_000_000,
    timeoutSeconds: 60,
    context: { requestId: randomUUID(), clientId: 'integrity-test', tool: 'execute_query' },
    retryable: true,
  });
}
