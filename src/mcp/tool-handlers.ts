/**
 * tools/list and tools/call as request handlers shared by every server of a factory: the MCP
 * adapter over the tool registry. The SDK's `registerTool` builds a registration per tool per
 * server (closures, a property store, an executor): about 1.7 KiB per tool per connection, most of
 * an idle WebSocket session's memory. Here a server only holds the two handlers. The answers follow
 * McpServer's: the registry's listing, an unknown tool as an InvalidParams protocol error, and the
 * registry's result (arguments and output already checked there, for every path) projected
 * through the server's wire codec.
 */
import { ProtocolError, ProtocolErrorCode, SdkError, SdkErrorCode } from '@modelcontextprotocol/server';
import type {
  CallToolRequest,
  CallToolResult,
  ElicitRequestFormParams,
  ListToolsResult,
  McpServer,
  ServerContext,
} from '@modelcontextprotocol/server';
import type { ClientIdentity } from './request-context.js';
import { contextOfAuthInfo } from './request-context.js';
import { errorResult } from './tool-result.js';
import type { ScanConfirm } from './cost-guard.js';
import type { ProgressSink } from './tool-runtime.js';
import type { ToolRegistry } from './tool-registry.js';

/** Shared tools/list and tools/call handlers of one factory. */
export interface ToolHandlers {
  /** The tools/list answer (fresh copies: the encoder may not share our objects). */
  readonly list: () => ListToolsResult;
  /** Answers tools/call on `server` for the client `identity`. */
  call(
    server: McpServer,
    identity: ClientIdentity,
    request: CallToolRequest,
    ctx: ServerContext,
  ): Promise<CallToolResult>;
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

/** The elicitation form that asks the user to confirm a read over budget: one boolean. */
function confirmSchema(): ElicitRequestFormParams['requestedSchema'] {
  return {
    type: 'object',
    properties: {
      confirm: { type: 'boolean', title: 'Run this read', description: 'Run it despite the scan budget' },
    },
    required: ['confirm'],
  };
}

/**
 * Asks the user of the client behind `server` to confirm a read over the scan budget, when the client
 * declared form elicitation; undefined otherwise (the guard then refuses). Only an accepted form
 * with `confirm: true` is a yes. The question ends with the call (its signal); no answer in time
 * counts as a cancel, a request the SDK cannot send at all (the 2026-07-28 revision has no
 * server-to-client requests) as unavailable.
 */
function scanConfirm(server: McpServer, ctx: ServerContext): ScanConfirm | undefined {
  const elicitation = server.server.getClientCapabilities()?.elicitation;
  // A bare `elicitation: {}` means form support (the capability before modes existed).
  if (!elicitation || (elicitation.url && !elicitation.form)) return undefined;
  return async (message) => {
    try {
      const answer = await ctx.mcpReq.elicitInput(
        { mode: 'form', message, requestedSchema: confirmSchema() },
        { signal: ctx.mcpReq.signal },
      );
      if (answer.action !== 'accept') return answer.action;
      return answer.content?.confirm === true ? 'accept' : 'decline';
    } catch (error) {
      const timedOut = error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout;
      return timedOut || ctx.mcpReq.signal.aborted ? 'cancel' : 'unavailable';
    }
  };
}

/** `identity` completed with the client's name from initialize, once the server knows it. */
function withClientName(server: McpServer, identity: ClientIdentity): ClientIdentity {
  if (identity.clientName) return identity;
  const name = server.server.getClientVersion()?.name;
  return name ? { ...identity, clientName: name } : identity;
}

/** Builds the shared handlers over `registry` (its listing is the one every path shows). */
export function createToolHandlers(registry: ToolRegistry): ToolHandlers {
  return {
    list: () => ({ tools: registry.listTools() }),
    async call(server, identity, request, ctx) {
      const name = request.params.name;
      const tool = registry.find(name);
      if (!tool) {
        // The spec makes an unknown tool a protocol error; its message starts with smcp's code.
        const error = registry.unknownTool(name);
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, `${error.code}: ${error.message}`, {
          code: error.code,
        });
      }
      try {
        const onProgress = progressSink(ctx);
        const confirmScan = scanConfirm(server, ctx);
        const context = contextOfAuthInfo(ctx.http?.authInfo);
        const result = await registry.invoke(
          tool,
          request.params.arguments,
          withClientName(server, identity),
          {
            signal: ctx.mcpReq.signal,
            // What the transport opened: a stateless request's context, or a connection's by id.
            ...(context ? { context } : { rpcId: ctx.mcpReq.id }),
            ...(onProgress ? { onProgress } : {}),
            ...(confirmScan ? { confirmScan } : {}),
          },
        );
        return server.server.projectCallToolResult(result, registry.outputSchemaOf(name) ?? {});
      } catch (error) {
        // As McpServer: failures become error results, except a URL elicitation the client must see.
        if (error instanceof ProtocolError && error.code === Number(ProtocolErrorCode.UrlElicitationRequired))
          throw error;
        return errorResult(error);
      }
    },
  };
}
