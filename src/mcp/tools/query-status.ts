/** query_status: Snowflake's status of a query (RUNNING, SUCCESS, FAILED_WITH_ERROR, ABORTED, …). */
import { z } from 'zod';
import { defineTool } from '../tool-types.js';
import { boundedText } from './common.js';

/** The query_status tool. */
export const queryStatusTool = defineTool({
  name: 'query_status',
  title: 'Query status',
  description: "Snowflake's status of a query you ran (RUNNING, SUCCESS, FAILED_WITH_ERROR, ABORTED, …).",
  inputSchema: z.strictObject({ query_id: boundedText(100) }),
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
