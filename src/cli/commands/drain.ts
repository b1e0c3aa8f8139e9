/**
 * `smcp drain [--timeout S]`: the daemon stops taking new sessions and requests (HTTP 503 with
 * Retry-After, /readyz not ready, WebSocket upgrades refused), lets in-flight calls finish until the
 * deadline, then cancels what remains in Snowflake and closes every session. It keeps running,
 * drained, until `smcp stop` or `smcp restart`.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { adminRequest } from '../../admin/client.js';
import type { DrainOutcome } from '../../admin/protocol.js';
import { daemonFiles, resolvePaths } from '../../config/paths.js';
import { SmcpError } from '../../errors.js';
import { say, sayJson } from '../output.js';

type DrainArgs = { timeout?: number; json: boolean };

async function handler(args: ArgumentsCamelCase<DrainArgs>): Promise<void> {
  if (args.timeout !== undefined && (!Number.isFinite(args.timeout) || args.timeout < 0)) {
    throw new SmcpError('USAGE', '--timeout must be a number of seconds ≥ 0', { field: '--timeout' });
  }
  const files = daemonFiles(resolvePaths());
  const outcome = await adminRequest<DrainOutcome>(files.socket, 'POST', '/drain', {
    body: args.timeout === undefined ? {} : { timeoutSeconds: args.timeout },
    timeoutMs: 0,
  });
  if (args.json) {
    sayJson(outcome);
    return;
  }
  say(
    `smcp drained: ${outcome.inFlightAtStart} call(s) were in flight, ${outcome.cancelled} cancelled at the ${outcome.timeoutSeconds} s deadline`,
  );
  say('It takes no new work until smcp restart; smcp stop ends it.');
}

/** The `drain` command module. */
export const drainCommand: CommandModule<object, DrainArgs> = {
  command: 'drain',
  describe: 'Stop taking new work, let in-flight calls finish, then cancel the rest',
  builder: (yargs: Argv) =>
    yargs
      .option('timeout', {
        type: 'number',
        describe: "seconds in-flight calls may finish (default: the daemon's --drain-timeout)",
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'print the outcome as JSON',
      }),
  handler,
};
