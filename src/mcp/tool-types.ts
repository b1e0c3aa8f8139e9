/**
 * What a tool is (name, description, zod input and output schemas, annotations, a run function)
 * and what it gets to work with per call (ToolCall: settings, the request context, and query
 * helpers that already apply limits, cancellation, progress and QUERY_TAG). Tools know nothing of
 * MCP transports: the same definition serves MCP tools/call, the plain HTTP tool API and `smcp call`.
 */
import type { z } from 'zod';
import type { QueryBind, QueryResult, SnowflakeClient } from '../snowflake/client.js';
import type { ConnectionFacts } from './connection-directory.js';
import type { MetadataCache } from './metadata-cache.js';
import type { RequestContext } from './request-context.js';
import type { McpSettings } from './settings.js';

/**
 * What the MCP layer asks of the client layer. A narrow view of SnowflakeClient, so the daemon can
 * put a switchable client behind it (a reload swaps the pool without dropping sessions).
 */
export type QueryClient = Pick<SnowflakeClient, 'query' | 'getResult' | 'queryStatus'>;

/** MCP tool annotations (hints for clients; never a security boundary). */
export interface ToolHints {
  readonly readOnlyHint: boolean;
  readonly destructiveHint: boolean;
  readonly idempotentHint: boolean;
  readonly openWorldHint: boolean;
}

/** A successful tool answer: structured data plus readable text blocks. */
export interface ToolOutput {
  readonly structured: Record<string, unknown>;
  readonly text: readonly string[];
}

/** A statement a tool wants run; limits default to (and are clamped by) the settings. */
export interface ToolQuery {
  readonly sql: string;
  readonly binds?: readonly QueryBind[];
  readonly database?: string;
  readonly schema?: string;
  readonly maxRows?: number;
  readonly timeoutSeconds?: number;
  /** True only for statements the guard classified read-only: they may be retried once. */
  readonly retryable: boolean;
  /**
   * True for reads that scan table data (SELECT, WITH … SELECT): the cost guard, when on, has
   * Snowflake estimate the scan first and holds it to the budgets.
   */
  readonly scansData?: boolean;
  /**
   * True for catalog reads that fill the metadata cache: never answered as they are, so they may
   * read up to the hard ceilings (MCP_LIMITS) rather than the call's row and byte caps.
   */
  readonly forCache?: boolean;
}

/** Everything a tool's run function may use during one call. */
export interface ToolCall {
  readonly settings: McpSettings;
  readonly client: QueryClient;
  readonly context: RequestContext;
  readonly signal?: AbortSignal;
  /** The connection's metadata cache (list_*, describe_*, search_objects); absent: none. */
  readonly metadata?: MetadataCache;
  /** The public name of a tool (with the configured prefix), for hints in text. */
  publicName(tool: string): string;
  /** Runs a statement with the call's limits, signal, progress reporting and QUERY_TAG. */
  query(request: ToolQuery): Promise<QueryResult>;
  /** Reads rows [offset, offset + limit) of an earlier result, with progress and cancellation. */
  getResult(queryId: string, offset: number, limit: number, forCache?: boolean): Promise<QueryResult>;
  /** Snowflake's status of a query. */
  queryStatus(queryId: string): Promise<string>;
  /** Throws RESULT_NOT_FOUND unless smcp ran `queryId` for this call's client. */
  assertOwnsQuery(queryId: string): void;
  /** The connections served, when there are several (list_connections). */
  readonly connections?: () => ConnectionFacts[];
}

/** A tool definition with its argument type erased (what registries hold). */
export interface Tool {
  /** Canonical name (without prefix), e.g. `list_databases`. */
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /**
   * A strict object schema (`z.strictObject`): its JSON schema says `additionalProperties: false`
   * and the registry refuses arguments the tool does not take.
   */
  readonly inputSchema: StrictInput;
  readonly outputSchema: z.ZodType<Record<string, unknown>>;
  /** Hints, or a function of the settings (execute_query only reads when writes are off). */
  readonly annotations: ToolHints | ((settings: McpSettings) => ToolHints);
  /** The connection it runs on when a call names none (a SQL tool's own); absent: the default. */
  readonly connection?: string;
  /** Runs with arguments already checked against `inputSchema`. Throws SmcpError for expected failures. */
  run(args: unknown, call: ToolCall): Promise<ToolOutput>;
}

/** The input schema of every tool: an object that takes no argument it does not name. */
export type StrictInput = z.ZodObject<z.ZodRawShape, z.core.$strict>;

/** A tool definition with typed arguments, as tool files write it. */
export interface ToolSpec<I extends StrictInput> extends Omit<Tool, 'run' | 'inputSchema'> {
  readonly inputSchema: I;
  run(args: z.output<I>, call: ToolCall): Promise<ToolOutput>;
}

/** Erases a ToolSpec's argument type; the registry validates arguments before `run`. */
export function defineTool<I extends StrictInput>(spec: ToolSpec<I>): Tool {
  return { ...spec, run: (args, call) => spec.run(args as z.output<I>, call) };
}

/** Annotations of a tool that only reads Snowflake metadata or data. */
export const READ_ONLY_HINTS: ToolHints = Object.freeze({
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
});
