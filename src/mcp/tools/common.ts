/**
 * Pieces the tool files share: argument schemas for Snowflake names, limits and formats, and the
 * markdown rendering of catalog listings.
 */
import { z } from 'zod';
import { markdownTable } from '../render-markdown.js';
import { MCP_LIMITS, RESULT_FORMATS } from '../settings.js';
import { unlisted } from '../tool-schemas.js';

/**
 * Output property of the catalog tools: seconds since Snowflake gave the metadata, when it came
 * from the metadata cache. Left out of the listing (said once, in search_objects' description).
 */
export const ageSchema = unlisted(z.number().optional());

/** `{ metadataAgeSeconds }` when the age is known, else nothing. */
export function aged(ageSeconds: number | undefined): { metadataAgeSeconds?: number } {
  return ageSeconds === undefined ? {} : { metadataAgeSeconds: ageSeconds };
}

/**
 * A database, schema or object name argument: 1 to 300 characters, checked by a refinement so the
 * listed schema stays `{"type": "string"}`. How names resolve (unquoted upper-cased, "quoted"
 * exact) is said once, in list_databases' description, not in every property: every tools/list
 * costs context on every model turn. `what` describes it where its name does not say enough.
 */
export function nameArg(what?: string): z.ZodType<string> {
  const name = boundedText(300);
  return what ? name.describe(what) : name;
}

/**
 * A string of 1 to `max` characters, bounded by a refinement: the check holds on every path, and
 * the listed schema stays `{"type": "string"}` (limits every caller can meet need no context).
 */
export function boundedText(max: number): z.ZodType<string> {
  return z
    .string()
    .refine((v) => v.length >= 1 && v.length <= max, { message: `must be 1 to ${max} characters` });
}

/**
 * An integer from `min` to `max`, bounded by a refinement: the listed schema stays
 * `{"type": "integer"}` (the description says the server caps it; a value out of range is refused
 * with the range named).
 */
export function boundedInt(min: number, max: number): z.ZodType<number> {
  return z.int().refine((v) => v >= min && v <= max, { message: `must be ${min} to ${max}` });
}

/** A SHOW … LIKE pattern argument. */
export const likeArg = boundedText(300).describe("LIKE pattern on the name, e.g. 'ORDER%'");

/** The max_rows argument (clamped to the configured row cap). */
export const maxRowsArg = boundedInt(1, MCP_LIMITS.maxRows).describe('Most rows to return (server-capped)');

/** The timeout_s argument (clamped to the configured ceiling). */
export const timeoutArg = boundedInt(1, MCP_LIMITS.maxTimeoutSeconds).describe(
  'Seconds before cancelling (server-capped)',
);

/** The format argument. */
export const formatArg = z.enum(RESULT_FORMATS).describe('Text rendering');

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
