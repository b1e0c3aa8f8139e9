/**
 * Shared helpers for transport tests: start a real HTTP server with the fixture factory on port 0,
 * raw HTTP requests, and a WebSocket global for the v1 SDK client on Node 20.
 */
import { WebSocket as WsWebSocket } from 'ws';
import { RequestTracker } from '../../src/mcp/request-tracker.js';
import { startHttpServer } from '../../src/transports/http-server.js';
import type { HttpServerHandle, HttpServerOptions } from '../../src/transports/contracts.js';
import { createFixtureFactory } from './fixtures/fixture-factory.js';
import type { FixtureLog } from './fixtures/fixture-factory.js';

/** A started server plus what the fixture saw. */
export interface TestServer {
  handle: HttpServerHandle;
  tracker: RequestTracker;
  log: FixtureLog;
}

/** Starts a server on 127.0.0.1:0 with the fixture factory. */
export async function startTestServer(options: Partial<HttpServerOptions> = {}): Promise<TestServer> {
  const log: FixtureLog = { built: [], cancelled: [] };
  const tracker = new RequestTracker();
  const handle = await startHttpServer({
    factory: createFixtureFactory(log, tracker),
    tracker,
    port: 0,
    ...options,
  });
  return { handle, tracker, log };
}

/** Node 20 has no global WebSocket; the v1 SDK client needs one. */
export function installWebSocketGlobal(): void {
  const g = globalThis as { WebSocket?: unknown };
  g.WebSocket ??= WsWebSocket;
}

/** Polls `check` every 20 ms until it is true or `timeoutMs` passes. */
export async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The JSON-RPC headers a 2025-era raw POST needs. */
export const JSON_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

/** A 2026-07-28 tools/call body for the fixture's echo tool. */
export function modernEchoBody(text: string, id = 1): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: {
      name: 'echo',
      arguments: { text },
      _meta: {
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientInfo': { name: 'raw-test', version: '1' },
        'io.modelcontextprotocol/clientCapabilities': {},
      },
    },
  });
}
