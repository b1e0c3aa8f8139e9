/**
 * The manual page keeps up with the CLI: every command `smcp --help` lists (and every subcommand a
 * command's own help lists), every long option any `--help` prints, and every code of the error
 * catalogue with its exit and HTTP status must be in man/smcp.1. The commands and options come
 * from the real compiled CLI, so adding one without documenting it fails here. When groff is
 * installed, the page must also render without warnings.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { ERROR_CATALOGUE } from '../../src/errors.js';
import type { ErrorCode } from '../../src/errors.js';
import { isolatedHome, runSmcp } from '../helpers/cli.js';
import type { IsolatedHome } from '../helpers/cli.js';

const MAN_PAGE = fileURLToPath(new URL('../../man/smcp.1', import.meta.url));

/** Options every yargs help prints; they need no entry of their own. */
const GENERIC_OPTIONS = new Set(['--help', '--version']);

/** The page's text with roff escapes for hyphens and fonts undone, so `\-\-port` reads `--port`. */
function plainText(roff: string): string {
  return roff
    .replace(/\\-/g, '-')
    .replace(/\\f[BIRP]/g, '')
    .replace(/\\e/g, '\\');
}

/** The lines of section `name` (from `.SH name` up to the next `.SH`). */
function section(text: string, name: string): string {
  const start = text.indexOf(`\n.SH ${name}\n`);
  expect(start, `section ${name}`).to.be.greaterThan(-1);
  const end = text.indexOf('\n.SH ', start + 1);
  return text.slice(start, end === -1 ? undefined : end);
}

/** Command names under the "Commands:" heading of a yargs help text (`smcp config init` → `config init`). */
function commandsIn(help: string): string[] {
  const names: string[] = [];
  let inCommands = false;
  for (const line of help.split('\n')) {
    if (/^\S/.test(line)) inCommands = line.startsWith('Commands:');
    const match = inCommands ? /^ {2}smcp ((?:[a-z][a-z-]*)(?: [a-z][a-z-]*)*)/.exec(line) : null;
    if (match) names.push(match[1]);
  }
  return names;
}

/** Long options a yargs help text lists, one per option line (`  -f, --follow  …`). */
function longOptionsIn(help: string): string[] {
  const options: string[] = [];
  for (const line of help.split('\n')) {
    const match = /^ {2,}(?:-[A-Za-z], )?(--[a-z][a-z0-9-]*)/.exec(line);
    if (match) options.push(match[1]);
  }
  return options;
}

describe('man/smcp.1', function () {
  this.timeout(60_000);
  let home: IsolatedHome;
  let page: string;
  /** Help text by command path ('' for the top level). */
  const helps = new Map<string, string>();

  async function help(command: string): Promise<string> {
    const run = await runSmcp([...(command ? command.split(' ') : []), '--help'], home.env);
    expect(run.code, `smcp ${command} --help exit code; stderr: ${run.stderr}`).to.equal(0);
    return run.stdout;
  }

  before(async function () {
    home = isolatedHome();
    page = plainText(readFileSync(MAN_PAGE, 'utf8'));
    const top = await help('');
    helps.set('', top);
    const commands = commandsIn(top);
    const texts = await Promise.all(commands.map((command) => help(command)));
    const nested: string[] = [];
    commands.forEach((command, i) => {
      helps.set(command, texts[i]);
      // `completion --help` prints the script itself; it has no "Commands:" heading.
      nested.push(...commandsIn(texts[i]).filter((name) => name.startsWith(`${command} `)));
    });
    const nestedTexts = await Promise.all(nested.map((command) => help(command)));
    nested.forEach((command, i) => helps.set(command, nestedTexts[i]));
  });

  after(() => home?.remove());

  it('is plain ASCII', () => {
    const raw = readFileSync(MAN_PAGE);
    const offending = raw.findIndex((byte) => byte > 0x7f);
    expect(offending, 'offset of the first non-ASCII byte').to.equal(-1);
  });

  it('documents every command smcp --help lists, subcommands included, in COMMANDS', () => {
    const commands = [...helps.keys()].filter((name) => name !== '');
    expect(commands, 'commands found in smcp --help').to.include.members(['start', 'stop', 'config init']);
    const commandsSection = section(page, 'COMMANDS');
    const missing = commands.filter(
      (name) => !new RegExp(`^(?:\\.B )?smcp ${name}\\b`, 'm').test(commandsSection),
    );
    expect(missing, 'commands without an entry in COMMANDS').to.deep.equal([]);
  });

  it('documents every long option any --help prints', () => {
    const missing = new Set<string>();
    let seen = 0;
    for (const [command, text] of helps) {
      for (const option of longOptionsIn(text)) {
        if (GENERIC_OPTIONS.has(option)) continue;
        seen++;
        if (!new RegExp(`${option}(?![a-z0-9-])`).test(page)) missing.add(`${option} (smcp ${command})`);
      }
    }
    expect(seen, 'options found in the help texts').to.be.greaterThan(30);
    expect([...missing], 'options missing from the page').to.deep.equal([]);
  });

  it('lists every error code with its exit and HTTP status in ERROR CODES', () => {
    const codes = section(page, 'ERROR CODES');
    const wrong: string[] = [];
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE) as [
      ErrorCode,
      { exit: number; http: number },
    ][]) {
      const line = new RegExp(`^\\.BR? ${code} "? ?\\(exit (\\d+), HTTP (\\d+)\\)`, 'm').exec(codes);
      if (!line) wrong.push(`${code}: no entry`);
      else if (Number(line[1]) !== entry.exit || Number(line[2]) !== entry.http) {
        wrong.push(
          `${code}: page says exit ${line[1]}, HTTP ${line[2]}; catalogue ${entry.exit}, ${entry.http}`,
        );
      }
    }
    expect(wrong).to.deep.equal([]);
  });

  it('documents every exit status an error code can produce in EXIT STATUS', () => {
    const exits = section(page, 'EXIT STATUS');
    const statuses = new Set(Object.values(ERROR_CATALOGUE).map((entry) => entry.exit));
    const missing = [...statuses].filter((exit) => !new RegExp(`^\\.B ${exit}$`, 'm').test(exits));
    expect(missing).to.deep.equal([]);
  });

  it('renders with groff -man -ww without a warning', function () {
    const probe = spawnSync('groff', ['--version'], { encoding: 'utf8' });
    if (probe.error) this.skip();
    const run = spawnSync('groff', ['-man', '-ww', '-z', MAN_PAGE], { encoding: 'utf8' });
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stderr).to.equal('');
  });
});
