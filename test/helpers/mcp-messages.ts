/**
 * Raw 2025-era MCP handshake messages for tests and benchmarks that speak the wire directly
 * (raw HTTP, raw WebSocket, fuzzing) instead of through an SDK client.
 */

/** The protocol revision raw clients open sessions with. */
export const SESSION_PROTOCOL_VERSION = '2025-11-25';

/** A JSON-RPC `initialize` request from a client named `clientName`, as sent on the wire. */
export function initializeBody(clientName: string, id: number | string = 1): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: {
      protocolVersion: SESSION_PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: clientName, version: '1' },
    },
  });
}

/** The `notifications/initialized` a client sends once initialize has been answered. */
export const INITIALIZED_BODY = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' });
