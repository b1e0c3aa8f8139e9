/**
 * The option table's "Snowflake connection" group. These flags override the SNOWFLAKE_* variables
 * and the settings files; src/snowflake/settings.ts weighs them (the variables named here are the
 * ones its catalogue reads, a test keeps the two in step). Secrets have no flags on purpose:
 * command lines are visible to every user through `ps`. Only the connection choice and the session
 * context may be set in config.toml; the account, user and authentication belong in
 * connections.toml, shared with the other Snowflake tools.
 */
import { schemas } from './spec.js';
import type { OptionSpec } from './spec.js';

/** The commands that open (or show) a Snowflake connection. */
export const CONNECTION_COMMANDS = [
  'start',
  'restart',
  'stdio',
  'tools',
  'call',
  'config show',
  'config validate',
] as const;

const common = { type: 'string', group: 'Snowflake connection', commands: CONNECTION_COMMANDS } as const;

/** Connection options, in display order. */
export const CONNECTION_OPTIONS = [
  {
    ...common,
    key: 'connection',
    metavar: 'NAME',
    help: 'named connection in connections.toml ("emulator": the embedded emulator)',
    doc:
      'Named connection in *connections.toml* (see `CHOOSING THE CONNECTION`). The name `emulator` ' +
      'asks for the embedded emulator, unless a connection of that name is defined.',
    config: { expected: 'a non-empty connection name', schema: schemas.text, example: '"default"' },
    env: [{ name: 'SNOWFLAKE_DEFAULT_CONNECTION_NAME' }],
  },
  {
    ...common,
    key: 'connections',
    type: 'array',
    commands: ['start', 'restart', 'stdio', 'tools', 'call', 'config validate'],
    metavar: 'NAMES',
    help: 'serve several named connections at once (the first is the default; "emulator" allowed)',
    doc:
      'Serve several connections of *connections.toml* at once (comma- or space-separated; the first ' +
      'is the default, `emulator` the embedded emulator). Every tool then takes a `connection` ' +
      'argument and `list_connections` lists them; `[connection_options.<name>]` sections of ' +
      'config.toml set write switches and limits per connection. The session flags (`--warehouse`, ' +
      '`--role`, ...) apply to the first; the others take theirs from *connections.toml*.',
    config: {
      expected: 'a list of connection names',
      schema: schemas.stringList,
      example: '["prod", "dev"]',
    },
  },
  {
    ...common,
    key: 'emulator',
    type: 'boolean',
    help: "serve the embedded emulator's sample data, whatever Snowflake settings exist",
    doc:
      "Serve the embedded emulator's sample data, whatever Snowflake settings exist (the settings " +
      'files are then not read). With `--connection` or `--account` on the same command line it is ' +
      'a usage error.',
  },
  {
    ...common,
    key: 'account',
    metavar: 'A',
    help: 'account identifier (myorg-myaccount)',
    env: [{ name: 'SNOWFLAKE_ACCOUNT' }],
  },
  {
    ...common,
    key: 'user',
    metavar: 'U',
    help: 'login name',
    env: [{ name: 'SNOWFLAKE_USER' }, { name: 'SNOWFLAKE_USERNAME' }],
  },
  {
    ...common,
    key: 'authenticator',
    metavar: 'KIND',
    help: 'SNOWFLAKE, SNOWFLAKE_JWT, OAUTH, PROGRAMMATIC_ACCESS_TOKEN, EXTERNALBROWSER, ...',
    doc:
      'SNOWFLAKE (password), SNOWFLAKE_JWT (key pair), OAUTH, PROGRAMMATIC_ACCESS_TOKEN, ' +
      'EXTERNALBROWSER, or an https://ORG.okta.com URL.',
    env: [{ name: 'SNOWFLAKE_AUTHENTICATOR' }],
  },
  {
    ...common,
    key: 'private-key-path',
    metavar: 'FILE',
    help: 'PEM private key for SNOWFLAKE_JWT',
    env: [{ name: 'SNOWFLAKE_PRIVATE_KEY_PATH' }, { name: 'SNOWFLAKE_PRIVATE_KEY_FILE' }],
  },
  {
    ...common,
    key: 'token-file-path',
    metavar: 'FILE',
    help: 'file holding an OAuth or programmatic access token',
    env: [{ name: 'SNOWFLAKE_TOKEN_FILE_PATH' }],
  },
  {
    ...common,
    key: 'warehouse',
    metavar: 'W',
    help: "warehouse, over the connection's own",
    config: { expected: 'a non-empty string', schema: schemas.text, example: '"COMPUTE_WH"' },
    env: [{ name: 'SNOWFLAKE_WAREHOUSE' }],
  },
  {
    ...common,
    key: 'database',
    metavar: 'D',
    help: 'default database',
    config: { expected: 'a non-empty string', schema: schemas.text, example: '"ANALYTICS"' },
    env: [{ name: 'SNOWFLAKE_DATABASE' }],
  },
  {
    ...common,
    key: 'schema',
    metavar: 'S',
    help: 'default schema',
    config: { expected: 'a non-empty string', schema: schemas.text, example: '"PUBLIC"' },
    env: [{ name: 'SNOWFLAKE_SCHEMA' }],
  },
  {
    ...common,
    key: 'role',
    metavar: 'R',
    help: 'role (a read-only role is the safe choice)',
    config: { expected: 'a non-empty string', schema: schemas.text, example: '"ANALYST"' },
    env: [{ name: 'SNOWFLAKE_ROLE' }],
  },
  {
    ...common,
    key: 'snowflake-host',
    metavar: 'H',
    help: 'Snowflake host (for private links and the emulator)',
    env: [{ name: 'SNOWFLAKE_HOST' }],
  },
  {
    ...common,
    key: 'snowflake-port',
    type: 'number',
    metavar: 'N',
    help: 'Snowflake port',
    env: [{ name: 'SNOWFLAKE_PORT' }],
  },
  {
    ...common,
    key: 'snowflake-protocol',
    metavar: 'http|https',
    help: 'protocol: http or https',
    doc: 'Protocol to reach Snowflake with: http or https.',
    env: [{ name: 'SNOWFLAKE_PROTOCOL' }],
  },
] as const satisfies readonly OptionSpec[];
