/**
 * `smcp metrics [--json]`: the running daemon's Prometheus metrics over the admin socket (the
 * same figures `GET /metrics` serves on the MCP port): calls by tool, transport, connection and
 * outcome, durations, rows, refusals, sessions, pool and health. For a quick look or a script
 * without a Prometheus server.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { adminRequest } from '../../admin/client.js';
import type { MetricsAnswer } from '../../admin/protocol.js';
import { daemonFiles, resolvePaths } from '../../config/paths.js';
import { sayJson, sayText } from '../output.js';

type MetricsArgs = { json: boolean };

async function handler(args: ArgumentsCamelCase<MetricsArgs>): Promise<void> {
  const files = daemonFiles(resolvePaths());
  const answer = await adminRequest<MetricsAnswer>(files.socket, 'GET', '/metrics');
  if (args.json) sayJson(answer.metrics);
  else sayText(answer.text);
}

/** The `metrics` command module. */
export const metricsCommand: CommandModule<object, MetricsArgs> = {
  command: 'metrics',
  describe: "Print the daemon's Prometheus metrics (what GET /metrics serves)",
  builder: (yargs: Argv) =>
    yargs.option('json', {
      type: 'boolean',
      default: false,
      describe: 'print them as JSON (name, help, type, labelled values)',
    }),
  handler,
};
