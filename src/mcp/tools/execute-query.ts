/**
 * execute_query: one SQL statement, checked by the SQL guard first (read-only unless writes are
 * switched on), run with the call's row, byte and time limits.
 */
import { z } from 'zod';
import { tabularResultSchema } from '../result-format.js';
import { tabularAnswer } from '../tabular-answer.js';
import { assertResultScansOwned, assertSqlAllowed } from '../sql-policy.js';
import { defineTool, READ_ONLY_HINTS } from '../tool-types.js';
import { formatArg, maxRowsArg, nameArg, timeoutArg } from './common.js';

/** The execute_query tool. */
export const executeQueryTool = defineTool({
  name: 'execute_query',
  title: 'Execute a SQL query',
  description:
    'Runs one Snowflake SQL statement and returns its rows. Read-only unless the server allows writes: ' +
    'SELECT, WITH … SELECT, SHOW, DESCRIBE and EXPLAIN only; anything else is refused with the reason. ' +
    'Results are capped by rows and bytes (max_bytes bounds the whole answer, text and structured); a truncated ' +
    'result names the query id and offset for fetch_results, and a value too big for the byte cap comes back cut ' +
    '(listed in cutValues). In rows SQL NULL is null; jsonNulls lists VARIANT cells holding JSON null. ' +
    'Long statements report progress and are cancelled in Snowflake when the call is cancelled.',
  inputSchema: z.strictObject({
    sql: z.string().min(1).max(1_000_000).describe('One SQL statement (Snowflake dialect).'),
    database: nameArg('Database to run in (USE DATABASE for this call only)').optional(),
    schema: nameArg('Schema to run in (USE SCHEMA for this call only)').optional(),
    max_rows: maxRowsArg.optional(),
    timeout_s: timeoutArg.optional(),
    format: formatArg.optional(),
  }),
  outputSchema: tabularResultSchema,
  annotations: (settings) =>
    settings.allowWrite || settings.allowDdl
      ? { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false }
      : READ_ONLY_HINTS,
  async run(args, call) {
    const { readOnly } = assertSqlAllowed(args.sql, call.settings);
    assertResultScansOwned(args.sql, (id) => call.assertOwnsQuery(id));
    const result = await call.query({
      sql: args.sql,
      ...(args.database !== undefined ? { database: args.database } : {}),
      ...(args.schema !== undefined ? { schema: args.schema } : {}),
      ...(args.max_rows !== undefined ? { maxRows: args.max_rows } : {}),
      ...(args.timeout_s !== undefined ? { timeoutSeconds: args.timeout_s } : {}),
      retryable: readOnly,
    });
    return tabularAnswer(result, {
      offset: 0,
      format: args.format ?? call.settings.defaultFormat,
      fetchToolName: call.publicName('fetch_results'),
      maxBytes: call.settings.maxBytes,
    });
  },
});
