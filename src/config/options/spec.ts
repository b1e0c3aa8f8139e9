/**
 * The shape of one entry of smcp's option table (`./table.ts`): everything smcp says about a
 * setting — its command-line flag, the commands that take it, its built-in default, its
 * config.toml key and validation, its environment variables and its help and manual text — in one
 * place. The yargs options, config.toml validation and template, `smcp config show`, the manual
 * page and the README's settings table are all derived from it.
 */
import { z } from 'zod';

/** The headings options are listed under, in `--help`, config.toml, the manual and the README. */
export const OPTION_GROUPS = ['Network', 'Limits and safety', 'Daemon', 'Snowflake connection'] as const;
/** One of OPTION_GROUPS. */
export type OptionGroup = (typeof OPTION_GROUPS)[number];

/** The commands that take options of the table, as `smcp <command>` spells them. */
export const OPTION_COMMANDS = [
  'start',
  'restart',
  'stdio',
  'tools',
  'call',
  'config show',
  'config validate',
] as const;
/** One of OPTION_COMMANDS. */
export type OptionCommand = (typeof OPTION_COMMANDS)[number];

/** How the command line reads a value: `array` is a repeatable string option. */
export type OptionType = 'boolean' | 'number' | 'string' | 'array';

/** A value an option can hold. */
export type OptionValue = boolean | number | string | readonly string[];

/** An environment variable that sets an option (it ranks between the flag and config.toml). */
export interface OptionEnvVar {
  readonly name: string;
  /**
   * What the variable holds when it is not the option's own value (SMCP_TOKEN holds the token the
   * file option points at); the code reading the option then weighs the two itself.
   */
  readonly holds?: string;
  /** The value is a secret: never logged, never shown. */
  readonly secret?: boolean;
}

/** The config.toml side of an option: its key is the option name, snake_case or kebab-case. */
export interface OptionConfigKey {
  /** What a value must be, for error messages (`an integer from 0 to 65535`). */
  readonly expected: string;
  readonly schema: z.ZodType;
  /**
   * A TOML value for the template when the option has no default of its own (it is shown as an
   * example); options with a default show that.
   */
  readonly example?: string;
  /** A file path: `~/` is expanded. */
  readonly path?: boolean;
}

/** What one command changes about an option. */
export interface OptionCommandOverride {
  readonly default?: OptionValue;
  readonly help?: string;
}

/** One option: declared once, read by the CLI, config.toml, `config show` and the docs. */
export interface OptionSpec {
  /** The long option name, kebab-case (`max-rows`); config.toml accepts `max_rows` too. */
  readonly key: string;
  readonly type: OptionType;
  readonly group: OptionGroup;
  /** The commands that take it. */
  readonly commands: readonly OptionCommand[];
  /** One line for `--help` and the config.toml template. */
  readonly help: string;
  /**
   * The manual page's text (default: `help` as a sentence). Plain ASCII; `` `x` `` marks a name
   * (bold in the manual, code in the README) and `*x*` a file (italic).
   */
  readonly doc?: string;
  /** The value's placeholder in the manual (`N`, `FILE`); none for booleans. */
  readonly metavar?: string;
  /** The built-in default. */
  readonly default?: OptionValue;
  /**
   * True when the flag stays unset unless given: the settings layer it feeds applies `default`
   * itself (tests pin the two together), and can tell "not set" from "set to the default".
   */
  readonly unsetByDefault?: boolean;
  /** How the docs and `--help` say the default when not as the value (`1 MiB`, `half the pool`). */
  readonly defaultText?: string;
  /** Per-command differences (`smcp stdio` logs at warn). */
  readonly perCommand?: Partial<Record<OptionCommand, OptionCommandOverride>>;
  /** The config.toml key, when the file may set it. */
  readonly config?: OptionConfigKey;
  /** Environment variables that set it, highest priority first. */
  readonly env?: readonly OptionEnvVar[];
  /** Left out of `--help` and the docs (internal). */
  readonly hidden?: boolean;
}

/** An option that config.toml may set. */
export type ConfigurableOption = OptionSpec & { readonly config: OptionConfigKey };

/** The config.toml spelling of an option key (`max-rows` → `max_rows`). */
export function configKeyName(key: string): string {
  return key.replace(/-/g, '_');
}

/** The default `command` uses for `spec` (a per-command one, else the option's). */
export function defaultFor(spec: OptionSpec, command?: OptionCommand): OptionValue | undefined {
  const override = command ? spec.perCommand?.[command] : undefined;
  return override && Object.hasOwn(override, 'default') ? override.default : spec.default;
}

/**
 * How `--help` and the docs say the default of `spec`, or undefined when it goes unsaid (no
 * default, or an off switch).
 */
export function defaultWording(spec: OptionSpec, command?: OptionCommand): string | undefined {
  if (spec.defaultText !== undefined) return spec.defaultText;
  const value = defaultFor(spec, command);
  if (value === undefined || value === false || value === '') return undefined;
  if (Array.isArray(value)) return value.length > 0 ? value.join(', ') : undefined;
  return String(value);
}

const text = z.string().trim().min(1, { error: 'must not be empty' });

/** Schemas the table's config.toml keys share. */
export const schemas = {
  /** A non-empty string, trimmed. */
  text,
  /** A whole number from `min` to `max`. */
  int: (min: number, max = Number.MAX_SAFE_INTEGER): z.ZodType => z.int().min(min).max(max),
  /** One non-empty string or a list of them; always a list after parsing. */
  stringList: z.union([text.transform((v) => [v]), z.array(text)]),
  boolean: z.boolean(),
} as const;

/** config.toml's wording for the shared schemas. */
export const EXPECTED = {
  boolean: 'true or false',
  positive: 'a positive integer',
  stringList: 'a string or a list of non-empty strings',
  text: 'a non-empty string',
} as const;
