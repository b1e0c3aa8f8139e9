/**
 * SQL tools declared in config.toml: curated tools that run one fixed, parameterized statement.
 *
 * ```toml
 * [sql_tools.top_customers]
 * description = "Customers with the most orders in a region"
 * sql = "SELECT NAME, ORDERS FROM SAMPLE_DB.SALES.CUSTOMER_STATS WHERE REGION = :region LIMIT :n"
 * max_rows = 100
 * [sql_tools.top_customers.parameters.region]
 * type = "string"
 * description = "Region code, e.g. EU"
 * enum = ["EU", "US", "APAC"]
 * [sql_tools.top_customers.parameters.n]
 * type = "integer"
 * default = 10
 * ```
 *
 * This file checks the shape only (names, types, ranges, unknown keys); the SQL itself (placeholders
 * against parameters, the read-only guard) is checked where the tools are built. Every failure names
 * the file, the tool and the field.
 */
import { z } from 'zod';
import { SmcpError } from '../errors.js';
import { displayPath } from './settings-source.js';

/** Types a SQL tool parameter may have; each is bound as a value, never pasted into the SQL. */
export const SQL_TOOL_PARAMETER_TYPES = [
  'string',
  'integer',
  'number',
  'boolean',
  'date',
  'timestamp',
] as const;

/** One parameter's value as config.toml may give it (defaults, enum members). */
export type SqlToolValue = string | number | boolean;

/** One declared parameter of a SQL tool. */
export interface SqlToolParameter {
  readonly name: string;
  readonly type: (typeof SQL_TOOL_PARAMETER_TYPES)[number];
  readonly description?: string;
  /** A parameter with a default is never required. */
  readonly required: boolean;
  readonly default?: SqlToolValue;
  /** Allowed values (strings only). */
  readonly enum?: readonly string[];
  /** Bounds of integer and number parameters. */
  readonly minimum?: number;
  readonly maximum?: number;
  /** Longest string value (default 1000). */
  readonly maxLength?: number;
}

/** One SQL tool as declared. */
export interface SqlToolDefinition {
  /** Canonical tool name (the configured tool prefix is added when served). */
  readonly name: string;
  readonly title?: string;
  readonly description: string;
  /** One statement with `:name` placeholders. */
  readonly sql: string;
  /** Context for unqualified names in `sql`. */
  readonly database?: string;
  readonly schema?: string;
  /** The connection it runs on when several are served (default: the first). */
  readonly connection?: string;
  /** Rows the tool returns at most (within the server's max_rows). */
  readonly maxRows?: number;
  /** Statement timeout in seconds (within the server's limits). */
  readonly timeoutSeconds?: number;
  readonly parameters: readonly SqlToolParameter[];
}

/** Tool and parameter names: what MCP clients accept everywhere, never a JavaScript built-in. */
const NAME = /^[a-z][a-z0-9_]{0,47}$/;

const value = z.union([z.string().max(1000), z.number(), z.boolean()]);

const parameterSchema = z.strictObject({
  type: z.enum(SQL_TOOL_PARAMETER_TYPES),
  description: z.string().min(1).max(500).optional(),
  required: z.boolean().optional(),
  default: value.optional(),
  enum: z.array(z.string().min(1).max(200)).min(1).max(100).optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  max_length: z.int().min(1).max(100_000).optional(),
});

const toolSchema = z.strictObject({
  title: z.string().min(1).max(100).optional(),
  description: z.string().min(1).max(2000),
  sql: z.string().min(1).max(100_000),
  database: z.string().min(1).max(255).optional(),
  schema: z.string().min(1).max(255).optional(),
  connection: z.string().min(1).max(255).optional(),
  max_rows: z.int().min(1).max(10_000).optional(),
  timeout_s: z.int().min(1).max(86_400).optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
});

/** Most SQL tools one file may declare: each costs every client context on every turn. */
const MAX_TOOLS = 50;

function fail(file: string, field: string, message: string): SmcpError {
  return new SmcpError('CONFIG_INVALID', `${displayPath(file)} ${field}: ${message}`, { file, field });
}

