/**
 * The stdio bridge against smcp's real HTTP server (the fixture factory standing in for the tools):
 * the daemon's own notifications on the session stream, a 2026-07-28 cancel, the token and the
 * stdio-bridge label, and a daemon that does not come back. The e2e suite runs it on the daemon.
 */
import { PassThrough } from 'node:stream';
import type { McpServer } from '@modelcontextprotocol/server';
import { expect } from 'chai';
import { runStdioBridge } from '../../src/bridge/stdio-bridge.js';
import type { DaemonEndpoint, StdioBridgeHandle } from '../../src/bridge/stdio-bridge.js';
import type { ClientIdentity } from '../../src/mcp/request-context.js';
import { RequestTracker } from '../../src/mcp/request-tracker.js';
import { startHttpServer } from '../../src/transports/http-server.js';
import type { HttpServerHandle } from '../../src/transports/contracts.js';
import { silentLogger } from '../../src/logger.js';
import { createFixtureFactory } from '../transports/fixtures/fixture-factory.js';
import type { FixtureLog } from '../transports/fixtures/fixture-factory.js';
import { waitFor } from '../transports/helpers.js';

const TOKEN = 'bridge-unit-token-0123456789';
const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'bridge-unit', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

/** A bridge on in-memory pipes: write lines in, read messages out. */
interface Piped {
  readonly bridge: StdioBridgeHandle;
  send(message: unknown): void;
  messages(): Record<string, unknown>[];
  next(match: (m: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
}

function pipe(
  endpoint: DaemonEndpoint,
  findEndpoint: () => DaemonEndpoint | undefined,
  waitMs?: number,
): Piped {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const bridge = runStdioBridge(endpoint, {
    input,
    output,
    findEndpoint,
    logger: silentLogger,
    ...(waitMs !== undefined ? { reconnectWaitMs: waitMs } : {}),
  });
  const messages = (): Record<string, unknown>[] =>
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    bridge,
    send: (message) => input.write(`${JSON.stringify(message)}\n`),
    messages,
    next: async (match, timeoutMs = 5000) => {
      await waitFor(() => messages().some(match), timeoutMs);
      return messages().find(match)!;
    },
  };
}

describe('bridge: smcp stdio relaying to the HTTP server', function () {
  this.timeout(20_000);
  let handle: HttpServerHandle;
  let tracker: RequestTracker;
  let log: FixtureLog;
  const servers: McpServer[] = [];
  let endpoint: DaemonEndpoint;
  let piped: Piped | undefined;

  beforeEach(async () => {
    log = { built: [], cancelled: [] };
    tracker = new RequestTracker();
    const fixture = createFixtureFactory(log, tracker);
    handle = await startHttpServer({
      factory: (identity: ClientIdentity) => {
        const server = fixture(identity);
        servers.push(server);
        return server;
      },
      tracker,
      port: 0,
      token: TOKEN,
    });
    endpoint = { pid: process.pid, mcp: `${handle.url}/mcp`, token: TOKEN };
  });
  afterEach(async () => {
    await piped?.bridge.close();
    piped = undefined;
    servers.length = 0;
    await handle.close();
  });

  async function initialized(): Promise<Piped> {
    const p = pipe(endpoint, () => endpoint);
    p.send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'desk', version: '1' } },
    });
    await p.next((m) => m.id === 1);
    p.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    return p;
  }

  it("sends the daemon's token and opens a session labelled stdio-bridge with the client's name", async () => {
    piped = await initialized();
    expect(log.built.at(-1)).to.include({ transport: 'stdio-bridge', clientName: 'desk' });
    expect(tracker.sessionCounts()['stdio-bridge']).to.equal(1);
  });

  it('is served as its local OS user when the daemon has no token (the peer-uid check)', async function () {
    // The kernel names a loopback peer's user on Linux only.
    if (process.platform !== 'linux') this.skip();
    await handle.close();
    handle = await startHttpServer({ factory: createFixtureFactory(log, tracker), tracker, port: 0 });
    endpoint = { pid: process.pid, mcp: `${handle.url}/mcp` };
    piped = await initialized();
    const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
    expect(log.built.at(-1)).to.include({ transport: 'stdio-bridge', owner: `uid:${uid}` });
  });

  it("relays the daemon's list_changed notifications from the session stream", async () => {
    piped = await initialized();
    // The session stream is open once the server can push on it.
    await new Promise((r) => setTimeout(r, 300));
    servers.at(-1)!.registerTool('late', { description: 'registered after initialize' }, () => ({
      content: [{ type: 'text', text: 'late' }],
    }));
    const note = await piped.next((m) => m.method === 'notifications/tools/list_changed');
    expect(note).to.deep.include({ jsonrpc: '2.0' });
  });

  it("opens a new session with the client's own initialize when the daemon forgot the old one", async () => {
    piped = await initialized();
    const first = log.built.at(-1)!;
    // The session ends on the daemon's side (as after an idle timeout or a restart on the same port).
    const ended = await fetch(endpoint.mcp, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Mcp-Session-Id': first.sessionId! },
    });
    expect(ended.status).to.equal(200);
    piped.send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    const listed = await piped.next((m) => m.id === 2);
    expect(listed.error, JSON.stringify(listed)).to.equal(undefined);
    const second = log.built.at(-1)!;
    expect(second.sessionId).to.not.equal(first.sessionId);
    expect(second).to.include({ transport: 'stdio-bridge', clientName: 'desk' });
    // The client saw one initialize answer: the second one stayed inside the bridge.
    expect(piped.messages().filter((m) => m.id === 1)).to.have.length(1);
    expect(piped.messages().filter((m) => typeof m.id === 'string')).to.deep.equal([]);
  });

  it('cancels a 2026-07-28 call when the client cancels it, and answers nothing for it', async () => {
    piped = pipe(endpoint, () => endpoint);
    const call = {
      jsonrpc: '2.0',
      id: 'slow-1',
      method: 'tools/call',
      params: {
        name: 'slow',
        arguments: { steps: 100, intervalMs: 100, tag: 'modern-cancel' },
        _meta: { ...MODERN_META, progressToken: 'p1' },
      },
    };
    piped.send(call);
    await piped.next((m) => m.method === 'notifications/progress');
    expect(log.built.at(-1)).to.include({ transport: 'stdio-bridge' });
    piped.send({
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: 'slow-1', reason: 'user', _meta: MODERN_META },
    });
    await waitFor(() => log.cancelled.includes('modern-cancel'));
    await waitFor(() => tracker.activeCount === 0);
    expect(piped.messages().filter((m) => m.id === 'slow-1')).to.deep.equal([]);
  });

  it('answers DAEMON_NOT_RUNNING when the daemon is gone and none comes back within the wait', async () => {
    await handle.close();
    piped = pipe(endpoint, () => undefined, 300);
    piped.send({ jsonrpc: '2.0', id: 7, method: 'tools/list', params: { _meta: MODERN_META } });
    const answer = await piped.next((m) => m.id === 7);
    expect(answer.error).to.deep.include({ code: -32000, data: { code: 'DAEMON_NOT_RUNNING' } });
  });
});
