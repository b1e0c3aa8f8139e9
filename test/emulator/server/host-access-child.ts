/**
 * Child process of host-access.test.ts: starts an emulator, runs every refused statement through
 * the real driver (each followed by a query that would print profiling output if profiling were on)
 * and reports the Snowflake codes over IPC. Its stdout must stay empty: MCP over stdio owns it.
 */
import { startEmulator } from '../../../src/emulator/index.js';
import type { HostFixture } from '../host-statements.js';
import { hostStatements } from '../host-statements.js';
import { connect, destroy, execute } from './driver.js';

const fixture = JSON.parse(process.argv[2] ?? '{}') as Pick<HostFixture, 'dir' | 'secretFile' | 'secret'>;
const emulator = await startEmulator({ sampleData: false, password: 'child-secret' });
const conn = await connect(emulator, { username: 'SMCP', password: 'child-secret', warehouse: 'COMPUTE_WH' });
const codes: { sql: string; code: string }[] = [];
for (const { sql } of hostStatements({ ...fixture, entries: () => [], remove: () => {} })) {
  let code = 'no error';
  try {
    await execute(conn, sql);
  } catch (err) {
    code = String((err as { code?: unknown }).code);
  }
  codes.push({ sql, code });
  await execute(conn, 'SELECT COUNT(*) FROM (SELECT range FROM range(1000))');
}
await destroy(conn);
await emulator.close();
process.send?.({ codes });
process.disconnect?.();
