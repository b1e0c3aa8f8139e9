/**
 * The login benchmarks use on an emulator they start themselves: the default SMCP user with a
 * fixed password, on COMPUTE_WH.
 */
import type { RunningEmulator } from '../src/emulator/index.js';
import { emulatorConnection } from '../src/snowflake/settings-view.js';

/** The password benchmarks start their emulator with (`startEmulator({ password })`). */
export const BENCH_PASSWORD = 'bench-password';

/** Connection settings for `emulator` as the SMCP user with {@link BENCH_PASSWORD}. */
export function benchConnection(
  emulator: Pick<RunningEmulator, 'host' | 'port' | 'account'>,
): ReturnType<typeof emulatorConnection> {
  return emulatorConnection({
    host: emulator.host,
    port: emulator.port,
    account: emulator.account,
    user: 'SMCP',
    password: BENCH_PASSWORD,
    warehouse: 'COMPUTE_WH',
  });
}
