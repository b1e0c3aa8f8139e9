import { expect } from 'chai';
import type { E2eServer, ToolAnswer } from './helpers.js';
import {
  connectHttp,
  connectStdio,
  connectWebSocket,
  eventually,
  HISTORY_SQL,
  JSON_HEADERS,
  MODERN_META,
  startE2eServer,
  tabular,
} from './helpers.js';

/** Calls a tool with progress and an abort signal; the shape both SDK generations accept. */
type CallWithProgress = (
  sql: string,
  onProgress: (progress: number) => void,
  signal: AbortSignal,
) => Promise<unknown>;
/** A plain call. */
type PlainCall = (sql: string) => Promise<unknown>;

/** What a cancelled statement looked like to the client and in the query history. */
interface CancelOutcome {
  readonly progress: number[];
  readonly rejected: boolean;
  readonly history: { status: string; errorCode: unknown };
}

/**
 * Starts a statement that waits far longer than the progress interval (5 s, the default), aborts
 * the call once the first progress notification arrived, and reads the query history through the
 * same connection until the statement is no longer running.
 */
async function cancelAfterProgress(
  sql: string,
  callWithProgress: CallWithProgress,
  call: PlainCall,
): Promise<CancelOutcome> {
  const progress: number[] = [];
  const ac = new AbortController();
  let firstProgress!: () => void;
  const gotProgress = new Promise<void>((resolve) => (firstProgress = resolve));
  const pending = callWithProgress(
    sql,
    (p) => {
      progress.push(p);
      firstProgress();
    },
    ac.signal,
  );
  let rejected = false;
  const settled = pending.then(
    () => undefined,
    () => {
      rejected = true;
    },
  );
  const guard = setTimeout(() => ac.abort(), 12_000);
  await Promise.race([gotProgress, settled]);
  ac.abort();
  clearTimeout(guard);
  await settled;
  const history = await eventually(async () => {
    const rows = tabular(await call(HISTORY_SQL)).rows;
    const row = rows.find((r) => r[0] === sql);
    return row && row[1] !== 'RUNNING' ? { status: String(row[1]), errorCode: row[2] } : undefined;
    // The waits run 45 s and more when nothing cancels them: 20 s tells a cancel from none, with
    // room for a busy machine.
  }, 20_000);
  return { progress, rejected, history };
}

function expectCancelled(outcome: CancelOutcome, transport: string): void {
  expect(outcome.progress.length, `${transport}: progress notifications`).to.be.greaterThan(0);
  expect(outcome.progress[0], `${transport}: first progress`).to.be.greaterThan(0);
  expect(outcome.rejected, `${transport}: call rejected on abort`).to.equal(true);
  expect(outcome.history, `${transport}: query history`).to.deep.equal({
    status: 'FAILED_WITH_ERROR',
    errorCode: '000604',
  });
}

/** The query history row of `sql` once it no longer runs, read through `call`. */
function settledHistory(
  call: PlainCall,
  sql: string,
  withinMs = 20_000,
): Promise<{ status: string; errorCode: unknown }> {
  return eventually(async () => {
    const row = tabular(await call(HISTORY_SQL)).rows.find((r) => r[0] === sql);
    return row && row[1] !== 'RUNNING' ? { status: String(row[1]), errorCode: row[2] } : undefined;
    // The waits run 45 s and more when nothing cancels them: 20 s tells a cancel from none, with
    // room for a busy machine.
  }, withinMs);
}

