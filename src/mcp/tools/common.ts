/**
 * Pieces the tool files share: argument schemas for Snowflake names, limits and formats, and the
 * markdown rendering of catalog listings.
 */
import { z } from 'zod';
import { markdownTable } from '../render-markdown.js';
import { MCP_LIMITS, RESULT_FORMATS } from '../settings.js';

const NAME_RULES =
  'Unquoted names are resolved as Snowflake does (upper case); wrap in double quotes for an exact, case-sensitive name.';

/** A database, schema or object name argument. */
export function nameArg(what: string): z.ZodString {
  return z.string().min(1).max(300).describe(`${what} name. ${NAME_RULES}`);
}

/** A SHOW … LIKE pattern argument. */
export const likeArg = z
  .string()
  .min(1)
  .max(300)
  .describe(
    "Case-insensitive SQL LIKE pattern on the name, e.g. 'ORDER%' ( % any characters, _ one character).",
  );

/** The max_rows argument (clamped to the configured row cap). */
export const maxRowsArg = z
  .int()
  .min(1)
  .max(MCP_LIMITS.maxRows)
  .describe('Rows to return at most (capped by the server setting); the rest via fetch_results.');

/** The timeout_s argument (clamped to the configured ceiling). */
export const timeoutArg = z
  .int()
  .min(1)
  .max(MCP_LIMITS.maxTimeoutSeconds)
  .describe(
    'Statement timeout in seconds (capped by the server setting); the statement is cancelled past it.',
  );

/** The format argument. */
export const formatArg = z
  .enum(RESULT_FORMATS)
  .describe(
    'Text rendering of the rows: markdown table (default; SQL NULL is *NULL*, text is backslash-escaped, ' +
      'a line feed is <br>), csv (SQL NULL is an empty field, an empty value is "") or json (rows as objects; ' +
      'a repeated column name gets the first free suffix: N, N, N_2 → N, N_3, N_2). Text shows control ' +
      'characters as \\xNN / \\u00NN; structuredContent is always the same, with exact values.',
  );

/** A markdown table of `items` with the given columns, plus a note when the listing was cut. */
export function listingText<T extends Record<string, unknown>>(
  items: readonly T[],
  columns: readonly (keyof T & string)[],
  truncated: boolean,
  noun: string,
): string {
  if (items.length === 0) return `No ${noun} found.`;
  const table = markdownTable(
    columns,
    items.map((item) => columns.map((c) => item[c] ?? null)),
  );
  const note = truncated
    ? `\n\nOnly the first ${items.length} ${noun} are shown (row limit); narrow with like.`
    : '';
  return `${table}${note}`;
}
