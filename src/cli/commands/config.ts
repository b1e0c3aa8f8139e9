/**
 * `smcp config show|validate`: which Snowflake connection smcp would use, every value with where it
 * came from (secrets redacted), and a check that exits 2 with one line naming the bad file and field.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withConnectionFlags, toConnectionFlags } from '../connection-flags.js';
import type { ConnectionFlagArgs } from '../connection-flags.js';
import { say, sayJson, warn } from '../output.js';
import { resolveConnectionSettings } from '../../snowflake/settings.js';
import type { ResolvedConnection } from '../../snowflake/settings.js';
import { describeConnection } from '../../snowflake/settings-view.js';

type ConfigArgs = ConnectionFlagArgs & { json: boolean };

function resolveFromArgs(args: ConfigArgs): ResolvedConnection {
  return resolveConnectionSettings({ env: process.env, flags: toConnectionFlags(args) });
}

function showHandler(args: ArgumentsCamelCase<ConfigArgs>): void {
  const resolved = resolveFromArgs(args);
  const rows = describeConnection(resolved);
  if (args.json) {
    sayJson({ configured: resolved.configured, filesRead: resolved.filesRead, settings: rows });
    return;
  }
  if (!resolved.configured) {
    say('No Snowflake account is configured: smcp uses its embedded emulator.');
    if (resolved.notice) say(resolved.notice);
  }
  const width = Math.max(...rows.map((r) => r.key.length));
  for (const row of rows) say(`${row.key.padEnd(width)}  ${String(row.value)}    (${row.origin})`);
  if (resolved.filesRead.length > 0) say(`\nfiles read: ${resolved.filesRead.join(', ')}`);
}

function validateHandler(args: ArgumentsCamelCase<ConfigArgs>): void {
  const resolved = resolveFromArgs(args);
  if (resolved.configured) {
    say(
      `connection "${resolved.connectionName.value}" is valid (account ${resolved.settings.account.value})`,
    );
  } else {
    say('valid: no Snowflake account is configured, smcp uses its embedded emulator');
    if (resolved.notice) warn(resolved.notice);
  }
}

function withJson(yargs: Argv): Argv<ConfigArgs> {
  return withConnectionFlags(yargs).option('json', {
    type: 'boolean',
    default: false,
    describe: 'print JSON',
  });
}

/** The `config` command module with its `show` and `validate` subcommands. */
export const configCommand: CommandModule<object, object> = {
  command: 'config',
  describe: 'Show or check the Snowflake connection settings',
  builder: (yargs) =>
    yargs
      .command({
        command: 'show',
        describe: 'print each setting and where it came from',
        builder: withJson,
        handler: showHandler,
      })
      .command({
        command: 'validate',
        describe: 'check the settings; exit 2 naming the file and field when wrong',
        builder: withJson,
        handler: validateHandler,
      })
      .demandCommand(1, 'Name a config action: show or validate.'),
  handler: () => undefined,
};
