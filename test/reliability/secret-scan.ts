/**
 * Looks for secret values in text and files: each secret in its plain form, base64 and base64url
 * (whole-string encodings, as a Basic header or a token dump would carry them) and URL-encoded.
 * A hit names where it was found and shows the text around it, with the secret itself masked.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** One secret found somewhere it must not be. */
export interface SecretHit {
  /** Label of the secret (e.g. `password`). */
  readonly secret: string;
  /** The form it was found in (plain, base64, base64url, urlencoded). */
  readonly form: string;
  /** File path or capture label. */
  readonly where: string;
  /** Up to 60 characters either side, the secret replaced by «…». */
  readonly context: string;
}

/** The forms a secret is searched in. */
export function secretForms(value: string): [form: string, text: string][] {
  // Unpadded: the padding of a whole-string encoding depends on the length, not on the secret.
  const base64 = Buffer.from(value).toString('base64').replace(/=+$/, '');
  const forms: [string, string][] = [
    ['plain', value],
    ['base64', base64],
    ['base64url', Buffer.from(value).toString('base64url')],
    ['urlencoded', encodeURIComponent(value)],
  ];
  // Drop duplicates (a plain alphanumeric secret is its own URL encoding).
  return forms.filter(([, text], i) => forms.findIndex(([, t]) => t === text) === i);
}

/** Every occurrence of every secret in `text`. */
export function scanText(
  text: string,
  where: string,
  secrets: Readonly<Record<string, string>>,
): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const [label, value] of Object.entries(secrets)) {
    for (const [form, needle] of secretForms(value)) {
      let at = text.indexOf(needle);
      while (at >= 0) {
        const before = text.slice(Math.max(0, at - 60), at);
        const after = text.slice(at + needle.length, at + needle.length + 60);
        hits.push({ secret: label, form, where, context: `${before}«${label}»${after}` });
        at = text.indexOf(needle, at + needle.length);
      }
    }
  }
  return hits;
}

/** Regular files under `dir`, recursively (sockets, pipes and links are skipped). */
export function filesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...filesUnder(path));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

/**
 * Scans every regular file under `dir` except `exclude` (the inputs that hold the secrets on
 * purpose). Files are read as latin1 so binary files are searched too.
 */
export function scanTree(
  dir: string,
  secrets: Readonly<Record<string, string>>,
  exclude: ReadonlySet<string> = new Set(),
): { files: string[]; bytes: number; hits: SecretHit[] } {
  const files = filesUnder(dir).filter((f) => !exclude.has(f));
  let bytes = 0;
  const hits: SecretHit[] = [];
  for (const file of files) {
    bytes += statSync(file).size;
    hits.push(...scanText(readFileSync(file).toString('latin1'), file, secrets));
  }
  return { files, bytes, hits };
}
