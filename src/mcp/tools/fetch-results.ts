/** fetch_results: more rows of an earlier (truncated) result, by query id and offset. */
import { z } from 'zod';
import { tabularResultSchema } from '../result-format.js';
import { tabularAnswer } from '../tabular-answer.js';
import { defineTool, READ_ONLY_HINTS } from '../tool-types.js';
import { boundedInt, boundedText, formatArg, maxRowsArg } from './common.js';

/** The fetch_results tool. */
export const fetchResultsTool = defineTool({
  name: 'fetch_results',
  title: 'Fetch rows',
  description:
    'More rows of a result you ran, by query id, from offset (a truncated answer gives nextOffset). ' +
    'Answers as execute_query. Results are kept 24 h, memory permitting (else RESULT_EXPIRED).',
  inputSchema: z.strictObject({
    query_id: boundedText(100),
    offset: boundedInt(0, 1e12).describe('0-based'),
    limit: maxRowsArg.optional(),
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
