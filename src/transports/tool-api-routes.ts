/**
 * The plain HTTP tool API for curl and scripts that do not speak MCP: `GET /mcp/tools` lists the
 * tools as JSON, `POST /mcp/tools/call` takes `{name, arguments}` and answers the tool result.
 * Same auth, body limit, concurrency limit and request tracking as MCP calls (the caller checks
 * auth and draining). A request that cannot run (unknown tool, arguments the tool does not take
 * or values that do not fit) is `{error: {code, message, field}}` with the status of the SmcpError
 * code. A call that ran and failed (a refused statement, a Snowflake error) is 200 with the tool
 * result (`isError: true`, text with code, message and hint) plus the same `error` object, so a
 * script reads `.error.code` either way.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isSmcpError } from '../errors.js';
import type { ClientIdentity } from '../mcp/request-context.js';
import { errorInfoOf } from '../mcp/tool-result.js';
import type { ToolResult } from '../mcp/tool-result.js';
import { newRequestContext, runWithRequestContext } from '../mcp/request-context.js';
import type { RequestTracker } from '../mcp/request-tracker.js';
import { ownerOf } from './client-identification.js';
import type { ClientQuotas } from './client-quotas.js';
import { isRecord, sendJson, sendPlainError } from './http-io.js';
import type { ToolApi, TransportLogger } from './types.js';

/** What the tool API routes need. */
export interface ToolApiDeps {
  api: ToolApi;
  tracker: RequestTracker;
  quotas: ClientQuotas;
  logger: TransportLogger;
}

/** `GET /mcp/tools`. */
export function sendToolList(res: ServerResponse, deps: ToolApiDeps): void {
  sendJson(res, 200, { tools: deps.api.listTools() });
}

/** `POST /mcp/tools/call` with its JSON body already read (see json-body.ts). */
export async function handleToolCall(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ToolApiDeps,
  body: unknown,
): Promise<void> {
  if (!isRecord(body)) {
    sendPlainError(res, 400, 'USAGE', 'the body must be a JSON object {"name": "...", "arguments": {...}}');
    return;
  }
  const { name, arguments: args = {} } = body;
  if (typeof name !== 'string' || name === '') {
    sendPlainError(res, 400, 'USAGE', '"name" must name a tool (see GET /mcp/tools)');
    return;
  }
  if (!isRecord(args)) {
    sendPlainError(res, 400, 'USAGE', '"arguments" must be a JSON object');
    return;
  }
  const owner = ownerOf(req);
  const admission = deps.quotas.startSessionless(owner);
  if (!admission.ok) {
    sendPlainError(res, admission.status, 'RATE_LIMITED', admission.message, {
      'Retry-After': String(admission.retryAfterSeconds),
    });
    return;
  }
  const release = admission.release;
  const identity: ClientIdentity = { transport: 'http-api', clientId: owner, owner };
  const aborter = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) aborter.abort(new Error('the HTTP client went away'));
  });
  const context = newRequestContext(identity, aborter.signal, name);
  const end = deps.tracker.begin(context);
  try {
    const result = await runWithRequestContext(context, () =>
      deps.api.callTool(name, args, identity, aborter.signal),
    );
    const error = errorInfoOf(result as ToolResult);
    sendJson(res, 200, error ? { ...result, error } : result);
  } catch (error) {
    if (isSmcpError(error)) {
      sendJson(res, error.httpStatus, { error: error.toJSON() });
    } else {
      deps.logger.error('tool API call failed', { tool: name, error: String(error) });
      sendPlainError(res, 500, 'INTERNAL', 'an unexpected fault inside smcp');
    }
  } finally {
    end();
    release();
  }
}
