/**
 * `smcp reload [--json]`: the daemon reads its settings again (config.toml with its
 * `[sql_tools.<name>]` and `[connection_options.<name>]`, connections.toml) and applies the
 * difference: added connections open, removed ones drain and close, ones whose connection settings
 * changed get a new pool, unchanged ones are left alone; SQL tools are added, removed or changed
 * and limits such as max_rows apply to new calls. Sessions stay open (told when the tool listing
 * changed); calls in flight finish as they started. Settings that only a restart applies (the
 * listener's port, host, token, ...) are named, not applied. A bad configuration changes nothing
 * and fails with its one-line error. Same as `kill -HUP <pid>`.
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

/** The lines on SQL tools, settings, settings waiting for a restart and the tool listing. */
function detailLines(answer: ReloadAnswer): string[] {
  const lines: string[] = [];
  const tools = (['added', 'removed', 'changed'] as const)
    .filter((kind) => answer.sqlTools[kind].length > 0)
    .map((kind) => `${kind} ${answer.sqlTools[kind].join(', ')}`);
  if (tools.length > 0) lines.push(`  SQL tools: ${tools.join('; ')}`);
  if (answer.settings.length > 0)
    lines.push(`  settings applied to new calls: ${answer.settings.join(', ')}`);
  if (answer.needsRestart.length > 0) {
    lines.push(
      `  needs restart: ${answer.needsRestart.join(', ')} (still served as before; smcp restart applies it)`,
    );
  }
  if (answer.toolsChanged) lines.push('  tool listing changed: open sessions were sent tools/list_changed');
  return lines;
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
    const moved = answer.connections.some((c) => c.change !== 'unchanged');
    say(
      moved
        ? `smcp reloaded: now serving ${what}`
        : answer.changed
          ? `smcp reloaded: still serving ${what}`
          : `smcp reloaded: unchanged, still serving ${what}`,
    );
    for (const line of detailLines(answer)) say(line);
    return;
  }
  const counts = (['added', 'removed', 'changed', 'unchanged'] as const)
    .map((change) => [change, answer.connections.filter((c) => c.change === change).length] as const)
    .filter(([, n]) => n > 0)
    .map(([change, n]) => `${n} ${change}`);
  say(`smcp reloaded: ${counts.join(', ')} (default "${answer.connection}", marked *)`);
  for (const line of connectionLines(answer)) say(line);
  for (const line of detailLines(answer)) say(line);
}

/** The `reload` command module. */
export const reloadCommand: CommandModule<object, ReloadArgs> = {
  command: 'reload',
  describe: 'Re-read the settings, connections and SQL tools and apply the changes without dropping sessions',
  builder: (yargs: Argv) =>
    yargs.option('json', {
      type: 'boolean',
      default: false,
      describe: 'print what changed as JSON',
    }),
  handler,
};
