/**
 * `smcp reload [--json]`: the daemon reads its connection list and every connection's settings
 * again (config.toml, connections.toml, `[connection_options.<name>]`) and applies the difference:
 * added connections open, removed ones drain and close, changed ones get a new pool, unchanged ones
 * are left alone. Sessions stay open; calls in flight finish on the pool they started on. A bad
 * configuration changes nothing and fails with its one-line error. Same as `kill -HUP <pid>`.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { adminRequest } from '../../admin/client.js';
import type { ReloadAnswer } from '../../admin/protocol.js';
import { daemonFiles, resolvePaths } from '../../config/paths.js';
import { say, sayJson } from '../output.js';

type ReloadArgs = { json: boolean };

/** One line per connection: `  * prod  unchanged, healthy`. */
function connectionLines(answer: ReloadAnswer): string[] {
  const width = Math.max(...answer.connections.map((c) => c.name.length));
  return answer.connections.map((c) => {
    const health = c.healthy === undefined ? '' : c.healthy ? ', healthy' : ', unhealthy';
    return `  ${c.default ? '*' : ' '} ${c.name.padEnd(width)}  ${c.change}${health}`;
  });
}

async function handler(args: ArgumentsCamelCase<ReloadArgs>): Promise<void> {
  const files = daemonFiles(resolvePaths());
  const answer = await adminRequest<ReloadAnswer>(files.socket, 'POST', '/reload', { timeoutMs: 120_000 });
  if (args.json) {
    sayJson(answer);
    return;
  }
  const what =
    answer.backend === 'emulator' ? 'the embedded emulator' : `Snowflake connection "${answer.connection}"`;
  if (answer.connections.length <= 1) {
    say(
      answer.changed
        ? `smcp reloaded: now serving ${what}`
        : `smcp reloaded: unchanged, still serving ${what}`,
    );
    return;
  }
  const counts = (['added', 'removed', 'changed', 'unchanged'] as const)
    .map((change) => [change, answer.connections.filter((c) => c.change === change).length] as const)
    .filter(([, n]) => n > 0)
    .map(([change, n]) => `${n} ${change}`);
  say(`smcp reloaded: ${counts.join(', ')} (default "${answer.connection}", marked *)`);
  for (const line of connectionLines(answer)) say(line);
  if (answer.toolsChanged) say('  tool listing changed: open sessions were sent tools/list_changed');
}

/** The `reload` command module. */
export const reloadCommand: CommandModule<object, ReloadArgs> = {
  command: 'reload',
  describe: 'Re-read the connections and apply the changes without dropping sessions',
  builder: (yargs: Argv) =>
    yargs.option('json', {
      type: 'boolean',
      default: false,
      describe: 'print what changed as JSON',
    }),
  handler,
};
