/**
 * The option lists of man/smcp.1 and the settings tables of README.md are generated from the
 * option table by `npm run docs:options`; the committed files must be what it would write now, so
 * a changed option without regenerated docs fails here.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { configKeyName } from '../../src/config/options/spec.js';
import type { OptionSpec } from '../../src/config/options/spec.js';
import { OPTION_TABLE } from '../../src/config/options/table.js';
import { MAN_OPTIONS_MARKERS, manOptionLists, updatedManPage } from '../../scripts/options-docs/man.js';
import { README_MARKERS, updatedReadme } from '../../scripts/options-docs/readme.js';

const MAN_PAGE = fileURLToPath(new URL('../../man/smcp.1', import.meta.url));
const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const DOCUMENTED = (OPTION_TABLE as readonly OptionSpec[]).filter((spec) => !spec.hidden);

/** The lines between two marker lines of `text`. */
function between(text: string, [begin, end]: readonly [string, string]): string {
  return text.slice(text.indexOf(begin) + begin.length, text.indexOf(end));
}

describe('generated option docs (npm run docs:options)', function () {
  this.timeout(30_000);

  it('leaves the committed man page as it is: its option lists match the table', () => {
    const page = readFileSync(MAN_PAGE, 'utf8');
    expect(updatedManPage(page) === page, 'man/smcp.1 is out of date: run npm run docs:options').to.equal(
      true,
    );
  });

  it('leaves the committed README as it is: its settings tables match the table', async () => {
    const text = readFileSync(README, 'utf8');
    const updated = await updatedReadme(text, README);
    expect(updated === text, 'README.md is out of date: run npm run docs:options').to.equal(true);
  });

  it('brings back an option missing from the man page', () => {
    const page = readFileSync(MAN_PAGE, 'utf8');
    const entry = '.TP\n.BI \\-\\-max\\-rows " N"\n';
    expect(page).to.contain(entry);
    const edited = page.replace(entry, '.TP\n.BI \\-\\-max\\-rowz " N"\n');
    expect(updatedManPage(edited)).to.equal(page);
  });

  it('lists every documented option with its config.toml key in the man page and the README', () => {
    const lists = manOptionLists().replace(/\\-/g, '-');
    const prose = lists.replace(/\s+/g, ' ');
    const readme = between(readFileSync(README, 'utf8'), README_MARKERS);
    for (const spec of DOCUMENTED) {
      expect(lists, spec.key).to.match(new RegExp(`^\\.BI? --${spec.key}(?: |$)`, 'm'));
      expect(readme, spec.key).to.contain(`\`--${spec.key}`);
      if (spec.config) {
        expect(prose, spec.key).to.contain(`config.toml: \\fB${configKeyName(spec.key)}\\fR`);
        expect(readme, spec.key).to.contain(`\`${configKeyName(spec.key)}\``);
      }
    }
    expect(lists).not.to.contain('daemonized');
  });

  it('refuses a file without its markers, naming them', () => {
    const page = readFileSync(MAN_PAGE, 'utf8').replace(`${MAN_OPTIONS_MARKERS[1]}\n`, '');
    expect(() => updatedManPage(page)).to.throw(/options:end/);
  });
});
