/**
 * A test emulator and one snowflake-sdk connection to it as ALICE, opened before the enclosing
 * mocha suite and closed after it: the set-up most driver-level emulator tests share.
 */
import type { Connection } from 'snowflake-sdk';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { connect, destroy } from './driver.js';
import { ALICE_PASSWORD, startTestEmulator } from './harness.js';

/** ALICE's connection and its emulator; read them inside the suite's tests only. */
export interface AliceConnection {
  readonly emulator: RunningEmulator;
  readonly conn: Connection;
}

/** Registers before/after hooks of the enclosing suite; the holder's fields are set in between. */
export function useAliceConnection(): AliceConnection {
  let emulator: RunningEmulator | undefined;
  let conn: Connection | undefined;
  before(async function () {
    emulator = await startTestEmulator();
    conn = await connect(emulator, { username: 'alice', password: ALICE_PASSWORD });
  });
  after(async function () {
    if (conn) await destroy(conn);
    await emulator?.close();
  });
  const open = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the connection is open only inside the suite');
    return value;
  };
  return {
    get emulator() {
      return open(emulator);
    },
    get conn() {
      return open(conn);
    },
  };
}
