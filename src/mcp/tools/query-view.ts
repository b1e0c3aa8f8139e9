/**
 * query_view: SELECT from one view (or table) without writing SQL. Names are quoted, never pasted;
 * the WHERE and ORDER BY fragments pass the guard's fragment check and the composed statement the
 * full read-only check.
 */
import { z } from 'zod';
import { qualifiedName, quoteIdentifier, resolveName } from '../identifiers.js';
import { tabularResultSchema } from '../result-format.js';
import { tabularAnswer } from '../tabular-answer.js';
import { assertFragmentAllowed, assertSqlAllowed } from '../sql-policy.js';
import { defineTool, READ_ONLY_HINTS } from '../tool-types.js';
import { assertSqlVisible, visibilityOf } from '../visibility-policy.js';
import { boundedText, formatArg, maxRowsArg, nameArg, timeoutArg } from './common.js';

/** The query_view tool. */
export const queryViewTool = defineTool({
  name: 'query_view',
  title: 'Query a view',
  description:
    'Reads rows of a view or table without writing SQL: SELECT columns FROM database.schema.view ' +
    '[WHERE where] [ORDER BY order_by] [LIMIT limit]; where and order_by are expressions only. Answers as execute_query.',
  inputSchema: z.strictObject({
    database: nameArg(),
    schema: nameArg(),
    view: nameArg('View (or table)'),
    columns: z.array(nameArg()).min(1).max(1000).optional().describe('Columns (default all)'),
    where: boundedText(10_000).optional().describe("e.g. REGION = 'EU' AND AMOUNT > 100"),
    order_by: boundedText(2000).optional().describe('e.g. AMOUNT DESC, ID'),
    limit: maxRowsArg.optional().describe('LIMIT (also caps the rows returned)'),
    timeout_s: timeoutArg.optional(),
    format: formatArg.optional(),
  }),
  outputSchema: tabularResultSchema,
  annotations: READ_ONLY_HINTS,
  async run(args, call) {
    const from = qualifiedName(
      resolveName(args.database, 'database'),
      resolveName(args.schema, 'schema'),
      resolveName(args.view, 'view'),
    );
    const columns = args.columns?.map((c, i) => quoteIdentifier(c, `columns[${i}]`)).join(', ') ?? '*';
    let sql = `SELECT ${columns}\nFROM ${from}`;
    if (args.where !== undefined) {
      assertFragmentAllowed(args.where, 'where', 'where');
      // Own lines: a fragment can never swallow the closing parenthesis or the clauses after it.
      sql += `\nWHERE (\n${args.where}\n)`;
    }
    if (args.order_by !== undefined) {
      assertFragmentAllowed(args.order_by, 'order_by', 'order_by');
      sql += `\nORDER BY\n${args.order_by}\n`;
    }
    if (args.limit !== undefined) sql += `\nLIMIT ${args.limit}`;
    assertSqlAllowed(sql, { allowWrite: false, allowDdl: false });
    assertSqlVisible(sql, visibilityOf(call.settings), args);
    const result = await call.query({
      sql,
      ...(args.limit !== undefined ? { maxRows: args.limit } : {}),
      ...(args.timeout_s !== undefined ? { timeoutSeconds: args.timeout_s } : {}),
      retryable: true,
      scansData: true,
    });
    return tabularAnswer(result, {
      offset: 0,
      format: args.format ?? call.settings.defaultFormat,
      fetchToolName: call.publicName('fetch_results'),
      maxBytes: call.settings.maxBytes,
    });
  },
});
