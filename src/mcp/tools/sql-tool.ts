/**
 * Tools declared in config.toml's `[sql_tools.<name>]` sections: one fixed statement whose `:name`
 * placeholders are bound from typed arguments (sent as bind values, never pasted into the text).
 * Each is checked when it is built: placeholders against declared parameters, and the statement
 * against the read-only guard under the server's write switches, so a tool that would write on a
 * read-only server never starts. At run time it goes through the same limits, request tracking,
 * cancellation and QUERY_TAG as execute_query.
 */
import { z } from 'zod';
import type { SqlToolDefinition, SqlToolParameter, SqlToolValue } from '../../config/sql-tools.js';
import { SmcpError } from '../../errors.js';
import type { QueryBind } from '../../snowflake/client.js';
import { Tok, tokenize } from '../guard/tokenizer.js';
import { tabularResultSchema } from '../result-format.js';
import type { McpSettings } from '../settings.js';
import { assertSqlAllowed, StatementRefusedError } from '../sql-policy.js';
import { tabularAnswer } from '../tabular-answer.js';
import type { StrictInput, Tool, ToolHints } from '../tool-types.js';
import { defineTool, READ_ONLY_HINTS } from '../tool-types.js';
import { assertSqlVisible, visibilityOf } from '../visibility-policy.js';
import { formatArg, maxRowsArg, timeoutArg } from './common.js';

/** A SQL tool's statement with `?` binds in place of its placeholders. */
export interface CompiledSql {
  readonly sql: string;
  /** The parameter bound to each `?`, in order (a parameter may appear more than once). */
  readonly order: readonly string[];
}

/** Arguments every SQL tool takes besides its parameters (names a parameter may not use). */
const COMMON_ARGUMENTS = ['max_rows', 'timeout_s', 'format'] as const;

const WRITE_HINTS: ToolHints = Object.freeze({
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: false,
  openWorldHint: false,
});

function invalid(def: SqlToolDefinition, key: string, message: string): SmcpError {
  return new SmcpError('CONFIG_INVALID', `sql_tools.${def.name}.${key}: ${message}`, {
    field: `sql_tools.${def.name}.${key}`,
  });
}

/**
 * Replaces the `:name` placeholders of `def.sql` with `?`. A colon right after a column, a quoted
 * name or a closing parenthesis (`v:field`) is a VARIANT path, not a placeholder; one inside a
 * string, quoted name or comment is text. Throws CONFIG_INVALID for a placeholder that names no
 * parameter, a parameter no placeholder uses, or SQL the guard cannot read.
 */
