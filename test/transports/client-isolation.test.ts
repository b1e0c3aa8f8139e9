/**
 * Clients never reach each other's work, and no client takes everything: another local OS user is
 * refused by default, sessions belong to whoever opened them, a duplicate request id cannot steal
 * an answer, sessions per client are capped, a dropped HTTP request cancels its call, and slow
 * WebSocket readers cannot hold the shared send budget.
 */
import { expect } from 'chai';
import { connect } from 'node:net';
import { request } from 'node:http';
import { readResponse } from '../helpers/read-response.js';
import { canSwitchUser, OTHER_UID, runAsOtherUser } from '../helpers/other-user.js';
import { initializeBody, INITIALIZED_BODY, SESSION_PROTOCOL_VERSION } from '../helpers/mcp-messages.js';
import { frame, upgradeRequest } from '../helpers/ws-frames.js';
import type { TestServer } from './helpers.js';
import { JSON_HEADERS, modernEchoBody, startTestServer, waitFor } from './helpers.js';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One raw HTTP request; `abortAfterMs` drops the connection before the answer. */
function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): { done: Promise<Raw>; abort: () => void } {
  const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} });
  const done = new Promise<Raw>((resolve, reject) => {
    req.on('response', (res) => {
      readResponse(res).then(({ status, headers, text }) => resolve({ status, headers, body: text }), reject);
    });
    req.on('error', reject);
  });
  req.end(options.body);
  return { done, abort: () => req.destroy() };
}

const SESSION_HEADERS = { ...JSON_HEADERS, 'mcp-protocol-version': SESSION_PROTOCOL_VERSION };

/** Opens a 2025-era session with raw requests; returns its id. */
async function openSession(url: string): Promise<string> {
  const init = await raw(`${url}/mcp`, { method: 'POST', headers: JSON_HEADERS, body: initializeBody('iso') })
    .done;
  expect(init.status, init.body).to.equal(200);
  const id = init.headers['mcp-session-id'] as string;
  await raw(`${url}/mcp`, {
    method: 'POST',
    headers: { ...SESSION_HEADERS, 'mcp-session-id': id },
    body: INITIALIZED_BODY,
  }).done;
  return id;
}

function slowCall(id: number | string, tag: string, steps = 200): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: 'slow', arguments: { steps, intervalMs: 20, tag } },
  });
}

/** The script another user runs: fetch `url` with `init`, print status and body. */
function fetchScript(url: string, init: Record<string, unknown> = {}): string {
  return `const r = await fetch(${JSON.stringify(url)}, ${JSON.stringify(init)});
console.log(JSON.stringify({ status: r.status, body: await r.text() }));`;
}

