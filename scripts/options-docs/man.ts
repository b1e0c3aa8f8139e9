/**
 * The manual page's generated parts, from the option table: the option lists of OPTIONS (one
 * subsection per group) and the config.toml keys of SETTINGS. Plain ASCII roff, as the page is.
 */
import { OPTION_GROUPS, configKeyName } from '../../src/config/options/spec.js';
import type { OptionGroup, OptionSpec } from '../../src/config/options/spec.js';
import { commandsOf, docOf, documented, factsOf, replaceBetween, spans } from './text.js';

/** The lines around the generated option lists in man/smcp.1. */
export const MAN_OPTIONS_MARKERS = ['.\\" options:begin', '.\\" options:end'] as const;
/** The lines around the generated config.toml key lists in man/smcp.1. */
export const MAN_SETTINGS_MARKERS = ['.\\" settings:begin', '.\\" settings:end'] as const;

const HEADINGS: Readonly<Record<OptionGroup, string>> = {
  Network: 'Network options',
  'Limits and safety': 'Limit and safety options',
  Daemon: 'Daemon options',
  'Snowflake connection': 'Connection options',
};

const INTROS: Partial<Record<OptionGroup, string>> = {
  'Snowflake connection':
    'Override the environment and the settings files. Secrets have no options on purpose (command ' +
    'lines are visible to every user through `ps`): they come from the environment or ' +
    '*connections.toml*.',
};

/** Roff for plain text: backslashes and hyphens escaped; anything but ASCII refused. */
function escape(text: string, where: string): string {
  const bad = /[^\x20-\x7e]/.exec(text);
  if (bad) throw new Error(`${where}: the manual is plain ASCII, but the text has "${bad[0]}"`);
  return text.replace(/\\/g, '\\e').replace(/-/g, '\\-');
}

/** The table's markup as roff words (names bold, files italic). */
function roff(markup: string, where: string): string {
  return spans(markup)
    .map((span) => {
      const text = escape(span.text, where);
      return span.kind === 'name' ? `\\fB${text}\\fR` : span.kind === 'file' ? `\\fI${text}\\fR` : text;
    })
    .join('');
}

/** Roff text filled into source lines of at most `width` columns, none starting a request. */
function fill(text: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/ +/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.map((l) => (/^[.']/.test(l) ? `\\&${l}` : l));
}

/** The tag line of an option: `.B \-\-stateless` or `.BI \-\-port " N"`. */
function tag(spec: OptionSpec): string {
  const flag = escape(`--${spec.key}`, spec.key);
  return spec.metavar ? `.BI ${flag} " ${escape(spec.metavar, spec.key)}"` : `.B ${flag}`;
}

/** The OPTIONS subsections of every group. */
export function manOptionLists(): string {
  const out: string[] = [];
  for (const group of OPTION_GROUPS) {
    const specs = documented(group);
    const commands = commandsOf(specs);
    out.push(`.SS ${HEADINGS[group]} (${commands.join(', ')})`);
    const intro = INTROS[group];
    if (intro) out.push(...fill(roff(intro, group)));
    for (const spec of specs) {
      const text = `${docOf(spec)} ${factsOf(spec, commands)}`.trim();
      out.push('.TP', tag(spec), ...fill(roff(text, `--${spec.key}`)));
    }
  }
  return out.join('\n');
}

/** The SETTINGS list of config.toml keys, group by group. */
export function manSettingsLists(): string {
  const out: string[] = [];
  for (const group of OPTION_GROUPS) {
    const keys = documented(group).filter((spec) => spec.config !== undefined);
    if (keys.length === 0) continue;
    const names = keys.map((spec) => `\`${configKeyName(spec.key)}\``);
    out.push('.TP', group, ...fill(roff(names.join(', '), group)));
  }
  return out.join('\n');
}

/** man/smcp.1's text with its generated parts brought up to date with the option table. */
export function updatedManPage(page: string): string {
  const withOptions = replaceBetween(page, ...MAN_OPTIONS_MARKERS, manOptionLists());
  return replaceBetween(withOptions, ...MAN_SETTINGS_MARKERS, manSettingsLists());
}
