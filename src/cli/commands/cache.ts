/**
 * `smcp cache refresh`: the daemon drops its metadata cache and lists the account again
 * (databases, schemas, tables and views; columns load on first use), so list_*, describe_* and
 * search_objects see objects made outside smcp before the cache's TTL runs out.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { adminRequest } from '../../admin/client.js';
import type { CacheRefreshAnswer } from '../../admin/protocol.js';
import { daemonFiles, resolvePaths } from '../../config/paths.js';
import { say, sayJson } from '../output.js';

type CacheArgs = { action: string; json: boolean };

async function handler(args: ArgumentsCamelCase<CacheArgs>): Promise<void> {
  const files = daemonFiles(resolvePaths());
  const answer = await adminRequest<CacheRefreshAnswer>(files.socket, 'POST', '/cache/refresh', {
    body: {},
    timeoutMs: 0,
  });
  if (args.json) {
    sayJson(answer);
    return;
  }
  say(
    `smcp metadata cache refreshed in ${(answer.durationMs / 1000).toFixed(1)} s: ${answer.databases} databases, ` +
      `${answer.schemas} schemas, ${answer.objects} tables and views (${answer.cache.objects} objects cached)`,
  );
}

/** The `cache` command module (`smcp cache refresh`). */
export const cacheCommand: CommandModule<object, CacheArgs> = {
  command: 'cache <action>',
  describe: "Refresh the daemon's metadata cache (list_*, describe_*, search_objects)",
  builder: (yargs: Argv) =>
    yargs
      .positional('action', {
        choices: ['refresh'] as const,
        describe: 'refresh: drop the cache and list the account again',
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'print the outcome as JSON',
      }) as unknown as Argv<CacheArgs>,
  handler,
};
