/**
 * Shared wording of the generated option docs: the option table's light markup (`` `name` ``,
 * `*file*`) turned into roff or Markdown, the facts line of an option (default, config.toml key,
 * environment, commands), and the replacement of a marked block in a file.
 */
import { OPTION_COMMANDS, configKeyName, defaultFor } from '../../src/config/options/spec.js';
import type { OptionCommand, OptionGroup, OptionSpec } from '../../src/config/options/spec.js';
import { OPTION_TABLE } from '../../src/config/options/table.js';

/** One stretch of marked-up text. */
export interface Span {
  readonly kind: 'plain' | 'name' | 'file';
  readonly text: string;
}

/** Splits the table's markup: `` `x` `` is a name (bold, code), `*x*` a file (italic). */
export function spans(markup: string): Span[] {
  const out: Span[] = [];
  const pattern = /`([^`]+)`|\*([^*]+)\*/g;
  let at = 0;
  for (const match of markup.matchAll(pattern)) {
    if (match.index > at) out.push({ kind: 'plain', text: markup.slice(at, match.index) });
    out.push(match[1] !== undefined ? { kind: 'name', text: match[1] } : { kind: 'file', text: match[2] });
    at = match.index + match[0].length;
  }
  if (at < markup.length) out.push({ kind: 'plain', text: markup.slice(at) });
  return out;
}

/** The manual's text of an option: its doc, or its help as a sentence. */
export function docOf(spec: OptionSpec): string {
  if (spec.doc !== undefined) return spec.doc;
  return `${spec.help.charAt(0).toUpperCase()}${spec.help.slice(1)}.`;
}

/** The documented options of a group, in table order (hidden ones left out). */
export function documented(group: OptionGroup): OptionSpec[] {
  return (OPTION_TABLE as readonly OptionSpec[]).filter((spec) => spec.group === group && !spec.hidden);
}

/** The commands most of `specs` are taken by (a group's heading names them), in OPTION_COMMANDS order. */
export function commandsOf(specs: readonly OptionSpec[]): OptionCommand[] {
  const counts = new Map<string, number>();
  for (const spec of specs) counts.set(spec.commands.join(), (counts.get(spec.commands.join()) ?? 0) + 1);
  const [common] = [...counts].reduce((best, entry) => (entry[1] > best[1] ? entry : best));
  return OPTION_COMMANDS.filter((command) => common.split(',').includes(command));
}

/** `start, restart and config validate`. */
export function listing(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** How the docs say a default: the value, an off switch, or the stated wording. */
function defaultPhrase(spec: OptionSpec, command?: OptionCommand): string | undefined {
  const value = defaultFor(spec, command);
  if (spec.defaultText !== undefined) return spec.defaultText;
  if (value === undefined) return undefined;
  if (value === false) return 'off';
  if (value === '') return 'none';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/** The default with the commands that differ: `info (stdio: warn)`. */
export function defaultText(spec: OptionSpec): string | undefined {
  const base = defaultPhrase(spec);
  if (base === undefined) return undefined;
  const others = Object.keys(spec.perCommand ?? {})
    .map((command) => [command, defaultPhrase(spec, command as OptionCommand)] as const)
    .filter(([, phrase]) => phrase !== undefined && phrase !== base)
    .map(([command, phrase]) => `${command}: ${phrase}`);
  return others.length > 0 ? `${base} (${others.join('; ')})` : base;
}

/** The facts of an option as marked-up text: default, config.toml key, environment, commands. */
export function factsOf(spec: OptionSpec, groupCommands: readonly OptionCommand[]): string {
  const facts: string[] = [];
  const fallback = defaultText(spec);
  if (fallback !== undefined) facts.push(`Default ${fallback}.`);
  if (spec.config) facts.push(`config.toml: \`${configKeyName(spec.key)}\`.`);
  if (spec.env?.length) {
    const names = spec.env.map((v) => `\`${v.name}\`${v.holds ? ` (${v.holds})` : ''}`);
    facts.push(`Environment: ${names.join(', ')}.`);
  }
  const extra = spec.commands.filter((command) => !groupCommands.includes(command));
  const missing = groupCommands.filter((command) => !spec.commands.includes(command));
  if (missing.length > 0) facts.push(`Only for ${listing(spec.commands)}.`);
  else if (extra.length > 0) facts.push(`Also for ${listing(extra)}.`);
  return facts.join(' ');
}

/**
 * `text` with the lines between the lines `begin` and `end` replaced by `body`. Throws naming the
 * markers when they are missing or out of order.
 */
export function replaceBetween(text: string, begin: string, end: string, body: string): string {
  const lines = text.split('\n');
  const from = lines.indexOf(begin);
  const to = lines.indexOf(end);
  if (from === -1 || to === -1 || to < from) {
    throw new Error(`the markers "${begin}" and "${end}" must each be on a line of their own, in that order`);
  }
  return [...lines.slice(0, from + 1), body.replace(/\n$/, ''), ...lines.slice(to)].join('\n');
}
