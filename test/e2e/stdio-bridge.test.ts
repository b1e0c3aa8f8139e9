/**
 * `smcp stdio` on the daemon, end to end: the official SDK client spawns `bin/smcp stdio` in an
 * isolated home where a real background daemon runs (with a bearer token, which the bridge reads
 * from the daemon's runtime files); the client's session shows in the daemon's status; progress
 * and cancel cross the bridge; a restart fails the call it cut off and the next call works;
 * `--no-daemon` and a home without a daemon serve in-process.
 */
import { expect } from 'chai';
import type { Client } from '@modelcontextprotocol/client';
import { answer, connectStdio, HISTORY_SQL, JSON_HEADERS, MODERN_META, tabular, textOf } from './helpers.js';
import type { BridgeHome } from './stdio-bridge-helpers.js';
import { bridgeHome, connectBridge, initializeLine, rawStdio, startDaemon } from './stdio-bridge-helpers.js';
import { waitFor } from '../helpers/cli.js';

const TOKEN = 'bridge-test-token-0123456789';

function query(
  client: Client,
  sql: string,
  options: Parameters<Client['callTool']>[1] = {},
): Promise<unknown> {
  return client.callTool({ name: 'execute_query', arguments: { sql } }, options);
}

describe('e2e: smcp stdio bridged to the daemon', function () {
  this.timeout(90_000);
  let h: BridgeHome;

  before(async () => {
    h = bridgeHome({ SMCP_TOKEN: TOKEN });
    await startDaemon(h);
  });
  after(async () => {
    await h.cleanup();
  });

  it('lists tools and runs a query through the daemon, where the client shows as a stdio-bridged session', async () => {
    const before = await h.status();
    // The daemon wants its token: the bridge presents it, read from the daemon's runtime file.
    const bare = await fetch(before.endpoints.mcp, { method: 'POST', headers: JSON_HEADERS, body: '{}' });
    expect(bare.status).to.equal(401);
    const { client } = await connectBridge(h, [], 'desktop-client');
    try {
      const tools = (await client.listTools()).tools.map((t) => t.name);
      expect(tools).to.include('execute_query');
      expect(tabular(await query(client, 'SELECT 41 + 1 AS ANSWER')).rows).to.deep.equal([[42]]);
      // The audit trail: the statement's QUERY_TAG in the query history names the bridge.
      const tags = tabular(
        await query(
          client,
          "SELECT QUERY_TAG FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY()) WHERE QUERY_TEXT = 'SELECT 41 + 1 AS ANSWER'",
        ),
      ).rows;
      expect(String(tags[0]?.[0])).to.include('stdio-bridge');
      const status = await h.status();
      expect(status.pid).to.equal(before.pid);
      expect(status.sessions['stdio-bridge']).to.equal(1);
      expect(status.requestsCompleted).to.be.greaterThan(before.requestsCompleted);
      const metrics = await h.smcp(['metrics']);
      expect(metrics.stdout).to.match(/smcp_calls_total\{[^}]*transport="stdio-bridge"/);
    } finally {
      await client.close();
    }
    // The bridge ends its daemon session when the client goes.
    await waitFor(async () => !(await h.status()).sessions['stdio-bridge']);
  });

  it('serves a 2026-07-28 client through the bridge, its cancel included', async () => {
    const raw = rawStdio(h);
    try {
      const meta = MODERN_META;
      raw.send(
        `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'server/discover', params: { _meta: meta } })}\n`,
      );
      const discovered = await raw.answer(1);
      expect(discovered.error, JSON.stringify(discovered)).to.equal(undefined);
      const call = {
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'execute_query', arguments: { sql: 'SELECT 7 AS SEVEN' }, _meta: meta },
      };
      raw.send(`${JSON.stringify(call)}\n`);
      const answered = await raw.answer(2);
      const result = answered.result as { structuredContent?: { rows: unknown[][] } } | undefined;
      expect(result?.structuredContent?.rows, JSON.stringify(answered)).to.deep.equal([[7]]);

      // A cancel closes the call's answer, which cancels the statement in the daemon.
      const slow = {
        ...call,
        id: 3,
        params: { ...call.params, arguments: { sql: 'SELECT SYSTEM$WAIT(45) AS M' } },
      };
      raw.send(`${JSON.stringify(slow)}\n`);
      await waitFor(async () => (await h.status()).inFlight.some((r) => r.transport === 'stdio-bridge'));
      const cancel = {
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId: 3, _meta: meta },
      };
      raw.send(`${JSON.stringify(cancel)}\n`);
      // The statement would hold the call for 45 s; the bound only limits a failing test.
      await waitFor(async () => (await h.status()).inFlight.length === 0, 20_000);
      expect(raw.messages().filter((m) => m.id === 3)).to.deep.equal([]);
    } finally {
      await raw.stop();
    }
  });

  it('relays progress and a cancel that cancels the statement in the daemon', async () => {
    const { client } = await connectBridge(h);
    try {
      const sql = 'SELECT SYSTEM$WAIT(45) AS BRIDGE_CANCEL';
      const ac = new AbortController();
      const progress: number[] = [];
      let rejected = false;
      const call = query(client, sql, {
        signal: ac.signal,
        onprogress: (p: { progress: number }) => {
          progress.push(p.progress);
          ac.abort();
        },
        resetTimeoutOnProgress: true,
      }).catch(() => (rejected = true));
      await waitFor(async () => (await h.status()).inFlight.some((r) => r.transport === 'stdio-bridge'));
      // The first progress notification comes after the daemon's interval; it aborts the call.
      await call;
      expect(progress.length).to.be.greaterThan(0);
      expect(rejected).to.equal(true);
      await waitFor(async () => (await h.status()).inFlight.length === 0, 20_000);
      let history: unknown[] | undefined;
      await waitFor(async () => {
        history = tabular(await query(client, HISTORY_SQL)).rows.find((r) => r[0] === sql);
        return history !== undefined && history[1] !== 'RUNNING';
      }, 20_000);
      expect(history?.slice(1)).to.deep.equal(['FAILED_WITH_ERROR', '000604']);
    } finally {
      await client.close();
    }
  });

  it('fails a call smcp restart cuts off clearly, and serves the next call from the new daemon', async () => {
    const first = await h.status();
    const { client } = await connectBridge(h);
    try {
      const cut = query(client, 'SELECT SYSTEM$WAIT(60) AS CUT_BY_RESTART', { timeout: 80_000 });
      await waitFor(async () => (await h.status()).inFlight.length === 1);
      const restart = await h.smcp(['restart', '--force'], 60_000);
      expect(restart.code, restart.stderr).to.equal(0);
      // The daemon cancelled the statement on its way down and said so before it went.
      const result = await cut;
      expect(answer(result).isError).to.equal(true);
      expect(textOf(result)).to.match(/^QUERY_CANCELLED/);

      // New daemon, new port: the bridge found it and opened a new session behind the client's back.
      expect(tabular(await query(client, 'SELECT 2 AS AFTER_RESTART')).rows).to.deep.equal([[2]]);
      const second = await h.status();
      expect(second.pid).to.not.equal(first.pid);
      expect(second.endpoints.mcp).to.not.equal(first.endpoints.mcp);
      expect(second.sessions['stdio-bridge']).to.equal(1);
    } finally {
      await client.close();
    }
  });

  it('fails a call in flight with DAEMON_RESTARTED when the daemon dies, and reconnects to the next one', async () => {
    const first = await h.status();
    const { client } = await connectBridge(h);
    try {
      const cut = query(client, 'SELECT SYSTEM$WAIT(60) AS CUT_BY_CRASH', { timeout: 80_000 }).then(
        (result) => ({ result, error: undefined }),
        (error: unknown) => ({
          result: undefined,
          error: error as Error & { code?: number; data?: unknown },
        }),
      );
      await waitFor(async () => (await h.status()).inFlight.length === 1);
      process.kill(first.pid, 'SIGKILL');
      const outcome = await cut;
      expect(outcome.error, textOf(outcome.result ?? { content: [] })).to.be.instanceOf(Error);
      expect(outcome.error?.message).to.match(
        /the smcp daemon restarted \(or stopped\) while this request ran/,
      );
      expect(outcome.error?.code).to.equal(-32000);
      expect(outcome.error?.data).to.deep.equal({ code: 'DAEMON_RESTARTED' });

      await startDaemon(h);
      expect(tabular(await query(client, 'SELECT 5 AS AFTER_CRASH')).rows).to.deep.equal([[5]]);
      expect((await h.status()).sessions['stdio-bridge']).to.equal(1);
    } finally {
      await client.close();
    }
  });

  it('serves in-process with --no-daemon even while the daemon runs', async () => {
    const before = await h.status();
    const { client } = await connectBridge(h, ['--no-daemon']);
    try {
      expect(tabular(await query(client, 'SELECT 3 AS LOCAL')).rows).to.deep.equal([[3]]);
      const after = await h.status();
      expect(after.sessions['stdio-bridge'] ?? 0).to.equal(0);
      expect(after.requestsCompleted).to.equal(before.requestsCompleted);
    } finally {
      await client.close();
    }
  });

  it('answers bad stdin lines as the in-process server does, and ends on a line past 10 MiB', async () => {
    const bridged = rawStdio(h);
    const local = rawStdio(h, ['--no-daemon']);
    try {
      const lines = [
        'not json at all\n',
        '[{"jsonrpc":"2.0","id":1,"method":"ping"}]\n',
        '{"jsonrpc":"2.0","id":2}\n',
        '{"id":3,"method":"ping"}\n',
        initializeLine(4),
        '{"jsonrpc":"2.0","method":"notifications/initialized"}\n',
        '{"jsonrpc":"2.0","id":5,"method":"ping"}\n',
      ];
      for (const raw of [bridged, local]) for (const line of lines) raw.send(line);
      await Promise.all([bridged.answer(5, 60_000), local.answer(5, 60_000)]);
      const answered = (raw: typeof bridged): unknown[] => raw.messages().map((m) => [m.id, 'error' in m]);
      expect(answered(bridged)).to.deep.equal(answered(local));
      expect(answered(bridged)).to.deep.equal([
        [4, false],
        [5, false],
      ]);
      const huge = 'x'.repeat(11 * 1024 * 1024);
      bridged.send(huge);
      local.send(huge);
      const [bridgedExit, localExit] = await Promise.all([bridged.exited(20_000), local.exited(20_000)]);
      expect(bridgedExit).to.equal(localExit);
      expect(bridgedExit).to.equal(0);
    } finally {
      await Promise.all([bridged.stop(), local.stop()]);
    }
  });
});

describe('e2e: smcp stdio without a daemon', function () {
  this.timeout(60_000);

  it('serves in-process', async () => {
    const { client, home } = await connectStdio();
    try {
      expect(tabular(await query(client, 'SELECT 4 AS NO_DAEMON')).rows).to.deep.equal([[4]]);
    } finally {
      await client.close();
      home.remove();
    }
  });
});
