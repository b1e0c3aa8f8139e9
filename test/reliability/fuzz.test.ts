/**
 * Fuzz run of malformed protocol input against one real `smcp start --foreground` process:
 * SMCP_FUZZ_CASES cases (default 10,000) from the seeded generator (SMCP_FUZZ_SEED) over Streamable
 * HTTP (stateless 2026-07-28 and a 2025-era session), legacy /messages, the plain tool API and
 * WebSocket frames. Every reply must be well-formed (see fuzz-checks.ts); after every batch the
 * server must still answer /healthz and a normal tools/list on every transport, and never exit.
 * A failure prints the seed and case indexes; `SMCP_FUZZ_SEED=… npx mocha test/reliability/fuzz.test.ts`
 * replays it, and `fuzzCase(seed, index)` rebuilds one case.
 */
import { expect } from 'chai';
import type { E2eServer } from '../e2e/helpers.js';
import { startE2eServer } from '../e2e/helpers.js';
import { EXPECTED_TOOL_NAMES } from '../helpers/tool-names.js';
import type { FuzzCase } from './fuzz-cases.js';
import { DEFAULT_SEED, fuzzCase } from './fuzz-cases.js';
import { checkHttpReply, preview } from './fuzz-checks.js';
import {
  FuzzSocket,
  LegacyStream,
  POST_HEADERS,
  RawHttp,
  caseHeaders,
  openHttpSession,
} from './fuzz-clients.js';

const SEED = Number(process.env.SMCP_FUZZ_SEED ?? DEFAULT_SEED);
const CASES = Number(process.env.SMCP_FUZZ_CASES ?? 10_000);
const BATCH = 500;
/** Under the server's 16 requests in flight per client (every HTTP request here comes from 127.0.0.1). */
const HTTP_WORKERS = 12;
const WS_SOCKETS = 4;
const MODERN_LIST = {
  jsonrpc: '2.0',
  id: 'health',
  method: 'tools/list',
  params: {
    _meta: {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientInfo': { name: 'fuzz-health', version: '1' },
      'io.modelcontextprotocol/clientCapabilities': {},
    },
  },
};

