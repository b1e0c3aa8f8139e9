/**
 * What a reload changes among the SQL tools of config.toml (`[sql_tools.<name>]`): tools are
 * matched by their name as declared; one whose definition differs in anything (statement,
 * parameters, description, limits, connection) is changed. The registry built from the new set
 * serves the difference; this only says what it was, for `smcp reload` and the log.
 */
import type { SqlToolDefinition } from '../config/sql-tools.js';

/** The SQL tools a reload added, removed and changed, by declared name, each list sorted. */
export interface SqlToolChanges {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
}

/** No change at all. */
export const NO_SQL_TOOL_CHANGES: SqlToolChanges = Object.freeze({ added: [], removed: [], changed: [] });

/** The difference between the SQL tools served (`before`) and those read again (`after`). */
export function sqlToolChanges(
  before: readonly SqlToolDefinition[],
  after: readonly SqlToolDefinition[],
): SqlToolChanges {
  const old = new Map(before.map((t) => [t.name, JSON.stringify(t)]));
  const now = new Map(after.map((t) => [t.name, JSON.stringify(t)]));
  const names = (keep: (name: string) => boolean, from: Map<string, string>): string[] =>
    [...from.keys()].filter(keep).sort();
  return {
    added: names((n) => !old.has(n), now),
    removed: names((n) => !now.has(n), old),
    changed: names((n) => old.has(n) && old.get(n) !== now.get(n), now),
  };
}

/** True when `changes` names any tool. */
export function anySqlToolChange(changes: SqlToolChanges): boolean {
  return changes.added.length + changes.removed.length + changes.changed.length > 0;
}
