/**
 * `npm run docs:options`: rewrites the generated parts of man/smcp.1 (OPTIONS lists, SETTINGS
 * keys) and README.md (the settings tables) from the option table, src/config/options/table.ts.
 * With `--check` it writes nothing and exits 1 naming each file that is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { updatedManPage } from './options-docs/man.js';
import { updatedReadme } from './options-docs/readme.js';

const MAN_PAGE = fileURLToPath(new URL('../man/smcp.1', import.meta.url));
const README = fileURLToPath(new URL('../README.md', import.meta.url));

const check = process.argv.includes('--check');
const targets: [string, (text: string) => string | Promise<string>][] = [
  [MAN_PAGE, updatedManPage],
  [README, (text) => updatedReadme(text, README)],
];
for (const [file, update] of targets) {
  const text = readFileSync(file, 'utf8');
  const updated = await update(text);
  if (updated === text) continue;
  if (check) {
    console.error(`${file} is out of date with the option table: run npm run docs:options`);
    process.exitCode = 1;
  } else {
    writeFileSync(file, updated);
    console.log(`updated ${file}`);
  }
}
