/**
 * Malformed input at every edge of the real daemon: raw request lines, paths and headers on the
 * TCP port (plain requests and WebSocket upgrades), broken frames on an open WebSocket, a torn
 * SSE stream, and the same request lines on the admin socket. After every case the daemon must
 * still answer `/healthz` and the admin socket, and its process must be alive.
 */
import { expect } from 'chai';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { pidAlive } from '../helpers/cli.js';
import { frame } from '../helpers/ws-frames.js';
import type { E2eServer } from '../e2e/helpers.js';
import { startE2eServer } from '../e2e/helpers.js';

/** Sends `bytes` on a fresh connection and resolves with what came back when the peer closes (or after a pause). */
function exchange(target: { port: number } | { path: string }, bytes: Buffer | string): Promise<string> {
  return new Promise((resolve) => {
    const socket: Socket = 'port' in target ? connect(target.port, '127.0.0.1') : connect(target.path);
    let answer = '';
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    // A server that waits for more bytes (a half-sent request) is fine: stop listening after a pause.
    const timer = setTimeout(finish, 1500);
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('error', finish);
    socket.on('close', finish);
    socket.on('connect', () => socket.write(bytes));
  });
}

/** The status code of a raw HTTP answer, or undefined when the server closed without one. */
function statusOf(answer: string): number | undefined {
  const match = /^HTTP\/1\.1 (\d{3})/.exec(answer);
  return match ? Number(match[1]) : undefined;
}

const UPGRADE_HEADERS =
  'Host: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
  'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: mcp\r\n';

