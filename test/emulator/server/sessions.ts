/**
 * Test helpers for driver tests that need two sessions of one user on one emulator: a fresh
 * emulator, a database made for the test, and two snowflake-sdk connections on it.
 */
import type { Connection } from 'snowflake-sdk';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { connect, destroy, execute } from './driver.js';
import { ALICE_PASSWORD, startTestEmulator } from './harness.js';

/** What a statement failed with, or `{message: 'no error'}` when it did not fail. */
export async function failure(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  return promise.then(
    () => ({ message: 'no error' }),
    (e: { code?: string; message: string }) => e,
  );
}

/** Two sessions of alice on `database`.PUBLIC of their own emulator; `close()` ends the two and the emulator. */
export interface TwoSessions {
  readonly emulator: RunningEmulator;
  readonly a: Connection;
  readonly b: Connection;
  /** Logs one more session in on the same database and schema. */
  login(): Promise<Connection>;
  close(): Promise<void>;
}

/** Starts an emulator, creates `database` and logs two sessions in on its PUBLIC schema. */
export async function startTwoSessions(database: string): Promise<TwoSessions> {
  const emulator = await startTestEmulator();
  const setup = await connect(emulator, { username: 'alice', password: ALICE_PASSWORD });
  await execute(setup, `CREATE DATABASE ${database}`);
  await destroy(setup);
  const login = (): Promise<Connection> =>
    connect(emulator, { username: 'alice', password: ALICE_PASSWORD, database, schema: 'PUBLIC' });
  const a = await login();
  const b = await login();
  return {
    emulator,
    a,
    b,
    login,
    close: async () => {
      await destroy(a);
      await destroy(b);
      await emulator.close();
    },
  };
}
