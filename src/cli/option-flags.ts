/**
 * The yargs options of a command, built from the option table (src/config/options/table.ts): each
 * option the command takes, with its type, default, group heading and help, then config.toml's
 * values for them as defaults under the command line. The parsed arguments are typed from the
 * table too, so an option added there reaches its command's handler without another declaration.
 */
import type { Argv, Options } from 'yargs';
import { defaultFor, defaultWording } from '../config/options/spec.js';
import type { OptionCommand, OptionGroup, OptionSpec, OptionType } from '../config/options/spec.js';
import type { OPTION_TABLE } from '../config/options/table.js';
import { optionsOf } from '../config/options/table.js';
import { applySmcpConfig } from './config-defaults.js';

/** `max-rows` → `maxRows`, as yargs hands options over. */
type Camel<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<Camel<Tail>>}`
  : S;

type ValueOf<T extends OptionType> = T extends 'boolean'
  ? boolean
  : T extends 'number'
    ? number
    : T extends 'array'
      ? string[]
      : string;

type Entry = (typeof OPTION_TABLE)[number];

/** The table entries of group `G` that `C` takes. */
type TakenBy<C extends OptionCommand, G extends OptionGroup> = Entry extends infer E
  ? E extends { readonly commands: readonly (infer K)[]; readonly group: G }
    ? C extends K
      ? E
      : never
    : never
  : never;

/** Options yargs always fills: they have a default and the parser applies it. */
type Filled<E> = E extends { readonly default: unknown }
  ? E extends { readonly unsetByDefault: true }
    ? never
    : E
  : never;

/**
 * The parsed table options of command `C` (of group `G` only, when given), camel-cased; present
 * for sure when yargs defaults them.
 */
export type OptionArgs<C extends OptionCommand, G extends OptionGroup = OptionGroup> = {
  [E in Filled<TakenBy<C, G>> as Camel<E['key']>]: ValueOf<E['type']>;
} & {
  [E in Exclude<TakenBy<C, G>, Filled<TakenBy<C, G>>> as Camel<E['key']>]?: ValueOf<E['type']>;
};

/** `max-rows` → `maxRows` at run time. */
export function camelCase(key: string): string {
  return key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The yargs declaration of `spec` for `command`. */
function yargsOption(spec: OptionSpec, command: OptionCommand): Options {
  const help = spec.perCommand?.[command]?.help ?? spec.help;
  const fallback = defaultFor(spec, command);
  // A default the parser does not apply is still worth saying; yargs says the others itself.
  const said = spec.unsetByDefault || fallback === undefined ? defaultWording(spec, command) : undefined;
  return {
    type: spec.type === 'array' ? 'string' : spec.type,
    ...(spec.type === 'array' ? { array: true } : {}),
    ...(!spec.unsetByDefault && fallback !== undefined ? { default: fallback } : {}),
    group: `${spec.group}:`,
    describe: said && !spec.hidden ? `${help} (default ${said})` : help,
    ...(spec.hidden ? { hidden: true } : {}),
  };
}

/**
 * Adds every option of the table that `command` takes to `yargs`, defaulted from config.toml
 * (a flag on the command line wins; throws SmcpError CONFIG_INVALID when config.toml is bad).
 */
export function withTableOptions<T, C extends OptionCommand>(
  yargs: Argv<T>,
  command: C,
): Argv<T & OptionArgs<C>> {
  const specs = optionsOf(command);
  let withOptions: Argv<T> = yargs;
  for (const spec of specs) withOptions = withOptions.option(spec.key, yargsOption(spec, command));
  const keys = specs.filter((spec) => spec.config !== undefined).map((spec) => spec.key);
  return applySmcpConfig(withOptions, { keys }) as Argv<T & OptionArgs<C>>;
}
