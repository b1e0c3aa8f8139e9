/**
 * The README's generated settings tables, from the option table: one Markdown table per group
 * (flag, config.toml key, environment, default, what it sets), formatted by prettier as the rest
 * of the README is, so `npm run format` leaves the generated text alone.
 */
import { format, resolveConfig } from 'prettier';
import { OPTION_GROUPS, configKeyName } from '../../src/config/options/spec.js';
import type { OptionSpec } from '../../src/config/options/spec.js';
import { commandsOf, defaultText, documented, listing, replaceBetween } from './text.js';

/** The lines around the generated tables in README.md. */
export const README_MARKERS = ['<!-- options:begin -->', '<!-- options:end -->'] as const;

/** A table cell: pipes escaped. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** `` `--port N` `` */
function flagCell(spec: OptionSpec): string {
  return `\`--${spec.key}${spec.metavar ? ` ${spec.metavar}` : ''}\``;
}

/** The help as a sentence, with the commands when they are not the group's. */
function whatCell(spec: OptionSpec, groupCommands: readonly string[]): string {
  const text = `${spec.help.charAt(0).toUpperCase()}${spec.help.slice(1)}`;
  const missing = groupCommands.filter((command) => !spec.commands.includes(command as never));
  const extra = spec.commands.filter((command) => !groupCommands.includes(command));
  if (missing.length > 0) return `${text} (only ${listing(spec.commands)})`;
  return extra.length > 0 ? `${text} (also ${listing(extra)})` : text;
}

/** True when the default is said in words (`1 MiB`, `off`, `info (stdio: warn)`), not as a value. */
function isWording(spec: OptionSpec): boolean {
  return (
    spec.defaultText !== undefined ||
    spec.perCommand !== undefined ||
    typeof spec.default === 'boolean' ||
    spec.default === ''
  );
}

function row(spec: OptionSpec, groupCommands: readonly string[]): string {
  const env = (spec.env ?? []).map((v) => `\`${v.name}\`${v.holds ? ` (${v.holds})` : ''}`).join(', ');
  const fallback = defaultText(spec);
  const cells = [
    flagCell(spec),
    spec.config ? `\`${configKeyName(spec.key)}\`` : '',
    env,
    fallback === undefined || isWording(spec) ? (fallback ?? '') : `\`${fallback}\``,
    whatCell(spec, groupCommands),
  ];
  return `| ${cells.map(cell).join(' | ')} |`;
}

/** The generated Markdown, before prettier lays out the tables. */
export function readmeTables(): string {
  const out: string[] = [];
  for (const group of OPTION_GROUPS) {
    const specs = documented(group);
    const commands = commandsOf(specs);
    out.push(
      '',
      `### ${group}`,
      '',
      `Options of ${listing(commands.map((command) => `\`smcp ${command}\``))}.`,
      '',
      '| Option | config.toml | Environment | Default | What it sets |',
      '| --- | --- | --- | --- | --- |',
      ...specs.map((spec) => row(spec, commands)),
    );
  }
  return `${out.join('\n')}\n`;
}

/** README.md's text (at `file`) with its settings tables brought up to date with the option table. */
export async function updatedReadme(text: string, file: string): Promise<string> {
  const replaced = replaceBetween(text, ...README_MARKERS, readmeTables());
  const options = (await resolveConfig(file)) ?? {};
  return format(replaced, { ...options, filepath: file });
}
