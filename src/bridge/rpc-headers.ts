/**
 * The HTTP headers the `smcp stdio` bridge sends with a client's message, as the Streamable HTTP
 * binding of each protocol era wants them: a 2026-07-28 message (its version claimed in
 * `params._meta`) carries `MCP-Protocol-Version`, `Mcp-Method` and, for the methods that name
 * something, `Mcp-Name` mirroring the body; a 2025-era one carries the session id and the
 * negotiated version. Every message says it comes from a bridge and carries the daemon's token.
 */
import type { JsonRpcMessage } from './stdin-messages.js';

/** `params._meta` key of the 2026-07-28 in-band protocol version. */
const VERSION_META_KEY = 'io.modelcontextprotocol/protocolVersion';

/** The body field `Mcp-Name` mirrors, per method (the SDK's MCP_NAME_HEADER_SOURCE). */
const NAME_SOURCE: Readonly<Record<string, string>> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
  'tasks/get': 'taskId',
  'tasks/update': 'taskId',
  'tasks/cancel': 'taskId',
};

/** The protocol version a 2026-07-28 message claims in its `_meta`, if any. */
export function claimedVersion(message: JsonRpcMessage): string | undefined {
  const meta = message.params?._meta;
  if (typeof meta !== 'object' || meta === null) return undefined;
  const version = (meta as Record<string, unknown>)[VERSION_META_KEY];
  return typeof version === 'string' ? version : undefined;
}

/** True for a message of the 2026-07-28 (stateless) era. */
export function isModern(message: JsonRpcMessage): boolean {
  return claimedVersion(message) !== undefined;
}

/** A header value as the spec encodes it: plain printable ASCII as is, anything else as `=?base64?…?=`. */
export function encodeHeaderValue(value: string): string {
  const plain =
    value.length > 0 &&
    value === value.trim() &&
    !(value.startsWith('=?base64?') && value.endsWith('?=')) &&
    /^[\t\x20-\x7e]*$/.test(value);
  return plain ? value : `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/**
 * Headers for `message` (undefined: a GET or DELETE of the session). `sessionId` and
 * `protocolVersion` are the 2025-era session's, when one is open.
 */
export function rpcHeaders(
  message: JsonRpcMessage | undefined,
  token: string | undefined,
  sessionId: string | undefined,
  protocolVersion: string | undefined,
): Record<string, string> {
  const headers: Record<string, string> = { 'smcp-bridge': 'stdio' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const version = message ? claimedVersion(message) : undefined;
  if (version === undefined) {
    if (sessionId) headers['Mcp-Session-Id'] = sessionId;
    if (protocolVersion) headers['MCP-Protocol-Version'] = protocolVersion;
    return headers;
  }
  headers['MCP-Protocol-Version'] = version;
  if (message?.method === undefined || message.id === undefined) return headers;
  headers['Mcp-Method'] = message.method;
  const field = Object.hasOwn(NAME_SOURCE, message.method) ? NAME_SOURCE[message.method] : undefined;
  const name = field ? message.params?.[field] : undefined;
  if (typeof name === 'string') headers['Mcp-Name'] = encodeHeaderValue(name);
  return headers;
}
