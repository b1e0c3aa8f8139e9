/**
 * Safe SQL text for names and patterns that come from tool arguments. Names are never pasted: each
 * is resolved the way Snowflake resolves it (unquoted → upper case; "quoted" → exact) and emitted as
 * a double-quoted identifier with `"` doubled. Patterns for SHOW … LIKE (which takes no binds) are
 * emitted as escaped string literals.
 */
import { SmcpError } from '../errors.js';

/** Snowflake's unquoted identifier form. */
const UNQUOTED = /^[A-Za-z_][A-Za-z0-9_$]*$/;
/** Snowflake identifiers are at most 255 characters. */
const MAX_IDENTIFIER = 255;
// Control characters have no business in a name and could smuggle line breaks into logs.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The exact stored name for `input` as a user writes it: `sales` → `SALES`, `"Mixed Case"` →
 * `Mixed Case`, `My Table` (not a valid unquoted identifier) → taken exactly. Throws SmcpError
 * USAGE naming `field` when the name is empty, too long or has control characters.
 */
export function resolveName(input: string, field: string): string {
  let name: string;
  if (input.length >= 2 && input.startsWith('"') && input.endsWith('"')) {
    const inner = input.slice(1, -1);
    // Inside quotes a lone `"` is malformed; `""` stands for one `"`.
    if (inner.replace(/""/g, '').includes('"')) {
      throw new SmcpError('USAGE', `${field}: malformed quoted identifier ${input}`, { field });
    }
    name = inner.replace(/""/g, '"');
  } else {
    name = UNQUOTED.test(input) ? input.toUpperCase() : input;
  }
  if (name.length === 0) throw new SmcpError('USAGE', `${field} must not be empty`, { field });
  if (name.length > MAX_IDENTIFIER) {
    throw new SmcpError('USAGE', `${field} is longer than ${MAX_IDENTIFIER} characters`, { field });
  }
  if (CONTROL.test(name)) throw new SmcpError('USAGE', `${field} contains control characters`, { field });
  return name;
}

/** `name` (an exact stored name) as a double-quoted identifier. */
export function quoteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Resolves and quotes in one step: the SQL text for a user-given name. */
export function quoteIdentifier(input: string, field: string): string {
  return quoteName(resolveName(input, field));
}

/** `"DB"."SCHEMA"."OBJECT"` from exact stored names. */
export function qualifiedName(...names: string[]): string {
  return names.map(quoteName).join('.');
}

/**
 * A Snowflake string literal for `value`: quotes doubled and backslashes escaped (Snowflake reads
 * backslash escapes inside '…'). Control characters are refused.
 */
export function stringLiteral(value: string, field: string): string {
  if (CONTROL.test(value)) throw new SmcpError('USAGE', `${field} contains control characters`, { field });
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