describe('client isolation on the HTTP server', function () {
  this.timeout(30_000);

  describe('another local OS user', function () {
    before(function () {
      if (!canSwitchUser()) this.skip(); // needs root to act as another user
    });

    it('is refused by default with 403 naming the uid, on MCP, the tool API, status and upgrades', async () => {
      const srv = await startTestServer();
      try {
        const url = srv.handle.url;
        const port = srv.handle.port;
        for (const [path, init] of [
          [
            '/mcp',
            {
              method: 'POST',
              headers: { ...JSON_HEADERS, host: `127.0.0.1:${port}` },
              body: initializeBody('x'),
            },
          ],
          ['/status', { headers: { host: `127.0.0.1:${port}` } }],
        ] as const) {
          const res = await runAsOtherUser<{ status: number; body: string }>(
            fetchScript(`${url}${path}`, init),
          );
          expect(res.status, path).to.equal(403);
          expect(res.body).to.include(`uid ${OTHER_UID}`).and.to.include('--allow-local-users');
        }
        const upgrade = await runAsOtherUser<{ answer: string }>(`
import { connect } from 'node:net';
const s = connect(${port}, '127.0.0.1');
let answer = '';
s.on('data', (c) => (answer += c));
s.on('close', () => console.log(JSON.stringify({ answer })));
s.write('GET /mcp HTTP/1.1\\r\\nHost: 127.0.0.1:${port}\\r\\nConnection: Upgrade\\r\\nUpgrade: websocket\\r\\n' +
  'Sec-WebSocket-Version: 13\\r\\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\\r\\nSec-WebSocket-Protocol: mcp\\r\\n\\r\\n');`);
        expect(upgrade.answer).to.match(/^HTTP\/1\.1 403/);
        const health = await runAsOtherUser<{ status: number }>(fetchScript(`${url}/healthz`));
        expect(health.status).to.equal(200);
        // The daemon's own user is served as before.
        const own = await raw(`${url}/mcp`, {
          method: 'POST',
          headers: JSON_HEADERS,
          body: initializeBody('own'),
        }).done;
        expect(own.status).to.equal(200);
      } finally {
        await srv.handle.close();
      }
    });

    describe('with --allow-local-users', function () {
      let srv: TestServer;
      before(async () => {
        srv = await startTestServer({ allowLocalUsers: true });
      });
      after(async () => {
        await srv.handle.close();
      });

      it("is served, but cannot use, watch or end another user's session (404 as for an unknown one)", async () => {
        const url = srv.handle.url;
        const host = `127.0.0.1:${srv.handle.port}`;
        const id = await openSession(url);
        const headers = { ...SESSION_HEADERS, host, 'mcp-session-id': id };
        const call = await runAsOtherUser<{ status: number; body: string }>(
          fetchScript(`${url}/mcp`, { method: 'POST', headers, body: slowCall(7, 'stolen', 1) }),
        );
        expect(call.status).to.equal(404);
        const stream = await runAsOtherUser<{ status: number }>(
          fetchScript(`${url}/mcp`, { headers: { ...headers, accept: 'text/event-stream' } }),
        );
        expect(stream.status).to.equal(404);
        const end = await runAsOtherUser<{ status: number }>(
          fetchScript(`${url}/mcp`, { method: 'DELETE', headers }),
        );
        expect(end.status).to.equal(404);
        // Still the owner's session.
        const mine = await raw(`${url}/mcp`, {
          method: 'POST',
          headers: { ...SESSION_HEADERS, 'mcp-session-id': id },
          body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
        }).done;
        expect(mine.status).to.equal(200);
        const other = await runAsOtherUser<{ status: number }>(
          fetchScript(`${url}/mcp`, {
            method: 'POST',
            headers: { ...JSON_HEADERS, host },
            body: initializeBody('other'),
          }),
        );
        expect(other.status).to.equal(200);
      });
    });
  });

  describe('one client', function () {
    let srv: TestServer;
    let url: string;
    before(async () => {
      srv = await startTestServer({ maxSessionsPerClient: 3, maxConcurrentPerClient: 4 });
      url = srv.handle.url;
    });
    after(async () => {
      await srv.handle.close();
    });

    it('cannot take over an answer by re-sending a request id still in flight (409, the original answered)', async () => {
      const id = await openSession(url);
      const headers = { ...SESSION_HEADERS, 'mcp-session-id': id };
      const original = raw(`${url}/mcp`, { method: 'POST', headers, body: slowCall(42, 'original', 10) });
      await waitFor(() => srv.tracker.list().some((r) => r.tool === 'slow'));
      const duplicate = await raw(`${url}/mcp`, { method: 'POST', headers, body: slowCall(42, 'dup', 1) })
        .done;
      expect(duplicate.status).to.equal(409);
      expect(duplicate.body).to.include('already in flight');
      const answer = await original.done;
      expect(answer.status).to.equal(200);
      expect(answer.body).to.include('done 10');
      await raw(`${url}/mcp`, { method: 'DELETE', headers }).done;
    });

    it('sees no session id on the TCP /status, only a prefix that cannot be used', async () => {
      const id = await openSession(url);
      const headers = { ...SESSION_HEADERS, 'mcp-session-id': id };
      const call = raw(`${url}/mcp`, { method: 'POST', headers, body: slowCall(5, 'status', 20) });
      await waitFor(() => srv.tracker.list().some((r) => r.tool === 'slow'));
      const status = await raw(`${url}/status`).done;
      expect(status.body).to.not.include(id);
      expect(status.body).to.include(`${id.slice(0, 8)}…`);
      const used = await raw(`${url}/mcp`, {
        method: 'POST',
        headers: { ...SESSION_HEADERS, 'mcp-session-id': id.slice(0, 8) },
        body: slowCall(6, 'guess', 1),
      }).done;
      expect(used.status).to.equal(404);
      await call.done;
      await raw(`${url}/mcp`, { method: 'DELETE', headers }).done;
    });

    it('gets 429 past its open-session limit, on HTTP and WebSocket, and a slot back when one closes', async () => {
      const ids = [await openSession(url), await openSession(url), await openSession(url)];
      const fourth = await raw(`${url}/mcp`, {
        method: 'POST',
        headers: JSON_HEADERS,
        body: initializeBody('4'),
      }).done;
      expect(fourth.status).to.equal(429);
      expect(fourth.body).to.include('max_sessions_per_client');
      const upgrade = await new Promise<string>((resolve) => {
        const s = connect(srv.handle.port, '127.0.0.1');
        let answer = '';
        s.on('data', (c: Buffer) => (answer += c.toString()));
        s.on('close', () => resolve(answer));
        s.write(
          `GET /mcp HTTP/1.1\r\nHost: 127.0.0.1:${srv.handle.port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
            'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: mcp\r\n\r\n',
        );
      });
      expect(upgrade).to.match(/^HTTP\/1\.1 429/);
      await raw(`${url}/mcp`, { method: 'DELETE', headers: { ...SESSION_HEADERS, 'mcp-session-id': ids[0] } })
        .done;
      const again = await raw(`${url}/mcp`, {
        method: 'POST',
        headers: JSON_HEADERS,
        body: initializeBody('5'),
      }).done;
      expect(again.status).to.equal(200);
      for (const id of [ids[1], ids[2], again.headers['mcp-session-id'] as string]) {
        await raw(`${url}/mcp`, { method: 'DELETE', headers: { ...SESSION_HEADERS, 'mcp-session-id': id } })
          .done;
      }
    });

    it('gets 429 for every request of a burst past its in-flight limit, none slipping through as a JSON-RPC error', async () => {
      const id = await openSession(url);
      const headers = { ...SESSION_HEADERS, 'mcp-session-id': id };
      // Each admitted call runs 100 steps of 20 ms: long past the moment the last request of the
      // burst arrives, even on a loaded machine, so no slot frees up while the burst is admitted.
      const burst = await Promise.all(
        Array.from(
          { length: 30 },
          (_, i) =>
            raw(`${url}/mcp`, { method: 'POST', headers, body: slowCall(100 + i, 'burst', 100) }).done,
        ),
      );
      const statuses = burst.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).to.have.length(4);
      expect(statuses.filter((s) => s === 429)).to.have.length(26);
      for (const answer of burst.filter((r) => r.status === 200)) expect(answer.body).to.include('done 100');
      await raw(`${url}/mcp`, { method: 'DELETE', headers }).done;
    });

    it('cancels its call when it drops the HTTP request, in a session and stateless', async () => {
      const id = await openSession(url);
      const inSession = raw(`${url}/mcp`, {
        method: 'POST',
        headers: { ...SESSION_HEADERS, 'mcp-session-id': id },
        body: slowCall(1, 'dropped-session'),
      });
      await waitFor(() => srv.tracker.list().some((r) => r.tool === 'slow'));
      inSession.abort();
      await inSession.done.catch(() => {});
      await waitFor(() => srv.log.cancelled.includes('dropped-session'));

      const modern = modernEchoBody('x').replace(
        '"name":"echo","arguments":{"text":"x"}',
        '"name":"slow","arguments":{"steps":200,"intervalMs":20,"tag":"dropped-stateless"}',
      );
      const stateless = raw(`${url}/mcp`, {
        method: 'POST',
        headers: {
          ...JSON_HEADERS,
          'mcp-protocol-version': '2026-07-28',
          'mcp-method': 'tools/call',
          'mcp-name': 'slow',
        },
        body: modern,
      });
      await waitFor(() =>
        srv.tracker.list().some((r) => r.tool === 'slow' && r.transport === 'http-stateless'),
      );
      stateless.abort();
      await stateless.done.catch(() => {});
      await waitFor(() => srv.log.cancelled.includes('dropped-stateless'));
      await waitFor(() => srv.tracker.activeCount === 0);
    });
  });

  describe('slow WebSocket readers', function () {
    it('are closed once together they hold the shared send budget, and others keep being served', async () => {
      const srv = await startTestServer({
        maxConcurrentPerClient: 64,
        webSocket: { maxBufferedBytesTotal: 2 * 1024 * 1024, maxBufferedBytes: 64 * 1024 * 1024 },
      });
      try {
        const host = `127.0.0.1:${srv.handle.port}`;
        const text = 'x'.repeat(200_000);
        const readers = await Promise.all(
          Array.from({ length: 4 }, async (_, n) => {
            const socket = connect(srv.handle.port, '127.0.0.1');
            await new Promise((resolve) => socket.once('connect', resolve));
            socket.on('error', () => {});
            socket.write(upgradeRequest(host));
            await new Promise((resolve) => socket.once('data', resolve));
            // Never read again: answers pile up in the server's send buffers.
            socket.pause();
            socket.write(frame(0x1, Buffer.from(initializeBody(`ws-reader-${n}`))));
            for (let i = 0; i < 40; i++) {
              const call = {
                jsonrpc: '2.0',
                id: `${n}-${i}`,
                method: 'tools/call',
                params: { name: 'echo', arguments: { text } },
              };
              socket.write(frame(0x1, Buffer.from(JSON.stringify(call))));
            }
            return socket;
          }),
        );
        await waitFor(() => srv.handle.stats().webSockets === 4);
        // The server closes the reader holding the most; a paused socket never reads the close
        // frame, so the server's count of open connections is what shows it.
        await waitFor(() => srv.handle.stats().webSockets < 4, 15_000);
        // A well-behaved client is still served.
        const ok = await raw(`${srv.handle.url}/mcp`, {
          method: 'POST',
          headers: JSON_HEADERS,
          body: initializeBody('ok'),
        }).done;
        expect(ok.status).to.equal(200);
        for (const socket of readers) socket.destroy();
      } finally {
        await srv.handle.close();
      }
    });
  });
});
