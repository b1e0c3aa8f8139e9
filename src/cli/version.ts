/** smcp's own version, read from package.json next to the compiled code. */
import { readFileSync } from 'node:fs';

/** The version in package.json, or '0.0.0' if it cannot be read. */
export function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
