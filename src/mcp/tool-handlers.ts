/**
 * tools/list and tools/call as request handlers shared by every server of a factory. The SDK's
 * `registerTool` builds a registration per tool per server (closures, a property store, an
 * executor): about 1.7 KiB per tool per connection, most of an idle WebSocket session's memory.
 * Here the tool table, its JSON schemas and the listing are built once; a server only holds the
 * two handlers. The answers follow McpServer's for the same tools: the same listing, an unknown
 * tool as an InvalidParams protocol error, output validated against the output schema, and the
 * result projected through the server's wire codec. Arguments are checked by the registry, the
 * one place for every path, and bad ones come back as an `isError` result ("USAGE: …") that the
 * model can read and act on; every error result has tool-result.ts's shape.
 */
import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import type {
  CallToolRequest,
  CallToolResult,
  ListToolsResult,
  McpServer,
  ServerContext,
  StandardSchemaV1,
  Tool as McpTool,
} from '@modelcontextprotocol/server';
import { SmcpError } from '../errors.js';
import type { ClientIdentity } from './request-context.js';
import { errorResult } from './tool-result.js';
import type { ProgressSink } from './tool-runtime.js';
import type { ToolRegistry } from './tool-registry.js';
import type { Tool } from './tool-types.js';

/** The JSON Schema dialect the SDK converts tool schemas to (what tools/list has always shown). */
const JSON_SCHEMA_TARGET = 'draft-2020-12';

/** One tool with what its calls need, built once per factory. */
interface Entry {
  readonly tool: Tool;
  readonly listing: McpTool;
  readonly outputSchemaJson: Record<string, unknown>;
}

/** Shared tools/list and tools/call handlers of one factory. */
export interface ToolHandlers {
  /** The tools/list answer (a fresh copy each time: the encoder may not share our objects). */
  readonly list: () => ListToolsResult;
  /** Answers tools/call on `server` for the client `identity`. */
  call(
    server: McpServer,
    identity: ClientIdentity,
    request: CallToolRequest,
    ctx: ServerContext,
  ): Promise<CallToolResult>;
}

type Converter = (options: { target: string }) => Record<string, unknown>;

/** A zod schema's JSON Schema as the SDK emits it (objects typed `object`, no library options). */
function toJsonSchema(
  schema: Tool['inputSchema'] | Tool['outputSchema'],
  io: 'input' | 'output',
): Record<string, unknown> {
  const convert = (schema['~standard'] as unknown as { jsonSchema: Record<typeof io, Converter> }).jsonSchema[
    io
  ];
  const json = convert({ target: JSON_SCHEMA_TARGET });
  if (io === 'output' && json.type !== undefined) return json;
  if (json.type !== undefined && json.type !== 'object')
    throw new Error(`tool schemas must describe objects, got ${JSON.stringify(json.type)}`);
  return { type: 'object', ...json };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Issues as the SDK words them: `path.to.field: message, …`. */
function formatIssues(issues: readonly StandardSchemaV1.Issue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path?.map((p) => String(typeof p === 'object' ? p.key : p)).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join(', ');
}

/** The issues of `value` against a zod schema (through its Standard Schema face), or undefined. */
async function schemaIssues(schema: Tool['outputSchema'], value: unknown): Promise<string | undefined> {
  const result = await schema['~standard'].validate(value);
  return result.issues && result.issues.length > 0 ? formatIssues(result.issues) : undefined;
}

/** An answer that breaks the tool's own output schema: a fault of smcp, reported as INTERNAL. */
function outputFault(name: string, problem: string): CallToolResult {
  return errorResult(
    new SmcpError('INTERNAL', `${name} produced a result that does not match its output schema: ${problem}`),
  );
}

/** Progress notifications for the request behind `ctx`, when it asked for them (progress token). */
function progressSink(ctx: ServerContext): ProgressSink | undefined {
  const token = ctx.mcpReq._meta?.progressToken;
  if (token === undefined) return undefined;
  return ({ progress, message }) =>
    ctx.mcpReq.notify({
      method: 'notifications/progress',
      params: { progressToken: token, progress, message },
    });
}

/** `identity` completed with the client's name from initialize, once the server knows it. */
function withClientName(server: McpServer, identity: ClientIdentity): ClientIdentity {
  if (identity.clientName) return identity;
  const name = server.server.getClientVersion()?.name;
  return name ? { ...identity, clientName: name } : identity;
}

/** Builds the shared handlers over `registry` (its public names carry the configured prefix). */
export function createToolHandlers(registry: ToolRegistry): ToolHandlers {
  const entries = new Map<string, Entry>();
  for (const { name } of registry.listTools()) {
    const tool = registry.find(name);
    if (!tool) continue;
    const outputSchemaJson = deepFreeze(toJsonSchema(tool.outputSchema, 'output'));
    const listing = deepFreeze({
      name,
      title: tool.title,
      description: tool.description,
      inputSchema: toJsonSchema(tool.inputSchema, 'input'),
      annotations: { title: tool.title, ...registry.hints(tool) },
      outputSchema: outputSchemaJson,
    }) as McpTool;
    entries.set(name, { tool, listing, outputSchemaJson });
  }

  const run = async (
    server: McpServer,
    identity: ClientIdentity,
    entry: Entry,
    name: string,
    args: unknown,
    ctx: ServerContext,
  ): Promise<CallToolResult> => {
    const onProgress = progressSink(ctx);
    const result = await registry.invoke(entry.tool, args, withClientName(server, identity), {
      signal: ctx.mcpReq.signal,
      ...(onProgress ? { onProgress } : {}),
    });
    if (!result.isError) {
      if (result.structuredContent === undefined) return outputFault(name, 'no structured content');
      const problem = await schemaIssues(entry.tool.outputSchema, result.structuredContent);
      if (problem !== undefined) return outputFault(name, problem);
    }
    return server.server.projectCallToolResult(result, entry.outputSchemaJson);
  };

  return {
    list: () => ({ tools: [...entries.values()].map((e) => ({ ...e.listing })) }),
    async call(server, identity, request, ctx) {
      const name = request.params.name;
      const entry = entries.get(name);
      if (!entry) {
        // The spec makes an unknown tool a protocol error; its message starts with smcp's code.
        const error = registry.unknownTool(name);
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, `${error.code}: ${error.message}`, {
          code: error.code,
        });
      }
      try {
        return await run(server, identity, entry, name, request.params.arguments, ctx);
      } catch (error) {
        // As McpServer: failures become error results, except a URL elicitation the client must see.
        if (error instanceof ProtocolError && error.code === Number(ProtocolErrorCode.UrlElicitationRequired))
          throw error;
        return errorResult(error);
      }
    },
  };
}
