/** query_status: Snowflake's status of a query (RUNNING, SUCCESS, FAILED_WITH_ERROR, ABORTED, …). */
import { z } from 'zod';
import { defineTool } from '../tool-types.js';

/** The query_status tool. */
export const queryStatusTool = defineTool({
  name: 'query_status',
  title: 'Query status',
  description:
    "Reports Snowflake's status of a query by its query id: RUNNING, QUEUED, SUCCESS, FAILED_WITH_ERROR, " +
    'ABORTING, ABORTED, … Use it to check on long work before fetching its rows with fetch_results.',
  inputSchema: z.strictObject({ query_id: z.string().min(1).max(100).describe('The query id.') }),
  outputSchema: z.object({ queryId: z.string(), status: z.string(), running: z.boolean() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async run(args, call) {
    const status = await call.queryStatus(args.query_id);
    const running = [
      'RUNNING',
      'QUEUED',
      'RESUMING_WAREHOUSE',
      'QUEUED_REPARING_WAREHOUSE',
      'BLOCKED',
      'NO_DATA',
    ].includes(status);
    return {
      structured: { queryId: args.query_id, status, running },
      text: [`Query ${args.query_id}: ${status}`],
    };
  },
});