export function compileSqlTool(def: SqlToolDefinition): CompiledSql {
  const tokenized = tokenize(def.sql);
  if (!tokenized.ok) throw invalid(def, 'sql', `${tokenized.reason} (at offset ${tokenized.offset})`);
  const t = tokenized.tokens;
  const declared = new Set(def.parameters.map((p) => p.name));
  const order: string[] = [];
  let sql = '';
  let copied = 0;
  for (let i = 0; i < t.count; i++) {
    if (!t.is(i, Tok.Colon) || !t.is(i + 1, Tok.Word) || t.end(i) !== t.start(i + 1)) continue;
    const prev = i - 1;
    const afterValue = [Tok.Word, Tok.Quoted, Tok.RParen].some((k) => t.is(prev, k)) || t.text(prev) === ']';
    if (prev >= 0 && afterValue && t.end(prev) === t.start(i)) continue;
    const name = t.text(i + 1);
    if (!declared.has(name)) {
      throw invalid(
        def,
        'sql',
        `placeholder :${name} names no parameter (declare [sql_tools.${def.name}.parameters.${name}])`,
      );
    }
    order.push(name);
    sql += `${def.sql.slice(copied, t.start(i))}?`;
    copied = t.end(i + 1);
    i++;
  }
  sql += def.sql.slice(copied);
  for (const p of def.parameters) {
    if (!order.includes(p.name))
      throw invalid(def, `parameters.${p.name}`, `no :${p.name} placeholder in sql uses it`);
  }
  return { sql, order };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** The zod schema of one parameter's argument. */
function parameterSchema(p: SqlToolParameter): z.ZodType<SqlToolValue | undefined> {
  let schema: z.ZodType<SqlToolValue>;
  switch (p.type) {
    case 'boolean':
      schema = z.boolean();
      break;
    case 'integer':
    case 'number': {
      let n = p.type === 'integer' ? z.int() : z.number();
      if (p.minimum !== undefined) n = n.min(p.minimum);
      if (p.maximum !== undefined) n = n.max(p.maximum);
      schema = n;
      break;
    }
    case 'date':
      schema = z.string().regex(DATE, 'expected a date YYYY-MM-DD');
      break;
    case 'timestamp':
      schema = z.string().regex(TIMESTAMP, 'expected a timestamp YYYY-MM-DD HH:MM[:SS[.fff]][offset]');
      break;
    default:
      schema =
        p.enum && p.enum.length > 0
          ? z.enum(p.enum as [string, ...string[]])
          : z.string().max(p.maxLength ?? 1000);
  }
  if (p.description) schema = schema.describe(p.description);
  return p.required ? schema : schema.optional();
}

function inputSchemaOf(def: SqlToolDefinition): StrictInput {
  const shape: Record<string, z.ZodType> = {};
  for (const p of def.parameters) {
    if ((COMMON_ARGUMENTS as readonly string[]).includes(p.name)) {
      throw invalid(def, `parameters.${p.name}`, `${p.name} is an argument every SQL tool takes; rename it`);
    }
    shape[p.name] = parameterSchema(p);
  }
  shape.max_rows = maxRowsArg.optional();
  shape.timeout_s = timeoutArg.optional();
  shape.format = formatArg.optional();
  return z.strictObject(shape);
}

/** The bind value of one parameter: the argument, else its default, else SQL NULL. */
function bindOf(p: SqlToolParameter | undefined, args: Record<string, unknown>, name: string): QueryBind {
  const given = args[name];
  if (given !== undefined) return given as QueryBind;
  return p?.default ?? null;
}

/**
 * The tool for `def` under `settings` (its write switches decide whether the statement may run).
 * Throws CONFIG_INVALID naming `sql_tools.<name>.<field>` when the definition cannot be served.
 */
export function sqlTool(def: SqlToolDefinition, settings: McpSettings): Tool {
  const compiled = compileSqlTool(def);
  let readOnly: boolean;
  let kind: string;
  try {
    ({ readOnly, kind } = assertSqlAllowed(compiled.sql, settings));
    assertSqlVisible(compiled.sql, visibilityOf(settings), def);
  } catch (err) {
    if (err instanceof StatementRefusedError) throw invalid(def, 'sql', err.message);
    throw err;
  }
  const byName = new Map(def.parameters.map((p) => [p.name, p]));
  const tool = defineTool({
    name: def.name,
    title: def.title ?? def.name,
    description: def.description,
    inputSchema: inputSchemaOf(def),
    outputSchema: tabularResultSchema,
    annotations: readOnly ? READ_ONLY_HINTS : WRITE_HINTS,
    async run(args: Record<string, unknown>, call) {
      const maxRows = typeof args.max_rows === 'number' ? args.max_rows : def.maxRows;
      const timeoutSeconds = typeof args.timeout_s === 'number' ? args.timeout_s : def.timeoutSeconds;
      const result = await call.query({
        sql: compiled.sql,
        binds: compiled.order.map((name) => bindOf(byName.get(name), args, name)),
        ...(def.database !== undefined ? { database: def.database } : {}),
        ...(def.schema !== undefined ? { schema: def.schema } : {}),
        ...(maxRows !== undefined ? { maxRows } : {}),
        ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
        retryable: readOnly,
        scansData: kind === 'select',
      });
      const format =
        typeof args.format === 'string' ? (args.format as McpSettings['defaultFormat']) : undefined;
      return tabularAnswer(result, {
        offset: 0,
        format: format ?? call.settings.defaultFormat,
        fetchToolName: call.publicName('fetch_results'),
        maxBytes: call.settings.maxBytes,
      });
    },
  });
  return def.connection !== undefined ? { ...tool, connection: def.connection } : tool;
}
