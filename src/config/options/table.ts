/**
 * smcp's option table: every setting a command line, config.toml or the environment can give,
 * declared once (see `./spec.ts` for what an entry says). The CLI builds its yargs options from
 * it, config.toml is validated and templated from it, `smcp config show` orders by it, and
 * `npm run docs:options` writes the manual's and README's option lists from it.
 */
import { CONNECTION_OPTIONS } from './connection.js';
import { DAEMON_OPTIONS } from './daemon.js';
import { LIMIT_OPTIONS } from './limits.js';
import { NETWORK_OPTIONS } from './network.js';
import { configKeyName } from './spec.js';
import type { ConfigurableOption, OptionCommand, OptionSpec, OptionValue } from './spec.js';

/** Every option, group by group in OPTION_GROUPS order, in display order within a group. */
export const OPTION_TABLE = [
  ...NETWORK_OPTIONS,
  ...LIMIT_OPTIONS,
  ...DAEMON_OPTIONS,
  ...CONNECTION_OPTIONS,
] as const satisfies readonly OptionSpec[];

/** The option names of the table. */
export type OptionKey = (typeof OPTION_TABLE)[number]['key'];

const ALL: readonly OptionSpec[] = OPTION_TABLE;
const BY_KEY: ReadonlyMap<string, OptionSpec> = new Map(ALL.map((spec) => [spec.key, spec]));

/** The entry of `key`. */
export function optionSpec(key: OptionKey): OptionSpec {
  const spec = BY_KEY.get(key);
  if (!spec) throw new Error(`no option ${key} in the option table`);
  return spec;
}

/** The entry of a kebab-case option name, or undefined when the table has none. */
export function findOption(key: string): OptionSpec | undefined {
  return BY_KEY.get(key);
}

/** The options `command` takes, in display order. */
export function optionsOf(command: OptionCommand): readonly OptionSpec[] {
  return ALL.filter((spec) => spec.commands.includes(command));
}

/** The options config.toml may set, in table order (which is the template's). */
export const CONFIG_OPTIONS: readonly ConfigurableOption[] = Object.freeze(
  ALL.filter((spec): spec is ConfigurableOption => spec.config !== undefined),
);

/** The built-in default of `key` (as the settings layers apply it), or undefined when it has none. */
export function optionDefault(key: OptionKey): OptionValue | undefined {
  return optionSpec(key).default;
}

/** The built-in default of a number option. */
export function numberDefault(key: OptionKey): number {
  const value = optionDefault(key);
  if (typeof value !== 'number') throw new Error(`option ${key} has no number default`);
  return value;
}

/** The built-in default of a string option. */
export function stringDefault(key: OptionKey): string {
  const value = optionDefault(key);
  if (typeof value !== 'string') throw new Error(`option ${key} has no string default`);
  return value;
}

/** The config.toml keys, snake_case, in template order (for "known keys" messages). */
export function configKeyNames(): string[] {
  return CONFIG_OPTIONS.map((spec) => configKeyName(spec.key));
}
