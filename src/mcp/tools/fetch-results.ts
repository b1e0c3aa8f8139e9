/** fetch_results: more rows of an earlier (truncated) result, by query id and offset. */
import { z } from 'zod';
import { tabularResultSchema } from '../result-format.js';
import { tabularAnswer } from '../tabular-answer.js';
import { defineTool, READ_ONLY_HINTS } from '../tool-types.js';
import { formatArg, maxRowsArg } from './common.js';

/** The fetch_results tool. */
export const fetchResultsTool = defineTool({
  name: 'fetch_results',
  title: 'Fetch more result rows',
  description:
    'Returns rows [offset, offset + limit) of an earlier query result by its query id, e.g. to continue a ' +
    'truncated execute_query or query_view result from its nextOffset (same answer shape, totalRows included). ' +
    'Snowflake keeps results for 24 hours.',
  inputSchema: z.strictObject({
    query_id: z.string().min(1).max(100).describe('The queryId of the earlier result.'),
    offset: z.int().min(0).describe('Position of the first row to return (0-based).'),
    limit: maxRowsArg.optional().describe('Rows to return at most (capped by the server setting).'),
    format: formatArg.optional(),
  }),
  outputSchema: tabularResultSchema,
  annotations: READ_ONLY_HINTS,
  async run(args, call) {
    const result = await call.getResult(args.query_id, args.offset, args.limit ?? call.settings.maxRows);
    return tabularAnswer(result, {
      offset: args.offset,
      format: args.format ?? call.settings.defaultFormat,
      fetchToolName: call.publicName('fetch_results'),
      maxBytes: call.settings.maxBytes,
    });
  },
});