describe('fuzz: malformed protocol input over HTTP and WebSocket', function () {
  this.timeout(300_000);
  let server: E2eServer;
  let http: RawHttp;
  let sessionId: string;
  let legacy: LegacyStream;
  const sockets: FuzzSocket[] = [];
  const failures: string[] = [];
  const outcomes = new Map<string, number>();

  const fail = (c: FuzzCase | undefined, problem: string): void => {
    const where = c ? `case ${c.index} ${c.target}/${c.family}: ` : '';
    const payload = c ? ` — payload ${JSON.stringify(preview(c.payload))}` : '';
    failures.push(`${where}${problem}${payload}`);
  };
  const count = (key: string): void => void outcomes.set(key, (outcomes.get(key) ?? 0) + 1);

  before(async () => {
    server = await startE2eServer();
    http = new RawHttp(server.base, HTTP_WORKERS + 2);
    sessionId = await openHttpSession(http);
    legacy = await LegacyStream.open(server.base);
    for (let i = 0; i < WS_SOCKETS; i++) sockets.push(await FuzzSocket.open(server.base, `ws-${i}`));
  });

  after(async () => {
    await Promise.allSettled(sockets.map((s) => s.close()));
    legacy?.close();
    http?.close();
    if (!server) return;
    // Exit 0 within the stop helper's 10 s: a request left in flight would hold the drain open.
    expect(await server.stop()).to.equal(0);
  });

  async function sendHttp(c: FuzzCase): Promise<void> {
    let path = '/mcp';
    let defaults: Record<string, string> = { ...POST_HEADERS };
    if (c.target === 'http-session')
      defaults = { ...defaults, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' };
    else if (c.target === 'http-legacy') path = legacy.postPath;
    else if (c.target === 'http-tool-api') {
      path = '/mcp/tools/call';
      defaults = { 'content-type': 'application/json' };
    }
    try {
      const reply = await http.send('POST', path, caseHeaders(c, defaults), c.payload);
      const { outcome, problem } = checkHttpReply(c, reply);
      count(`${c.target} ${outcome}`);
      if (problem) fail(c, problem);
    } catch (error) {
      count(`${c.target} no answer`);
      fail(c, `no HTTP answer: ${String(error)}`);
    }
  }

  async function runHttp(cases: FuzzCase[]): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < cases.length) await sendHttp(cases[next++]);
    };
    await Promise.all(Array.from({ length: HTTP_WORKERS }, worker));
  }

  /** Close codes the server may end a WebSocket with for this case. */
  function allowedCloses(c: FuzzCase): number[] {
    if (c.binary) return [1003];
    if (c.family === 'oversized') return [1009];
    if (Buffer.isBuffer(c.payload)) return [1007]; // a text frame of invalid UTF-8
    return [];
  }

  async function runSocket(slot: number, cases: FuzzCase[]): Promise<void> {
    for (const c of cases) {
      if (!sockets[slot].isOpen) sockets[slot] = await FuzzSocket.open(server.base, `ws-${slot}`);
      const socket = sockets[slot];
      const parseErrorsBefore = socket.ledger.parseErrors;
      const result = await socket.send(c);
      if (typeof result === 'number') {
        count(`websocket close ${result}`);
        if (!allowedCloses(c).includes(result)) fail(c, `WebSocket closed with ${result}`);
        failures.push(...socket.ledger.problems.splice(0));
      } else if (result === 'silent') {
        count('websocket silent');
        fail(c, 'the connection stopped answering');
      } else {
        count(`websocket ${c.notJson ? 'parse error' : 'answered'}`);
        if (c.notJson && socket.ledger.parseErrors === parseErrorsBefore)
          fail(c, 'no -32700 for a non-JSON frame');
      }
    }
  }

  async function runWebSocket(cases: FuzzCase[]): Promise<void> {
    const lanes: FuzzCase[][] = sockets.map(() => []);
    cases.forEach((c, i) => lanes[i % lanes.length].push(c));
    await Promise.all(lanes.map((lane, slot) => runSocket(slot, lane)));
  }

  async function healthCheck(batch: number): Promise<void> {
    const where = `after batch ${batch}`;
    expect(server.child.exitCode, `${where}: the server exited`).to.equal(null);
    const health = await http.send('GET', '/healthz', {});
    if (health.status !== 200) fail(undefined, `${where}: /healthz answered ${health.status}`);
    const modern = await http.send(
      'POST',
      '/mcp',
      { ...POST_HEADERS, 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' },
      JSON.stringify(MODERN_LIST),
    );
    if (!modern.body.toString().includes('"execute_query"'))
      fail(undefined, `${where}: stateless tools/list answered ${modern.status} ${preview(modern.body)}`);
    const session = await http.send(
      'POST',
      '/mcp',
      { ...POST_HEADERS, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' },
      JSON.stringify({ jsonrpc: '2.0', id: 'health', method: 'tools/list' }),
    );
    if (!session.body.toString().includes('"execute_query"'))
      fail(undefined, `${where}: session tools/list answered ${session.status} ${preview(session.body)}`);
    if (!legacy.open) fail(undefined, `${where}: the legacy SSE stream was closed`);
    else if ((await legacy.toolCount(http)) !== EXPECTED_TOOL_NAMES.length)
      fail(undefined, `${where}: legacy tools/list unanswered`);
    for (const socket of sockets) {
      if (socket.isOpen && (await socket.ping()) !== 'answered')
        fail(undefined, `${where}: a WebSocket went quiet`);
    }
    // Everything sent has been answered: nothing may stay counted in flight (a leak hangs drain).
    const deadline = Date.now() + 5000;
    let inFlight: unknown[];
    do {
      const status = await http.send('GET', '/status', {});
      inFlight = (JSON.parse(status.body.toString()) as { inFlight: unknown[] }).inFlight;
      if (inFlight.length > 0) await new Promise((r) => setTimeout(r, 100));
    } while (inFlight.length > 0 && Date.now() < deadline);
    if (inFlight.length > 0)
      fail(undefined, `${where}: requests stuck in flight: ${preview(JSON.stringify(inFlight))}`);
  }

  it(`answers ${CASES} malformed cases (seed ${SEED}) with well-formed errors and keeps serving`, async () => {
    const started = Date.now();
    for (let first = 0, batch = 1; first < CASES; first += BATCH, batch++) {
      const cases = Array.from({ length: Math.min(BATCH, CASES - first) }, (_, i) =>
        fuzzCase(SEED, first + i),
      );
      await Promise.all([
        runHttp(cases.filter((c) => c.target !== 'websocket')),
        runWebSocket(cases.filter((c) => c.target === 'websocket')),
      ]);
      await healthCheck(batch);
    }
    // Every certain error on a stream must have been answered by now (each stream is quiet).
    for (const ledger of [legacy.ledger, ...sockets.map((s) => s.ledger)]) {
      failures.push(...ledger.problems);
      for (const index of ledger.unanswered()) fail(fuzzCase(SEED, index), 'no error answer on the stream');
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const summary = [...outcomes.entries()].sort(([a], [b]) => a.localeCompare(b));
    console.log(`      fuzz: ${CASES} cases, seed ${SEED}, ${seconds} s`);
    for (const [key, n] of summary) console.log(`        ${key}: ${n}`);
    if (failures.length > 0) {
      console.log(
        `      replay: SMCP_FUZZ_SEED=${SEED} SMCP_FUZZ_CASES=${CASES} npx mocha ${'test/reliability/fuzz.test.ts'}`,
      );
      for (const f of failures.slice(0, 30)) console.log(`        ${f}`);
    }
    expect(failures, `${failures.length} failures with seed ${SEED}`).to.have.length(0);
  });
});
