/**
 * Visibility rules: which databases, schemas and objects the model may see. `show` patterns (when
 * any) are the only places visible, `hide` patterns are never visible; a pattern is a dotted name
 * of 1 to 3 parts (database, schema, object) whose parts may hold `*` and `?` globs, unquoted parts
 * folded to upper case as Snowflake folds names and "quoted" parts kept exact.
 *
 * This is defence in depth: Snowflake's roles are the real boundary. The rules keep hidden objects
 * out of listings, descriptions and resources, and the SQL check (object-references.ts) refuses
 * statements that name them.
 */
import { SmcpError } from '../errors.js';

/** A qualified name, outermost first: [database], [database, schema] or [database, schema, object]. */
export type QualifiedName = readonly string[];

/** One parsed pattern: a matcher per part. */
type Pattern = readonly RegExp[];

const LEVEL_NAMES = ['database', 'schema', 'object'] as const;

/** Parts of a dotted name, "quoted" parts exact, others upper-cased; undefined when malformed. */
export function splitQualified(text: string): string[] | undefined {
  const parts: string[] = [];
  let i = 0;
  while (i <= text.length) {
    let part = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) return undefined;
        if (text[i] === '"' && text[i + 1] === '"') {
          part += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else part += text[i++];
      }
    } else {
      const end = text.indexOf('.', i);
      part = text.slice(i, end < 0 ? text.length : end).toUpperCase();
      i = end < 0 ? text.length : end;
    }
    if (part === '') return undefined;
    parts.push(part);
    if (i >= text.length) break;
    if (text[i] !== '.') return undefined;
    i++;
  }
  return parts;
}

function globPart(part: string): RegExp {
  const body = part
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 's');
}

function parsePattern(text: string, field: string): Pattern {
  const parts = splitQualified(text.trim());
  if (!parts || parts.length > 3) {
    throw new SmcpError(
      'CONFIG_INVALID',
      `${field}: "${text}" is not a pattern of 1 to 3 dotted parts (database[.schema[.object]], * and ? as wildcards)`,
      { field },
    );
  }
  return parts.map(globPart);
}

/** True when the first `n` parts of `name` match the first `n` parts of `pattern`. */
function prefixMatches(pattern: Pattern, name: QualifiedName, n: number): boolean {
  for (let k = 0; k < n; k++) if (!pattern[k].test(name[k])) return false;
  return true;
}

/** Which databases, schemas and objects are visible. */
export class ObjectVisibility {
  private readonly show: readonly Pattern[];
  private readonly hide: readonly Pattern[];

  /**
   * @param show patterns of the only visible places (none: everything not hidden)
   * @param hide patterns of hidden places (a hidden database hides its schemas and objects)
   * Throws CONFIG_INVALID naming `show-objects`/`hide-objects` for a malformed pattern.
   */
  constructor(show: readonly string[] = [], hide: readonly string[] = []) {
    this.show = show.map((p) => parsePattern(p, 'show-objects'));
    this.hide = hide.map((p) => parsePattern(p, 'hide-objects'));
  }

  /** True when any rule is set (then SQL is checked too). */
  get active(): boolean {
    return this.show.length > 0 || this.hide.length > 0;
  }

  /**
   * True when `name` may be seen. A place is hidden when a hide pattern of its level or an outer
   * one matches it; with show patterns, it is visible inside a shown place, and the outer places
   * of a shown one are visible too (so listings can lead there).
   */
  visible(name: QualifiedName): boolean {
    for (const p of this.hide) if (p.length <= name.length && prefixMatches(p, name, p.length)) return false;
    if (this.show.length === 0) return true;
    return this.show.some((p) => prefixMatches(p, name, Math.min(p.length, name.length)));
  }

  /** Throws NOT_FOUND, worded as for a missing `name`, when it is hidden. */
  assertVisible(name: QualifiedName): void {
    if (this.visible(name)) return;
    const level = LEVEL_NAMES[name.length - 1] ?? 'object';
    const what = level[0].toUpperCase() + level.slice(1);
    throw new SmcpError('NOT_FOUND', `${what} '${name.join('.')}' does not exist or not authorized.`);
  }
}

/** No rules: everything visible. */
export const EVERYTHING_VISIBLE = new ObjectVisibility();
