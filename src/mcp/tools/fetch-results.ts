/** fetch_results: more rows of an earlier (truncated) result, by query id and offset. */
import { z } from 'zod';
import { renderTabular, tabularResult, tabularResultSchema } from '../result-format.js';
import { defineTool, READ_ONLY_HINTS } from '../tool-types.js';
import { formatArg, maxRowsArg } from './common.js';

/** The fetch_results tool. */
export const fetchResultsTool = defineTool({
  name: 'fetch_results',
  title: 'Fetch more result rows',
  description:
    'Returns rows [offset, offset + limit) of an earlier query result by its query id, e.g. to continue a ' +
    'truncated execute_query or query_view result from its nextOffset. Snowflake keeps results for 24 hours; ' +
    'the local emulator keeps them 24 hours too, from any session, but within its memory and disk budget ' +
    '(least recently used evicted first) and not across a restart: then the error is RESULT_EXPIRED with the reason.',
  inputSchema: z.object({
    query_id: z.string().min(1).max(100).describe('The queryId of the earlier result.'),
    offset: z.int().min(0).describe('Position of the first row to return (0-based).'),
    limit: maxRowsArg.optional().describe('Rows to return at most (capped by the server setting).'),
    format: formatArg.optional(),
  }),
  outputSchema: tabularResultSchema,
  annotations: READ_ONLY_HINTS,
  async run(args, call) {
    const result = await call.getResult(args.query_id, args.offset, args.limit ?? call.settings.maxRows);
    const structured = tabularResult(result, args.offset);
    const format = args.format ?? call.settings.defaultFormat;
    return { structured, text: renderTabular(structured, format, call.publicName('fetch_results')) };
  },
});
