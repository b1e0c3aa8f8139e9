/**
 * What the MCP benchmark clients send: 2026-07-28 stateless tools/call requests (no session) and
 * 2025-11-25 sessions (initialize, then tools/call with Mcp-Session-Id), and the checks that a
 * result is the right one.
 */
import type { ClientPlan, Poster } from './load-gen.js';
import { resultFor } from './load-gen.js';
import { initializeBody, INITIALIZED_BODY } from '../test/helpers/mcp-messages.js';

/** A tool call: name, arguments and the check of its result. */
export interface ToolUnderTest {
  readonly name: string;
  readonly args: Record<string, unknown>;
  readonly check: (result: unknown) => boolean;
}

const ACCEPT = 'application/json, text/event-stream';

/** The constant tool of the baseline server: text "1". */
export const CONSTANT_TOOL: ToolUnderTest = {
  name: 'constant',
  args: {},
  check: (result) => {
    const r = result as { content?: { type?: string; text?: string }[]; isError?: boolean };
    return r.isError !== true && r.content?.[0]?.text === '1';
  },
};

/** smcp's execute_query with SELECT 1: one row, one column, value 1. */
export const SELECT1_TOOL: ToolUnderTest = {
  name: 'execute_query',
  args: { sql: 'SELECT 1' },
  check: (result) => {
    const r = result as { structuredContent?: { rows?: unknown[][] }; isError?: boolean };
    const rows = r.structuredContent?.rows;
    return r.isError !== true && rows?.length === 1 && Number(rows[0]?.[0]) === 1;
  },
};

/** A stateless 2026-07-28 client calling `tool`. */
export function statelessPlan(tool: ToolUnderTest): ClientPlan {
  const headers = {
    'content-type': 'application/json',
    accept: ACCEPT,
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': 'tools/call',
    'mcp-name': tool.name,
  };
  const meta = {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1' },
    'io.modelcontextprotocol/clientCapabilities': {},
  };
  return {
    headers,
    body: (id) => toolsCallBody(tool, id, meta),
  };
}

/** The JSON text of a tools/call request for `tool` (with `_meta` when given). */
export function toolsCallBody(tool: ToolUnderTest, id: number, meta?: Record<string, unknown>): string {
  const params = { name: tool.name, arguments: tool.args, ...(meta ? { _meta: meta } : {}) };
  return JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params });
}

/** Opens a 2025-11-25 session (initialize + initialized) and returns a client calling `tool` in it. */
export async function sessionPlan(tool: ToolUnderTest, post: Poster): Promise<ClientPlan> {
  const base = { 'content-type': 'application/json', accept: ACCEPT };
  const init = await post('POST', base, initializeBody('bench'));
  const sessionId = init.headers['mcp-session-id'];
  const verdict = resultFor(init, 1);
  if (typeof sessionId !== 'string' || typeof verdict === 'string')
    throw new Error(`initialize failed: ${typeof verdict === 'string' ? verdict : 'no session id'}`);
  const headers = { ...base, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' };
  const ack = await post('POST', headers, INITIALIZED_BODY);
  if (ack.status !== 202) throw new Error(`notifications/initialized answered ${ack.status}`);
  return {
    headers,
    body: (id) => toolsCallBody(tool, id),
  };
}

/** Ends a session opened by sessionPlan. */
export async function endSession(plan: ClientPlan, post: Poster): Promise<void> {
  await post('DELETE', plan.headers);
}
