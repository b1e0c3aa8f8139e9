/**
 * A `POST /mcp` whose JSON body the edge has already read, served by the SDK's web-standard MCP
 * handler (`createMcpHandler`'s `fetch`). This is what the SDK's `toNodeHandler` does with a parsed
 * body, less what it costs per request for nothing here: it serializes the parsed body again into
 * a body stream the handler never reads (the handler takes `parsedBody` and reads no body when it
 * has one, in both eras), and builds an AbortController per request where most exchanges never
 * read the Request's signal. The exchange itself (lazy Request, answer written with backpressure,
 * the same 500 JSON-RPC internal error when the handler throws) is web-exchange.ts, which session
 * requests share.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo, McpHttpHandler } from '@modelcontextprotocol/server';
import { serveWebExchange } from './web-exchange.js';

/**
 * Serves `req` (its body already parsed as `parsedBody`) through `handler` and writes the answer
 * to `res`, stopping when the client goes away; the exchange in the SDK is cancelled then if it
 * follows its Request's signal. Never rejects for client input.
 */
export function serveParsedPost(
  handler: McpHttpHandler,
  req: IncomingMessage,
  res: ServerResponse,
  parsedBody: unknown,
  authInfo: AuthInfo,
): Promise<void> {
  return serveWebExchange(
    req,
    res,
    (request) => handler.fetch(request, { authInfo, parsedBody }),
    parsedBody,
  );
}
