/**
 * The tools as a transport-free service: their public listing (names with the configured prefix,
 * JSON schemas, annotations) and one way to call them, used by MCP tools/call, the plain HTTP tool
 * API (GET /mcp/tools, POST /mcp/tools/call) and `smcp call` alike. Each call runs in its own
 * request context (request id, client, transport, tool → logs, /status, QUERY_TAG), is tracked
 * while in flight, and ends as a ToolResult: expected failures are error results, not throws.
 * Arguments are checked here, for every path, against each tool's strict input schema
 * (tool-arguments.ts): an argument a tool does not take is refused, never ignored.
 */
import { z } from 'zod';
import { SmcpError, isSmcpError } from '../errors.js';
import { silentLogger } from '../logger.js';
import type { McpDeps } from './mcp-deps.js';
import type { ClientIdentity, RequestContext } from './request-context.js';
import { currentRequestContext, newRequestContext } from './request-context.js';
import { nearestName, parseToolArguments } from './tool-arguments.js';
import type { CallOptions } from './tool-runtime.js';
import { createToolCall } from './tool-runtime.js';
import { QueryOwnership } from './query-ownership.js';
import { logRefusal } from './refusal-log.js';
import { StatementRefusedError } from './sql-policy.js';
import { errorResult, successResult } from './tool-result.js';
import type { ToolResult } from './tool-result.js';
import type { Tool, ToolCall, ToolHints } from './tool-types.js';
import { TOOLS } from './tools/index.js';

/** A tool as GET /mcp/tools and tools/list describe it. */
export interface ToolListing {
  /** Public name, with the configured prefix. */
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly inputSchema: Record<string, unknown>;
  readonly outputSchema: Record<string, unknown>;
  readonly annotations: ToolHints;
}

/** The tools of one configuration, callable without an MCP transport. */
export interface ToolRegistry {
  /** Every tool's public listing, in a stable order. */
  listTools(): ToolListing[];
  /** The tool behind a public name, if any. */
  find(publicName: string): Tool | undefined;
  /** A tool's public name (with prefix) from its canonical name. */
  publicName(canonical: string): string;
  /** A tool's annotations under the current settings. */
  hints(tool: Tool): ToolHints;
  /**
   * Checks `args` and runs the tool named `name` (public name), for callers with their own error
   * shape for bad requests (the plain HTTP tool API, the admin socket, `smcp call`). Throws
   * SmcpError NOT_FOUND (field `name`) for an unknown tool and USAGE (field = first bad argument)
   * for arguments the tool does not take or values that do not fit; every other outcome is a
   * ToolResult (isError for failures).
   */
  callTool(name: string, args: unknown, identity: ClientIdentity, options?: CallOptions): Promise<ToolResult>;
  /**
   * Checks `args` and runs `tool` (MCP path): every outcome is a ToolResult, bad arguments too
   * (isError, USAGE), so the model reads what to correct.
   */
  invoke(tool: Tool, args: unknown, identity: ClientIdentity, options?: CallOptions): Promise<ToolResult>;
  /** The SmcpError NOT_FOUND for a tool name that is not served, naming the nearest and all tools. */
  unknownTool(name: string): SmcpError;
  /**
   * Runs `work` in a tracked request context labelled `label` (e.g. `resources/read`) with a
   * ToolCall: for non-tool requests that query Snowflake. Errors propagate.
   */
  runInContext<T>(
    label: string,
    identity: ClientIdentity,
    options: CallOptions,
    work: (call: ToolCall) => Promise<T>,
  ): Promise<T>;
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  return rest;
}

/** Builds the registry over `deps` (one per configuration; cheap to call concurrently). */
export function createToolRegistry(deps: McpDeps): ToolRegistry {
  const { client, settings, tracker } = deps;
  const ownership = deps.ownership ?? new QueryOwnership();
  const logger = deps.logger ?? silentLogger;
  const publicName = (canonical: string): string => `${settings.toolPrefix}${canonical}`;
  const byName = new Map(TOOLS.map((t) => [publicName(t.name), t]));
  const hints = (tool: Tool): ToolHints =>
    typeof tool.annotations === 'function' ? tool.annotations(settings) : tool.annotations;
  let listing: ToolListing[] | undefined;

  const runInContext = async <T>(
    label: string,
    identity: ClientIdentity,
    options: CallOptions,
    work: (call: ToolCall) => Promise<T>,
  ): Promise<T> => {
    // A transport that carried the request has already opened (and tracks) its context: keep its
    // request id so /status lists the call once and QUERY_TAG matches the transport's logs.
    const outer = currentRequestContext();
    if (outer && !outer.tool) outer.tool = label;
    // The call ends when its client cancels it, when the transport that carried it goes away
    // (the outer context's signal), or when the drain deadline cancels everything.
    const linked = tracker.linkSignal(options.signal, outer?.signal);
    options = { ...options, signal: linked.signal };
    const context: RequestContext = outer
      ? { ...outer, tool: label, signal: linked.signal }
      : newRequestContext(identity, linked.signal, label);
    const end = outer ? undefined : tracker.begin(context);
    try {
      // The context travels explicitly from here on (nothing below reads the ambient one).
      return await work(createToolCall({ client, settings, context, options, publicName, ownership }));
    } finally {
      linked.unlink();
      end?.();
    }
  };

  /** Runs `tool` with checked arguments; failures become error results. */
  const run = async (
    tool: Tool,
    args: Record<string, unknown>,
    identity: ClientIdentity,
    options: CallOptions,
  ): Promise<ToolResult> => {
    try {
      const output = await runInContext(tool.name, identity, options, (call) => tool.run(args, call));
      return successResult(output);
    } catch (err) {
      if (err instanceof StatementRefusedError) logRefusal(logger, tool.name, identity, args, err);
      if (!isSmcpError(err)) {
        logger.error('tool failed unexpectedly', {
          tool: tool.name,
          clientId: identity.clientId,
          error: err instanceof Error ? (err.stack ?? err.message) : String(err),
        });
      }
      return errorResult(err, publicName);
    }
  };

  const unknownTool = (name: string): SmcpError => {
    const names = TOOLS.map((t) => publicName(t.name));
    const near = nearestName(name, names);
    const guess = near ? ` (did you mean "${near}"?)` : '';
    return new SmcpError('NOT_FOUND', `unknown tool "${name}"${guess}; tools: ${names.join(', ')}`, {
      field: 'name',
    });
  };

  return {
    listTools() {
      listing ??= TOOLS.map((t) => ({
        name: publicName(t.name),
        title: t.title,
        description: t.description,
        inputSchema: jsonSchema(t.inputSchema, 'input'),
        outputSchema: jsonSchema(t.outputSchema, 'output'),
        annotations: hints(t),
      }));
      return listing.map((t) => ({ ...t }));
    },
    find: (name) => byName.get(name),
    publicName,
    hints,
    async callTool(name, args, identity, options = {}) {
      const tool = byName.get(name);
      if (!tool) throw unknownTool(name);
      return run(tool, parseToolArguments(tool, name, args), identity, options);
    },
    async invoke(tool, args, identity, options = {}) {
      let checked: Record<string, unknown>;
      try {
        checked = parseToolArguments(tool, publicName(tool.name), args);
      } catch (err) {
        return errorResult(err, publicName);
      }
      return run(tool, checked, identity, options);
    },
    unknownTool,
    runInContext,
  };
}