/** The first zod issue as "<field>: <message>", the field under `base`. */
function firstIssue(base: string, error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  const path = issue?.path.filter((p) => typeof p === 'string' || typeof p === 'number') ?? [];
  const field = [base, ...path.map(String)].join('.');
  if (issue?.code === 'unrecognized_keys') {
    return { field, message: `unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')}` };
  }
  return { field, message: issue?.message ?? 'invalid' };
}

function checkDefault(file: string, field: string, p: z.output<typeof parameterSchema>): void {
  const d = p.default;
  if (d === undefined) return;
  const ok =
    p.type === 'boolean'
      ? typeof d === 'boolean'
      : p.type === 'integer'
        ? Number.isInteger(d)
        : p.type === 'number'
          ? typeof d === 'number'
          : typeof d === 'string';
  if (!ok) throw fail(file, `${field}.default`, `expected a ${p.type}, got ${JSON.stringify(d)}`);
  if (p.enum && typeof d === 'string' && !p.enum.includes(d)) {
    throw fail(file, `${field}.default`, `must be one of ${p.enum.join(', ')}`);
  }
}

function parseParameter(file: string, field: string, name: string, raw: unknown): SqlToolParameter {
  if (!NAME.test(name)) {
    throw fail(file, field, 'a parameter name is lower-case letters, digits and _ (starting with a letter)');
  }
  const parsed = parameterSchema.safeParse(raw);
  if (!parsed.success) {
    const { field: at, message } = firstIssue(field, parsed.error);
    throw fail(file, at, message);
  }
  const p = parsed.data;
  if (p.enum && p.type !== 'string') throw fail(file, `${field}.enum`, 'only string parameters take enum');
  const numeric = p.type === 'integer' || p.type === 'number';
  for (const key of ['minimum', 'maximum'] as const) {
    if (p[key] !== undefined && !numeric) throw fail(file, `${field}.${key}`, `only numbers take ${key}`);
  }
  if (p.max_length !== undefined && p.type !== 'string') {
    throw fail(file, `${field}.max_length`, 'only string parameters take max_length');
  }
  checkDefault(file, field, p);
  return {
    name,
    type: p.type,
    required: p.default === undefined && p.required !== false,
    ...(p.description !== undefined ? { description: p.description } : {}),
    ...(p.default !== undefined ? { default: p.default } : {}),
    ...(p.enum ? { enum: p.enum } : {}),
    ...(p.minimum !== undefined ? { minimum: p.minimum } : {}),
    ...(p.maximum !== undefined ? { maximum: p.maximum } : {}),
    ...(p.max_length !== undefined ? { maxLength: p.max_length } : {}),
  };
}

/**
 * The SQL tools of config.toml's `sql_tools` table (`raw`). Throws SmcpError CONFIG_INVALID naming
 * `file` and the field (`sql_tools.<tool>.<key>`) for anything malformed.
 */
export function parseSqlTools(file: string, key: string, raw: unknown): SqlToolDefinition[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw fail(file, key, 'expected a table of tools ([sql_tools.<name>] sections)');
  }
  const entries = Object.entries(raw);
  if (entries.length > MAX_TOOLS) throw fail(file, key, `at most ${MAX_TOOLS} tools`);
  return entries.map(([name, body]) => {
    const field = `${key}.${name}`;
    if (!NAME.test(name)) {
      throw fail(
        file,
        field,
        'a tool name is lower-case letters, digits and _ (starting with a letter, ≤ 48)',
      );
    }
    const parsed = toolSchema.safeParse(body);
    if (!parsed.success) {
      const { field: at, message } = firstIssue(field, parsed.error);
      throw fail(file, at, message);
    }
    const t = parsed.data;
    const parameters = Object.entries(t.parameters ?? {}).map(([p, spec]) =>
      parseParameter(file, `${field}.parameters.${p}`, p, spec),
    );
    return {
      name,
      description: t.description,
      sql: t.sql,
      parameters,
      ...(t.title !== undefined ? { title: t.title } : {}),
      ...(t.database !== undefined ? { database: t.database } : {}),
      ...(t.schema !== undefined ? { schema: t.schema } : {}),
      ...(t.connection !== undefined ? { connection: t.connection } : {}),
      ...(t.max_rows !== undefined ? { maxRows: t.max_rows } : {}),
      ...(t.timeout_s !== undefined ? { timeoutSeconds: t.timeout_s } : {}),
    };
  });
}
