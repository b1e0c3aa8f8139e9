/**
 * Settings of the MCP layer: result caps, time limits, write switches, tool naming and progress
 * cadence. Validated once with zod and frozen; every tool reads them, none changes them.
 */
import { z } from 'zod';
import type { SqlToolDefinition } from '../config/sql-tools.js';
import { SmcpError } from '../errors.js';

/** Hard ceilings no configuration can pass: they keep one call from exhausting the daemon. */
export const MCP_LIMITS = {
  maxRows: 10_000,
  maxBytes: 10 * 1024 * 1024,
  maxTimeoutSeconds: 24 * 3600,
  progressIntervalMs: 5000,
} as const;

/** Text rendering of a result: a markdown table, CSV or JSON. */
export const RESULT_FORMATS = ['markdown', 'csv', 'json'] as const;
/** One of RESULT_FORMATS. */
export type ResultFormat = (typeof RESULT_FORMATS)[number];

/**
 * What the cost guard does with a read whose estimated scan is over budget: nothing (`off`), refuse
 * it, or ask the user to confirm (`confirm`, through MCP elicitation; refused where the client cannot
 * be asked). `auto`: on (refuse) for a Snowflake account or when a budget is set, off otherwise.
 */
export const COST_GUARD_MODES = ['auto', 'off', 'refuse', 'confirm'] as const;
/** One of COST_GUARD_MODES. */
export type CostGuardMode = (typeof COST_GUARD_MODES)[number];

/** The zod schema of McpSettings, with defaults; unknown keys are refused. */
export const mcpSettingsSchema = z
  .strictObject({
    /** Rows a call returns at most (default per call and per-call ceiling); more via fetch_results. */
    maxRows: z.int().min(1).max(MCP_LIMITS.maxRows).default(1000),
    /**
     * Bytes a call returns at most: the JSON of a query tool's whole result (text and
     * structuredContent), the JSON-RPC envelope aside.
     */
    maxBytes: z
      .int()
      .min(1024)
      .max(MCP_LIMITS.maxBytes)
      .default(1024 * 1024),
    /** Statement timeout when a call names none. */
    defaultTimeoutSeconds: z.int().min(1).max(MCP_LIMITS.maxTimeoutSeconds).default(60),
    /** Largest statement timeout a call may ask for. */
    maxTimeoutSeconds: z.int().min(1).max(MCP_LIMITS.maxTimeoutSeconds).default(3600),
    /** Allow DML (INSERT, UPDATE, MERGE, …) through execute_query. */
    allowWrite: z.boolean().default(false),
    /** Allow DDL (CREATE, ALTER, DROP, …) through execute_query; separate from allowWrite. */
    allowDdl: z.boolean().default(false),
    /** Prepended to every tool name, e.g. `snowflake_` → `snowflake_list_databases`. */
    toolPrefix: z
      .string()
      .max(32)
      .regex(/^[A-Za-z0-9_-]*$/, 'letters, digits, "_" and "-" only')
      .default(''),
    /** Text rendering of results when a call names none. */
    defaultFormat: z.enum(RESULT_FORMATS).default('markdown'),
    /** Interval of progress notifications while a query runs (≤ 5 s so clients keep waiting). */
    progressIntervalMs: z.int().min(10).max(MCP_LIMITS.progressIntervalMs).default(5000),
    /** How long catalog listings behind resources/list are reused across clients (0 = never). */
    resultCacheTtlSeconds: z.int().min(0).max(3600).default(60),
    /** How long cached metadata (list_*, describe_*, search_objects) stays fresh; 0 = no cache. */
    metadataTtlSeconds: z.int().min(0).max(86_400).default(300),
    /** Objects (databases, schemas, tables, views, columns) the metadata cache holds at most. */
    metadataMaxObjects: z.int().min(1000).max(10_000_000).default(500_000),
    /** Objects per resources/list page. */
    resourcePageSize: z.int().min(1).max(10_000).default(500),
    /**
     * The tools served, by canonical name (without prefix); empty = all. A client pays for every
     * listed tool's schema on every model turn: serve only what its agents use.
     */
    tools: z.array(z.string().min(1)).max(100).default([]),
    /** Visibility rules: patterns of the only places shown (none: all) and of hidden places. */
    showObjects: z.array(z.string().min(1).max(800)).max(1000).default([]),
    hideObjects: z.array(z.string().min(1).max(800)).max(1000).default([]),
    /**
     * Curated tools from config.toml's `[sql_tools.<name>]` sections (shape checked there; SQL and
     * names checked when the registry builds them). Served besides the built-in tools.
     */
    sqlTools: z
      .array(z.custom<SqlToolDefinition>((v) => typeof v === 'object' && v !== null))
      .max(50)
      .default([]),
    /** The cost guard's mode (see COST_GUARD_MODES). */
    costGuard: z.enum(COST_GUARD_MODES).default('auto'),
    /** Bytes one read may scan by Snowflake's estimate (0: no per-call budget); unset: the guard's default. */
    maxScanBytes: z.int().min(0).optional(),
    /** Bytes one client's reads may scan in a rolling hour (0: no such budget); unset: the guard's default. */
    maxScanBytesPerClient: z.int().min(0).optional(),
  })
  .refine((s) => s.defaultTimeoutSeconds <= s.maxTimeoutSeconds, {
    path: ['defaultTimeoutSeconds'],
    message: 'must not exceed maxTimeoutSeconds',
  });

/** Validated, frozen MCP settings. */
export type McpSettings = Readonly<z.output<typeof mcpSettingsSchema>>;
/** What a caller may set; everything else takes its default. */
export type McpSettingsInput = z.input<typeof mcpSettingsSchema>;

/**
 * Validates `partial` (defaults fill the rest) and returns frozen settings. Throws SmcpError
 * CONFIG_INVALID naming the first bad field.
 */
export function defineMcpSettings(partial: McpSettingsInput | Record<string, unknown> = {}): McpSettings {
  const input: Record<string, unknown> = { ...partial };
  // A default timeout above the default ceiling raises the ceiling rather than failing.
  const wanted = input.defaultTimeoutSeconds;
  if (input.maxTimeoutSeconds === undefined && typeof wanted === 'number' && wanted > 3600) {
    input.maxTimeoutSeconds = wanted;
  }
  const parsed = mcpSettingsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const unknownKey = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const field = unknownKey ?? (issue?.path.map(String).join('.') || 'mcp');
    throw new SmcpError('CONFIG_INVALID', `invalid MCP setting ${field}: ${issue?.message ?? 'bad value'}`, {
      field,
    });
  }
  return Object.freeze(parsed.data);
}

/** The defaults, frozen. */
export const DEFAULT_MCP_SETTINGS: McpSettings = defineMcpSettings({});