/** Request lines and header sets no client should send. */
function malformedRequests(): { name: string; bytes: string | Buffer }[] {
  const paths = [
    '//[',
    '/[',
    '//',
    '/%',
    '/%zz',
    '/mcp%00',
    '/..%2f..%2fetc%2fpasswd',
    '/mcp?%E0%A4%A',
    '/messages?sessionId=%ff',
    '*',
    'http://[::1',
    'http://evil.example/mcp',
    `/${'a'.repeat(60_000)}`,
    '/\u00e9\u0000',
  ];
  const cases: { name: string; bytes: string | Buffer }[] = [];
  for (const path of paths) {
    cases.push({
      name: `GET ${path.slice(0, 30)}`,
      bytes: `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
    });
    cases.push({
      name: `upgrade ${path.slice(0, 30)}`,
      bytes: `GET ${path} HTTP/1.1\r\n${UPGRADE_HEADERS}\r\n`,
    });
  }
  const headerSets = [
    'Host: [\r\n',
    'Host: 127.0.0.1\r\nHost: evil.example\r\n',
    'Host: 127.0.0.1\r\nOrigin: http://[\r\n',
    'Host: 127.0.0.1\r\nOrigin: null\r\n',
    'Host: 127.0.0.1\r\nAuthorization: Bearer\r\n',
    'Host: 127.0.0.1\r\nAuthorization: \u00ff\u00fe\r\n',
    'Host: 127.0.0.1\r\nContent-Length: -1\r\n',
    'Host: 127.0.0.1\r\nContent-Length: 99999999999999999999\r\n',
    'Host: 127.0.0.1\r\nContent-Length: abc\r\n',
    'Host: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n',
    'Host: 127.0.0.1\r\nMcp-Session-Id: \u0000\r\n',
    'Host: 127.0.0.1\r\nX-Folded: a\r\n  b\r\n',
    `Host: 127.0.0.1\r\n${Array.from({ length: 300 }, (_, i) => `X-H${i}: v`).join('\r\n')}\r\n`,
    `Host: 127.0.0.1\r\nX-Big: ${'v'.repeat(20_000)}\r\n`,
  ];
  for (const [i, headers] of headerSets.entries()) {
    for (const target of ['/mcp', '/status', '/messages?sessionId=x', '/mcp/tools/call']) {
      cases.push({
        name: `POST ${target} header set ${i}`,
        bytes: `POST ${target} HTTP/1.1\r\n${headers}\r\n{}`,
      });
    }
    cases.push({
      name: `upgrade header set ${i}`,
      bytes: `GET /mcp HTTP/1.1\r\n${headers}${UPGRADE_HEADERS}\r\n`,
    });
  }
  cases.push(
    {
      name: 'chunked body with a bad chunk',
      bytes:
        'POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
    },
    {
      name: 'gzip body',
      bytes:
        'POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\n\u001f\u008b\u0008\u0000',
    },
    { name: 'HTTP/2 preface', bytes: 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n' },
    { name: 'garbage', bytes: Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37) % 256)) },
    { name: 'bare newline lines', bytes: 'GET /mcp HTTP/1.1\nHost: 127.0.0.1\n\n' },
    {
      name: 'upgrade with a bad key',
      bytes: `GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: x\r\nSec-WebSocket-Protocol: mcp\r\n\r\n`,
    },
    {
      name: 'upgrade version 99',
      bytes: `GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 99\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    },
    {
      name: 'upgrade to something else',
      bytes: `GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n`,
    },
    { name: 'upgrade on /sse', bytes: `GET /sse HTTP/1.1\r\n${UPGRADE_HEADERS}\r\n` },
    {
      name: 'half a request',
      bytes:
        'POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"jsonrpc"',
    },
  );
  return cases;
}

/** Frames a broken or hostile WebSocket client might send after a valid upgrade. */
function malformedFrames(): { name: string; bytes: Buffer }[] {
  return [
    { name: 'unknown opcode', bytes: frame(0x3, Buffer.from('x')) },
    { name: 'unmasked text', bytes: frame(0x1, Buffer.from('{}'), { masked: false }) },
    { name: 'reserved bits', bytes: frame(0x1, Buffer.from('{}'), { rsv: 7 }) },
    { name: 'fragmented ping', bytes: frame(0x9, Buffer.from('x'), { fin: false }) },
    { name: 'invalid UTF-8', bytes: frame(0x1, Buffer.from([0xc3, 0x28, 0xff])) },
    { name: 'close with code 999', bytes: frame(0x8, Buffer.from([0x03, 0xe7])) },
    { name: 'continuation without start', bytes: frame(0x0, Buffer.from('x')) },
    {
      name: 'huge declared length',
      bytes: Buffer.from([0x81, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
    },
    { name: 'JSON-RPC junk', bytes: frame(0x1, Buffer.from('{"jsonrpc":"2.0","id":{},"method":7}')) },
    { name: 'deep JSON', bytes: frame(0x1, Buffer.from('['.repeat(30_000))) },
  ];
}

describe('malformed input at every edge of the daemon', function () {
  this.timeout(240_000);
  let server: E2eServer;
  let port: number;
  let adminSocket: string;

  before(async function () {
    server = await startE2eServer();
    port = Number(new URL(server.base).port);
    adminSocket = join(server.home.env.XDG_RUNTIME_DIR!, 'smcp', 'admin.sock');
  });
  after(async function () {
    await server?.stop();
  });

  async function expectServing(after: string): Promise<void> {
    expect(pidAlive(server.child.pid!), `daemon alive after ${after}`).to.equal(true);
    const health = await exchange(
      { port },
      'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
    );
    expect(statusOf(health), `/healthz after ${after}: ${health.slice(0, 200)}`).to.equal(200);
    const admin = await exchange(
      { path: adminSocket },
      'GET /v1/status HTTP/1.1\r\nHost: admin\r\nConnection: close\r\n\r\n',
    );
    expect(statusOf(admin), `admin status after ${after}`).to.equal(200);
  }

  it('survives malformed request lines, paths and headers on the MCP port, /healthz answering throughout', async function () {
    const cases = malformedRequests();
    for (const c of cases) {
      const answer = await exchange({ port }, c.bytes);
      const status = statusOf(answer);
      // Either a clear HTTP refusal or a closed connection; never a 500 from an unguarded parser.
      if (status !== undefined) expect(status, `${c.name}: ${answer.slice(0, 300)}`).to.not.equal(500);
      await expectServing(c.name);
    }
  });

  it('refuses the //[ WebSocket upgrade with a status, not by dying', async function () {
    const answer = await exchange({ port }, `GET //[ HTTP/1.1\r\n${UPGRADE_HEADERS}\r\n`);
    expect(statusOf(answer)).to.equal(404);
    await expectServing('the //[ upgrade');
  });

  it('survives broken WebSocket frames after a valid upgrade', async function () {
    for (const c of malformedFrames()) {
      const handshake = `GET /mcp HTTP/1.1\r\n${UPGRADE_HEADERS.replace('127.0.0.1', `127.0.0.1:${port}`)}\r\n`;
      const answer = await exchange({ port }, Buffer.concat([Buffer.from(handshake), c.bytes]));
      expect(statusOf(answer), `${c.name}: upgrade answered`).to.equal(101);
      await expectServing(`WebSocket ${c.name}`);
    }
  });

  it('survives SSE streams torn down mid-handshake and posts to them', async function () {
    for (let i = 0; i < 5; i++) {
      await exchange({ port }, 'GET /sse HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n');
      await exchange(
        { port },
        'POST /messages?sessionId=00000000-0000-0000-0000-000000000000 HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
          'Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
      );
    }
    await expectServing('torn SSE streams');
  });

  it('survives malformed requests on the admin socket', async function () {
    const cases = malformedRequests().filter((c) => !c.name.startsWith('upgrade'));
    for (const c of cases.slice(0, 40)) {
      const answer = await exchange({ path: adminSocket }, c.bytes);
      const status = statusOf(answer);
      if (status !== undefined) expect(status, `admin ${c.name}: ${answer.slice(0, 300)}`).to.not.equal(500);
      await expectServing(`admin ${c.name}`);
    }
  });
});
