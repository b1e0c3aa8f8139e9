/**
 * `smcp reload`: the daemon reads its Snowflake connection settings again and swaps in a new pool;
 * sessions stay open and calls in flight finish on the old pool. Same as `kill -HUP <pid>`.
 */
import type { CommandModule } from 'yargs';
import { adminRequest } from '../../admin/client.js';
import type { ReloadAnswer } from '../../admin/protocol.js';
import { daemonFiles, resolvePaths } from '../../config/paths.js';
import { say } from '../output.js';

/** The `reload` command module. */
export const reloadCommand: CommandModule = {
  command: 'reload',
  describe: 'Re-read the connection settings and swap the pool without dropping sessions',
  handler: async () => {
    const files = daemonFiles(resolvePaths());
    const answer = await adminRequest<ReloadAnswer>(files.socket, 'POST', '/reload', { timeoutMs: 120_000 });
    const what =
      answer.backend === 'emulator' ? 'the embedded emulator' : `Snowflake connection "${answer.connection}"`;
    say(
      answer.changed
        ? `smcp reloaded: now serving ${what}`
        : `smcp reloaded: unchanged, still serving ${what}`,
    );
  },
};
