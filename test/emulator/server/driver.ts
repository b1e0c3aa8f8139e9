/**
 * Test helper: snowflake-sdk loaded the safe way (platform detection and connection-shape telemetry
 * off before the first import, logger off), plus promise wrappers for connect, execute and destroy
 * against an emulator.
 */
import type { Bind, Connection, ConnectionOptions, RowStatement } from 'snowflake-sdk';

process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = 'true';
process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE = '1';

const sdk = (await import('snowflake-sdk')).default;
sdk.configure({ logLevel: 'OFF' });

/** The snowflake-sdk module, configured for tests. */
export const snowflake = sdk;

/** Where an emulator listens. */
export interface Target {
  url: string;
  account: string;
}

/** Connection options for `target`; extra options override the defaults. */
export function connectionOptions(target: Target, extra: Partial<ConnectionOptions> = {}): ConnectionOptions {
  return {
    accessUrl: target.url,
    account: target.account,
    sfRetryMaxLoginRetries: 0,
    ...extra,
  };
}

/** Connects; rejects with the driver's error (its `code` is Snowflake's). */
export function connect(target: Target, extra: Partial<ConnectionOptions>): Promise<Connection> {
  const conn = sdk.createConnection(connectionOptions(target, extra));
  return new Promise((resolve, reject) => {
    conn.connect((err) => (err ? reject(err) : resolve(conn)));
  });
}

/** The result of one statement. */
export interface Executed {
  rows: Record<string, unknown>[];
  statement: RowStatement;
}

/** Executes one statement and collects its rows. */
export function execute(conn: Connection, sqlText: string, binds?: Bind[]): Promise<Executed> {
  return new Promise((resolve, reject) => {
    conn.execute({
      sqlText,
      ...(binds ? { binds } : {}),
      complete: (err, statement, rows) => {
        if (err) reject(err);
        else resolve({ rows: (rows ?? []) as Record<string, unknown>[], statement });
      },
    });
  });
}

/** Destroys a connection, ignoring "already disconnected". */
export function destroy(conn: Connection): Promise<void> {
  return new Promise((resolve) => {
    conn.destroy(() => resolve());
  });
}

/** The session state a statement reports (final*Name of its answer); typed loosely by the SDK. */
export interface SessionState {
  getCurrentRole(): string | null;
  getCurrentWarehouse(): string | null;
  getCurrentDatabase(): string | null;
  getCurrentSchema(): string | null;
}

/** The session state after `statement`. */
export function sessionState(statement: RowStatement): SessionState {
  return statement.getSessionState() as SessionState;
}

/** Rows of `sql` and the driver's type of each column. */
export async function rowsAndTypes(
  conn: Connection,
  sql: string,
): Promise<{ rows: Record<string, unknown>[]; types: string[] }> {
  const { rows, statement } = await execute(conn, sql);
  return { rows, types: (statement.getColumns() ?? []).map((c) => c.getType()) };
}

/** The code and message `sql` failed with, or `{ code: 'succeeded' }` when it ran. */
export async function failureOf(conn: Connection, sql: string): Promise<{ code?: string; message?: string }> {
  return execute(conn, sql).then(
    () => ({ code: 'succeeded' }),
    (e: { code?: string; message?: string }) => ({ code: e.code, message: e.message }),
  );
}
