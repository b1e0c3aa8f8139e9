/**
 * The visibility rules applied to SQL: with rules set, a statement may name only visible objects,
 * each resolvable to database.schema.object (qualified in the text, or through the call's database
 * and schema), and may not browse the catalog around the listing tools (SHOW, DESCRIBE,
 * INFORMATION_SCHEMA, ACCOUNT_USAGE, IDENTIFIER(…)). Refusals are STATEMENT_REFUSED with the reason.
 */
import { Tok, tokenize } from './guard/tokenizer.js';
import { resolveName } from './identifiers.js';
import { objectReferences } from './guard/object-references.js';
import type { McpSettings } from './settings.js';
import { StatementRefusedError } from './sql-policy.js';
import { ObjectVisibility } from './visibility.js';

const bySettings = new WeakMap<McpSettings, ObjectVisibility>();

/** The visibility rules of `settings` (parsed once per settings object). Throws CONFIG_INVALID. */
export function visibilityOf(settings: McpSettings): ObjectVisibility {
  let rules = bySettings.get(settings);
  if (!rules) {
    rules = new ObjectVisibility(settings.showObjects, settings.hideObjects);
    bySettings.set(settings, rules);
  }
  return rules;
}

/** Statements that read the catalog wholesale, which the rules could not filter. */
const CATALOG_STATEMENTS = new Set(['SHOW', 'DESCRIBE', 'DESC', 'LIST', 'LS', 'USE']);

/** Names that reach the whole catalog from a query. */
const CATALOG_NAMES = new Set(['INFORMATION_SCHEMA', 'ACCOUNT_USAGE', 'IDENTIFIER']);

function refuse(reason: string): StatementRefusedError {
  return new StatementRefusedError(`statement 1 ${reason}`, 1, undefined, { kind: 'hidden', keyword: '' });
}

/**
 * Throws StatementRefusedError when `sql` (one statement the guard allowed) names an object the
 * rules hide, names one it cannot resolve without `context`, or browses the catalog. Nothing is
 * checked when no rule is set.
 */
export function assertSqlVisible(
  sql: string,
  rules: ObjectVisibility,
  context: { readonly database?: string; readonly schema?: string } = {},
): void {
  if (!rules.active) return;
  const tokenized = tokenize(sql);
  if (!tokenized.ok) throw refuse(`cannot be read: ${tokenized.reason}`);
  const ts = tokenized.tokens;
  const first = ts.word(0);
  if (first !== undefined && CATALOG_STATEMENTS.has(first)) {
    throw refuse(
      `is ${first}: with visibility rules set, browse the catalog with the list_* and describe_* tools, which apply them`,
    );
  }
  for (let i = 0; i < ts.count; i++) {
    const name = ts.is(i, Tok.Word) || ts.is(i, Tok.Quoted) ? ts.name(i) : undefined;
    if (name !== undefined && CATALOG_NAMES.has(name)) {
      throw refuse(
        `reads ${name}: with visibility rules set, browse the catalog with the list_* and describe_* tools, which apply them`,
      );
    }
  }
  const db = context.database === undefined ? undefined : resolveName(context.database, 'database');
  const schema = context.schema === undefined ? undefined : resolveName(context.schema, 'schema');
  for (const ref of objectReferences(ts)) {
    const parts = ref.parts.slice(0, 3);
    const full =
      parts.length === 3
        ? parts
        : parts.length === 2 && db !== undefined
          ? [db, ...parts]
          : parts.length === 1 && db !== undefined && schema !== undefined
            ? [db, schema, ...parts]
            : undefined;
    const written = ref.parts.join('.');
    if (!full) {
      throw refuse(
        `names ${written} without its database${parts.length === 1 ? ' and schema' : ''}: with visibility rules ` +
          'set, write database.schema.object or pass the database and schema arguments',
      );
    }
    if (!rules.visible(full)) throw refuse(`names ${full.join('.')}, which the visibility rules hide`);
  }
}
