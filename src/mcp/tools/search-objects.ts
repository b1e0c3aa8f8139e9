/**
 * search_objects: databases, schemas, tables, views and columns by name or comment, across the
 * account or within one database or schema, answered from the metadata cache (filled on first
 * use). Its listing is kept small: every tools/list costs context on every model turn.
 */
import { z } from 'zod';
import { escapeControls } from '../control-chars.js';
import { markdownTable } from '../render-markdown.js';
import { SEARCH_DETAILS, SEARCH_KINDS, searchMetadata } from '../metadata-search.js';
import type { SearchMatch, SearchOutcome } from '../metadata-search.js';
import { metadataCacheFor } from '../metadata-cache.js';
import { unlisted } from '../tool-schemas.js';
import { defineTool, READ_ONLY_HINTS } from '../tool-types.js';
import { boundedInt, boundedText, nameArg } from './common.js';

/** Matches answered at most per call. */
const MAX_LIMIT = 1000;

function outcomeText(outcome: SearchOutcome, limit: number): string {
  const { matches } = outcome;
  const lines: string[] = [];
  if (matches.length === 0) lines.push('No matches.');
  else if (typeof matches[0] === 'string') lines.push(...(matches as string[]).map((m) => escapeControls(m)));
  else {
    const rows = (matches as SearchMatch[]).map((m) => [
      m.name,
      m.kind,
      m.type ?? m.rows ?? '',
      m.columnCount ?? '',
      m.comment,
      ...(m.columns ? [m.columns.map((c) => `${c.name} ${c.type}`).join(', ')] : []),
    ]);
    const full = (matches as SearchMatch[]).some((m) => m.columns);
    lines.push(
      markdownTable(
        ['name', 'kind', 'type / rows', 'columns', 'comment', ...(full ? ['column list'] : [])],
        rows,
      ),
    );
  }
  if (outcome.truncated) {
    lines.push(
      '',
      outcome.truncatedBy === 'bytes'
        ? 'More matches were left out to keep the answer small: narrow the pattern, kinds, database or schema, or lower detail.'
        : `Only the first ${limit} matches are shown: narrow the pattern, kinds, database or schema, or raise limit.`,
    );
  }
  lines.push('', `Metadata age: ${outcome.metadataAgeSeconds} s.`);
  return lines.join('\n');
}

/** The search_objects tool. */
export const searchObjectsTool = defineTool({
  name: 'search_objects',
  title: 'Search objects',
  description:
    'Finds databases, schemas, tables, views, columns by name or comment. ' +
    'pattern: LIKE (no % = contains) or /regex/. detail: names, summary (+kind, rows, comment), full (+columns).',
  inputSchema: z.strictObject({
    pattern: boundedText(300),
    kinds: z.array(z.enum(SEARCH_KINDS)).optional(),
    database: nameArg().optional(),
    schema: nameArg().optional(),
    detail: z.enum(SEARCH_DETAILS).optional(),
    limit: boundedInt(1, MAX_LIMIT).optional(),
  }),
  outputSchema: z.object({
    matches: z.array(z.unknown()),
    truncated: z.boolean(),
    truncatedBy: unlisted(z.enum(['limit', 'bytes']).optional()),
    metadataAgeSeconds: unlisted(z.number()),
  }),
  annotations: READ_ONLY_HINTS,
  async run(args, call) {
    const limit = args.limit ?? 50;
    const outcome = await searchMetadata(call, call.metadata ?? metadataCacheFor(call.settings), {
      pattern: args.pattern,
      kinds: args.kinds ?? [],
      ...(args.database !== undefined ? { database: args.database } : {}),
      ...(args.schema !== undefined ? { schema: args.schema } : {}),
      detail: args.detail ?? 'names',
      limit,
      // Text and structured content both carry the matches: each gets under half the cap.
      maxBytes: Math.floor(call.settings.maxBytes * 0.4),
    });
    return { structured: { ...outcome }, text: [outcomeText(outcome, limit)] };
  },
});
