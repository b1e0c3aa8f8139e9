/**
 * The plain HTTP tool API for curl and scripts that do not speak MCP: `GET /mcp/tools` lists the
 * tools as JSON, `POST /mcp/tools/call` takes `{name, arguments}` and answers the tool result, or
 * takes the original API's JSON-RPC body (`method` = the tool, `params` = its arguments) and
 * answers in JSON-RPC.
 * Same auth, body limit, concurrency limit and request tracking as MCP calls (the caller checks
 * auth and draining). A request that cannot run (unknown tool, arguments the tool does not take
 * or values that do not fit) is `{error: {code, message, field}}` with the status of the SmcpError
 * code. A call that ran and failed (a refused statement, a Snowflake error) is 200 with the tool
 * result (`isError: true`, text with code, message and hint) plus the same `error` object, so a
 * script reads `.error.code` either way.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SmcpError, isSmcpError } from '../errors.js';
import type { ClientIdentity } from '../mcp/request-context.js';
import { errorInfoOf } from '../mcp/tool-result.js';
import type { ToolResult } from '../mcp/tool-result.js';
import { newRequestContext } from '../mcp/request-context.js';
import type { RequestTracker } from '../mcp/request-tracker.js';
import { ownerOf } from './client-identification.js';
import type { ClientQuotas } from './client-quotas.js';
import { isRecord, sendJson, sendPlainRefusal } from './http-io.js';
import type { ToolApi } from './contracts.js';
import type { Logger } from '../logger.js';

/** What the tool API routes need. */
export interface ToolApiDeps {
  api: ToolApi;
  tracker: RequestTracker;
  quotas: ClientQuotas;
  logger: Logger;
}

/** `GET /mcp/tools`. */
export function sendToolList(res: ServerResponse, deps: ToolApiDeps): void {
  sendJson(res, 200, { tools: deps.api.listTools() });
}

/** A tool call as either body form asks for it, and how to answer in that form. */
interface CallRequest {
  readonly name: string;
  readonly args: Record<string, unknown>;
  readonly answer: CallAnswerer;
}

/** Writes the outcome of a call in the dialect its request used. */
interface CallAnswerer {
  result(res: ServerResponse, result: ToolResult): void;
  /** A request that could not run (unknown tool, bad arguments, a fault inside smcp). */
  refused(res: ServerResponse, error: SmcpError): void;
}

/** JSON-RPC error codes of the original API's form. */
const RPC = {
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internal: -32603,
  toolError: -32000,
};

/** Today's form: `{name, arguments}` in, the tool result (plus `error` when it failed) out. */
const PLAIN: CallAnswerer = {
  result(res, result) {
    const error = errorInfoOf(result);
    sendJson(res, 200, error ? { ...result, error } : result);
  },
  refused(res, error) {
    sendJson(res, error.httpStatus, { error: error.toJSON() });
  },
};

/**
 * The original API's form: `{"jsonrpc":"2.0","id":…,"method":"<tool>","params":{…}}` in;
 * `{"jsonrpc":"2.0","id":…,"result":[content…]}` or `{…,"error":{code,message,data}}` out, where
 * `data.code` is smcp's catalogue code.
 */
function jsonRpcAnswerer(id: unknown): CallAnswerer {
  const rpcId = typeof id === 'string' || typeof id === 'number' ? id : null;
  const fail = (res: ServerResponse, code: number, message: string, data: Record<string, unknown>): void =>
    sendJson(res, 200, { jsonrpc: '2.0', id: rpcId, error: { code, message, data } });
  return {
    result(res, result) {
      const error = errorInfoOf(result);
      if (!error) return sendJson(res, 200, { jsonrpc: '2.0', id: rpcId, result: result.content });
      fail(res, RPC.toolError, `${error.code}: ${error.message}`, { ...error });
    },
    refused(res, error) {
      const code =
        error.code === 'NOT_FOUND' && error.details.field === 'name'
          ? RPC.methodNotFound
          : error.code === 'USAGE'
            ? RPC.invalidParams
            : error.code === 'INTERNAL'
              ? RPC.internal
              : RPC.toolError;
      fail(res, code, error.message, { ...error.toJSON() });
    },
  };
}

/** Reads either body form; undefined after answering a malformed one. */
function readCallRequest(res: ServerResponse, body: unknown): CallRequest | undefined {
  if (isRecord(body) && body.jsonrpc !== undefined) {
    const answer = jsonRpcAnswerer(body.id);
    const params = body.params ?? {};
    if (body.jsonrpc !== '2.0' || typeof body.method !== 'string' || body.method === '') {
      answer.refused(
        res,
        new SmcpError('USAGE', 'a JSON-RPC call needs "jsonrpc": "2.0" and "method": "<tool name>"'),
      );
      return undefined;
    }
    if (!isRecord(params)) {
      answer.refused(
        res,
        new SmcpError('USAGE', '"params" must be a JSON object of tool arguments', { field: 'params' }),
      );
      return undefined;
    }
    return { name: body.method, args: params, answer };
  }
  if (!isRecord(body)) {
    sendPlainRefusal(res, 'USAGE', 'the body must be a JSON object {"name": "...", "arguments": {...}}');
    return undefined;
  }
  const { name, arguments: args = {} } = body;
  if (typeof name !== 'string' || name === '') {
    sendPlainRefusal(res, 'USAGE', '"name" must name a tool (see GET /mcp/tools)');
    return undefined;
  }
  if (!isRecord(args)) {
    sendPlainRefusal(res, 'USAGE', '"arguments" must be a JSON object');
    return undefined;
  }
  return { name, args, answer: PLAIN };
}

/**
 * `POST /mcp/tools/call` with its JSON body already read (see json-body.ts), in either form:
 * `{name, arguments}` or the original API's JSON-RPC `{jsonrpc, id, method: <tool>, params}`.
 */
export async function handleToolCall(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ToolApiDeps,
  body: unknown,
): Promise<void> {
  const call = readCallRequest(res, body);
  if (!call) return;
  const { name, args, answer } = call;
  const owner = ownerOf(req);
  const admission = deps.quotas.startSessionless(owner);
  if (!admission.ok) {
    sendPlainRefusal(res, admission.code, admission.message, {
      'Retry-After': String(admission.retryAfterSeconds),
    });
    return;
  }
  const identity: ClientIdentity = { transport: 'http-api', clientId: owner, owner };
  const aborter = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) aborter.abort(new Error('the HTTP client went away'));
  });
  const context = newRequestContext(identity, aborter.signal, name);
  const end = deps.tracker.begin(context);
  try {
    const result = await deps.api.callTool(name, args, identity, aborter.signal, context);
    answer.result(res, result as ToolResult);
  } catch (error) {
    if (!isSmcpError(error)) {
      deps.logger.error('tool API call failed', { tool: name, error: String(error) });
    }
    answer.refused(
      res,
      isSmcpError(error) ? error : new SmcpError('INTERNAL', 'an unexpected fault inside smcp'),
    );
  } finally {
    end();
    admission.release();
  }
}
