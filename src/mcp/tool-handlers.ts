/**
 * tools/list and tools/call as request handlers shared by every server of a factory. The SDK's
 * `registerTool` builds a registration per tool per server (closures, a property store, an
 * executor): about 1.7 KiB per tool per connection, most of an idle WebSocket session's memory.
 * Here the tool table, its JSON schemas and the listing are built once; a server only holds the
 * two handlers. The answers are the ones McpServer gives for the same tools: the same listing,
 * input validation as an `isError` result ("Input validation error: …"), an unknown tool as an
 * InvalidParams protocol error, output validated against the output schema, and the result
 * projected through the server's wire codec.
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
import type { ClientIdentity } from './request-context.js';
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
function toJsonSchema(schema: Tool['inputSchema'], io: 'input' | 'output'): Record<string, unknown> {
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

/** Validates `value` against a zod schema through its Standard Schema face. */
async function validate(
  schema: Tool['inputSchema'],
  value: unknown,
): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
  const result = await schema['~standard'].validate(value);
  if (result.issues && result.issues.length > 0) return { ok: false, error: formatIssues(result.issues) };
  return { ok: true, value: (result as { value: unknown }).value };
}

function toolError(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
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
    const input = await validate(entry.tool.inputSchema, args ?? {});
    if (!input.ok)
      return toolError(`Input validation error: Invalid arguments for tool ${name}: ${input.error}`);
    const onProgress = progressSink(ctx);
    const result = await registry.invoke(entry.tool, input.value, withClientName(server, identity), {
      signal: ctx.mcpReq.signal,
      ...(onProgress ? { onProgress } : {}),
    });
    if (!result.isError) {
      if (result.structuredContent === undefined)
        return toolError(
          `Output validation error: Tool ${name} has an output schema but no structured content was provided`,
        );
      const output = await validate(entry.tool.outputSchema, result.structuredContent);
      if (!output.ok)
        return toolError(
          `Output validation error: Invalid structured content for tool ${name}: ${output.error}`,
        );
    }
    return server.server.projectCallToolResult(result, entry.outputSchemaJson);
  };

  return {
    list: () => ({ tools: [...entries.values()].map((e) => ({ ...e.listing })) }),
    async call(server, identity, request, ctx) {
      const name = request.params.name;
      const entry = entries.get(name);
      if (!entry) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Tool ${name} not found`);
      try {
        return await run(server, identity, entry, name, request.params.arguments, ctx);
      } catch (error) {
        // As McpServer: failures become error results, except a URL elicitation the client must see.
        if (error instanceof ProtocolError && error.code === Number(ProtocolErrorCode.UrlElicitationRequired))
          throw error;
        return toolError(error instanceof Error ? error.message : String(error));
      }
    },
  };
}