describe('e2e: progress and cancel', function () {
  // Waiting for the first progress notification takes one 5 s interval; a settle may take 20 s.
  this.timeout(60_000);
  let server: E2eServer;

  before(async () => {
    server = await startE2eServer();
  });
  after(async () => {
    // The last test checks the exit after SIGTERM; whatever still runs now is killed.
    await server.stop('SIGKILL');
  });

  /** Runs SQL over a fresh HTTP session (for reading the history without disturbing the others). */
  async function viaFreshSession(sql: string): Promise<unknown> {
    const { client } = await connectHttp(server.base, 'e2e-history');
    try {
      return await client.callTool({ name: 'execute_query', arguments: { sql } });
    } finally {
      await client.close();
    }
  }

  async function inFlightTools(): Promise<string[]> {
    const res = await fetch(`${server.base}/status`);
    const body = (await res.json()) as { inFlight: { tool?: string }[] };
    return body.inFlight.map((r) => r.tool ?? '?');
  }

  // One test runs the three transports side by side: each needs one 5 s progress interval.
  it('reports progress and cancels the statement in Snowflake over HTTP, WebSocket and stdio', async () => {
    const http = await connectHttp(server.base, 'e2e-progress-http');
    const ws = await connectWebSocket(server.base, 'e2e-progress-ws');
    const stdio = await connectStdio();
    try {
      const [overHttp, overWs, overStdio] = await Promise.all([
        cancelAfterProgress(
          'SELECT SYSTEM$WAIT(41)',
          (sql, onProgress, signal) =>
            http.client.callTool(
              { name: 'execute_query', arguments: { sql } },
              { signal, onprogress: (p) => onProgress(p.progress) },
            ),
          (sql) => http.client.callTool({ name: 'execute_query', arguments: { sql } }),
        ),
        cancelAfterProgress(
          'SELECT SYSTEM$WAIT(42)',
          (sql, onProgress, signal) =>
            ws.callTool({ name: 'execute_query', arguments: { sql } }, undefined, {
              signal,
              onprogress: (p) => onProgress(p.progress),
            }),
          (sql) => ws.callTool({ name: 'execute_query', arguments: { sql } }),
        ),
        cancelAfterProgress(
          'SELECT SYSTEM$WAIT(43)',
          (sql, onProgress, signal) =>
            stdio.client.callTool(
              { name: 'execute_query', arguments: { sql } },
              { signal, onprogress: (p) => onProgress(p.progress) },
            ),
          (sql) => stdio.client.callTool({ name: 'execute_query', arguments: { sql } }),
        ),
      ]);
      expectCancelled(overHttp, 'HTTP');
      expectCancelled(overWs, 'WebSocket');
      expectCancelled(overStdio, 'stdio');
      expect(stdio.errors.map(String)).to.deep.equal([]);
      // Each connection keeps serving after its cancel (the history reads above prove it too).
      const after = (await http.client.callTool({
        name: 'execute_query',
        arguments: { sql: 'SELECT 1 AS STILL_HERE' },
      })) as ToolAnswer;
      expect(tabular(after).rows).to.deep.equal([[1]]);
    } finally {
      await Promise.allSettled([http.client.close(), ws.close(), stdio.client.close()]);
      stdio.home.remove();
    }
  });

  it('cancels the statement when a 2026-07-28 request closes its response stream', async () => {
    const sql = 'SELECT SYSTEM$WAIT(44)';
    const ac = new AbortController();
    const pending = fetch(`${server.base}/mcp`, {
      method: 'POST',
      signal: ac.signal,
      headers: {
        ...JSON_HEADERS,
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': 'execute_query',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'execute_query', arguments: { sql }, _meta: MODERN_META },
      }),
    }).then((res) => res.text());
    await eventually(async () => ((await inFlightTools()).includes('execute_query') ? true : undefined));
    ac.abort();
    await pending.catch(() => {});
    expect(await settledHistory(viaFreshSession, sql)).to.deep.equal({
      status: 'FAILED_WITH_ERROR',
      errorCode: '000604',
    });
  });

  it('cancels the statement of a session that is deleted and of a WebSocket that drops', async function () {
    // Two clients drop at once on a possibly busy machine: the waits are long enough (120 s) that a
    // generous 60 s bound still tells a cancelled statement from one that ran on.
    this.timeout(150_000);
    const http = await connectHttp(server.base, 'e2e-drop-http');
    const ws = await connectWebSocket(server.base, 'e2e-drop-ws');
    const httpCall = http.client
      .callTool({ name: 'execute_query', arguments: { sql: 'SELECT SYSTEM$WAIT(120)' } })
      .catch((err: unknown) => err);
    const wsCall = ws
      .callTool({ name: 'execute_query', arguments: { sql: 'SELECT SYSTEM$WAIT(121)' } })
      .catch((err: unknown) => err);
    await eventually(async () =>
      (await inFlightTools()).filter((t) => t === 'execute_query').length >= 2 ? true : undefined,
    );
    await http.transport.terminateSession();
    await http.client.close();
    await ws.close();
    expect(await httpCall).to.be.instanceOf(Error);
    expect(await wsCall).to.be.instanceOf(Error);
    for (const sql of ['SELECT SYSTEM$WAIT(120)', 'SELECT SYSTEM$WAIT(121)']) {
      expect(await settledHistory(viaFreshSession, sql, 60_000), sql).to.deep.equal({
        status: 'FAILED_WITH_ERROR',
        errorCode: '000604',
      });
    }
  });

  it('shows one running call once in /status', async () => {
    const { client } = await connectHttp(server.base, 'e2e-status');
    const ac = new AbortController();
    const call = client
      .callTool(
        { name: 'execute_query', arguments: { sql: 'SELECT SYSTEM$WAIT(47)' } },
        { signal: ac.signal },
      )
      .catch(() => undefined);
    try {
      const tools = await eventually(async () => {
        const now = await inFlightTools();
        return now.includes('execute_query') ? now : undefined;
      });
      expect(tools).to.deep.equal(['execute_query']);
      const status = (await (await fetch(`${server.base}/status`)).json()) as {
        memory: Record<string, number>;
        emulator: Record<string, number>;
      };
      expect(status.memory.rssBytes).to.be.greaterThan(status.memory.heapUsedBytes);
      expect(status.emulator.heldResults).to.be.at.least(1);
    } finally {
      ac.abort();
      await call;
      // Give the cancel notification time to leave before the transport closes.
      await eventually(async () => ((await inFlightTools()).length === 0 ? true : undefined));
      await client.close();
    }
  });

  it('exits 0 within 5 s of SIGTERM after statements were cancelled', async () => {
    expect(await server.exitWithin(5000)).to.equal(0);
  });
});
