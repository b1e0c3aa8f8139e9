/**
 * execute_query: one SQL statement, checked by the SQL guard first (read-only unless writes are
 * switched on), run with the call's row, byte and time limits.
 */
import { z } from 'zod';
import { tabularResultSchema } from '../result-format.js';
import { tabularAnswer } from '../tabular-answer.js';
import { assertResultScansOwned, assertSqlAllowed } from '../sql-policy.js';
import { defineTool, READ_ONLY_HINTS } from '../tool-types.js';
import { assertSqlVisible, visibilityOf } from '../visibility-policy.js';
import { boundedText, formatArg, maxRowsArg, nameArg, timeoutArg } from './common.js';

/** The execute_query tool. */
export const executeQueryTool = defineTool({
  name: 'execute_query',
  title: 'Run SQL',
  description:
    'Runs one Snowflake SQL statement; read-only (SELECT, WITH, SHOW, DESCRIBE, EXPLAIN) unless the ' +
    'server allows writes. Capped in rows and bytes: fetch_results continues a truncated answer from ' +
    'nextOffset; cutValues lists values cut to fit. structuredContent is exact (SQL NULL null, jsonNulls ' +
    'marks VARIANT nulls). format: markdown (NULL *NULL*, line feed <br>), csv ' +
    '(NULL empty, "" empty text) or json.',
  inputSchema: z.strictObject({
    sql: boundedText(1_000_000).describe('One statement'),
    database: nameArg('Database for unqualified names').optional(),
    schema: nameArg('Schema for unqualified names').optional(),
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
    const { readOnly, kind } = assertSqlAllowed(args.sql, call.settings);
    assertResultScansOwned(args.sql, (id) => call.assertOwnsQuery(id));
    assertSqlVisible(args.sql, visibilityOf(call.settings), args);
    const result = await call.query({
      sql: args.sql,
      ...(args.database !== undefined ? { database: args.database } : {}),
      ...(args.schema !== undefined ? { schema: args.schema } : {}),
      ...(args.max_rows !== undefined ? { maxRows: args.max_rows } : {}),
      ...(args.timeout_s !== undefined ? { timeoutSeconds: args.timeout_s } : {}),
      retryable: readOnly,
      scansData: kind === 'select',
    });
    // Cached metadata may now be wrong (a table created, dropped, renamed, commented, altered).
    if (kind === 'ddl') call.metadata?.invalidate();
    return tabularAnswer(result, {
      offset: 0,
      format: args.format ?? call.settings.defaultFormat,
      fetchToolName: call.publicName('fetch_results'),
      maxBytes: call.settings.maxBytes,
    });
  },
});
