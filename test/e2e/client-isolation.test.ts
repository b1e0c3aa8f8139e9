/**
 * Against the real daemon and emulator: a client that drops its connection mid-statement has the
 * statement cancelled in Snowflake on every transport (FAILED_WITH_ERROR 000604, nothing written);
 * a query id is readable only by the client that ran it; and one client's long statements cannot
 * take every pooled connection while another client waits.
 */
import { expect } from 'chai';
import { request } from 'node:http';
import type { ClientRequest } from 'node:http';
import { WebSocket } from 'ws';
import { initializeBody, INITIALIZED_BODY, SESSION_PROTOCOL_VERSION } from '../helpers/mcp-messages.js';
import type { E2eServer } from './helpers.js';
import {
  connectHttp,
  eventually,
  HISTORY_SQL,
  JSON_HEADERS,
  MODERN_META,
  startE2eServer,
  tabular,
} from './helpers.js';

type Call = (name: string, args: Record<string, unknown>) => Promise<unknown>;

/** A POST whose answer is not awaited: `drop()` closes the connection under it. */
function post(
  url: string,
  headers: Record<string, string>,
  body: string,
): { req: ClientRequest; drop: () => void } {
  const req = request(url, { method: 'POST', headers });
  req.on('error', () => {});
  req.on('response', (res) => res.resume());
  req.end(body);
  return { req, drop: () => req.destroy() };
}

/** A statement that runs until cancelled (a filtered self-join of a million rows) and inserts its count. */
function endlessInsert(tag: number): string {
  return (
    `INSERT INTO SAMPLE_DB.PUBLIC.DROPS SELECT COUNT(*) + ${tag} FROM SAMPLE_DB.SALES.EVENTS A, ` +
    'SAMPLE_DB.SALES.EVENTS B WHERE A.ID + B.ID = -1'
  );
}

function toolCall(id: number | string, sql: string): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: 'execute_query', arguments: { sql } },
  });
}

describe('e2e: dropped connections, query ids and the pool between clients', function () {
  this.timeout(120_000);
  let server: E2eServer;
  let call: Call;
  let closeClient: () => Promise<void>;

  before(async function () {
    server = await startE2eServer(['--allow-write', '--allow-ddl', '--pool-size', '4', '--pool-share', '2']);
    const { client } = await connectHttp(server.base, 'observer');
    call = (name, args) => client.callTool({ name, arguments: args });
    closeClient = () => client.close();
    await call('execute_query', { sql: 'CREATE TABLE SAMPLE_DB.PUBLIC.DROPS (N INT)' });
  });
  after(async function () {
    await closeClient?.();
    await server?.stop();
  });

  /** The history row of `sql` once it has reached `wanted` (or left RUNNING when wanted is 'done'). */
  async function statusOf(
    sql: string,
    wanted: 'RUNNING' | 'done',
  ): Promise<{ status: string; code: unknown }> {
    return eventually(async () => {
      const row = tabular(await call('execute_query', { sql: HISTORY_SQL, max_rows: 1000 })).rows.find(
        (r) => r[0] === sql,
      );
      if (!row) return undefined;
      const done = row[1] !== 'RUNNING';
      return (wanted === 'RUNNING') !== done ? { status: String(row[1]), code: row[2] } : undefined;
    }, 30_000);
  }

  async function expectCancelledByDrop(sql: string, start: () => () => void): Promise<void> {
    const drop = start();
    await statusOf(sql, 'RUNNING');
    drop();
    expect(await statusOf(sql, 'done'), sql).to.deep.equal({ status: 'FAILED_WITH_ERROR', code: '000604' });
  }

  async function openSession(): Promise<string> {
    const init = await fetch(`${server.base}/mcp`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: initializeBody('dropper'),
    });
    const id = init.headers.get('mcp-session-id')!;
    await init.text();
    await fetch(`${server.base}/mcp`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, 'mcp-protocol-version': SESSION_PROTOCOL_VERSION, 'mcp-session-id': id },
      body: INITIALIZED_BODY,
    }).then((r) => r.text());
    return id;
  }

  it('cancels the statement when a Streamable HTTP session POST is dropped', async () => {
    const id = await openSession();
    const sql = endlessInsert(1);
    await expectCancelledByDrop(sql, () => {
      const headers = {
        ...JSON_HEADERS,
        'mcp-protocol-version': SESSION_PROTOCOL_VERSION,
        'mcp-session-id': id,
      };
      return post(`${server.base}/mcp`, headers, toolCall(1, sql)).drop;
    });
  });

  it('cancels the statement when a stateless 2026-07-28 request is dropped', async () => {
    const sql = endlessInsert(2);
    await expectCancelledByDrop(sql, () => {
      const headers = {
        ...JSON_HEADERS,
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': 'execute_query',
      };
      const body = JSON.stringify({
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'execute_query', arguments: { sql }, _meta: MODERN_META },
      });
      return post(`${server.base}/mcp`, headers, body).drop;
    });
  });

  it('cancels the statement when a plain tool API request is dropped', async () => {
    const sql = endlessInsert(3);
    await expectCancelledByDrop(sql, () => {
      const body = JSON.stringify({ name: 'execute_query', arguments: { sql } });
      return post(`${server.base}/mcp/tools/call`, { 'content-type': 'application/json' }, body).drop;
    });
  });

  it('cancels the statement when a WebSocket connection is dropped', async () => {
    const sql = endlessInsert(4);
    const ws = new WebSocket(`${server.base.replace('http', 'ws')}/mcp`, 'mcp');
    ws.on('error', () => {});
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(initializeBody('ws-dropper'));
    await new Promise((resolve) => ws.once('message', resolve));
    ws.send(INITIALIZED_BODY);
    await expectCancelledByDrop(sql, () => {
      ws.send(toolCall(5, sql));
      return () => ws.terminate();
    });
  });

  it('cancels the statement when a legacy SSE stream is dropped', async () => {
    const sql = endlessInsert(5);
    const stream = request(`${server.base}/sse`, { headers: { accept: 'text/event-stream' } });
    stream.on('error', () => {});
    const endpoint = await new Promise<string>((resolve) => {
      stream.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          const match = /event: endpoint\ndata: (\S+)/.exec(text);
          if (match) resolve(match[1]);
        });
      });
      stream.end();
    });
    const messages = `${server.base}${endpoint}`;
    const send = (body: string): Promise<unknown> =>
      fetch(messages, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((r) =>
        r.text(),
      );
    await send(initializeBody('sse-dropper'));
    await send(INITIALIZED_BODY);
    await expectCancelledByDrop(sql, () => {
      void send(toolCall(6, sql));
      return () => stream.destroy();
    });
  });

  it('wrote nothing for any dropped statement', async () => {
    const rows = tabular(
      await call('execute_query', { sql: 'SELECT COUNT(*) FROM SAMPLE_DB.PUBLIC.DROPS' }),
    ).rows;
    expect(rows).to.deep.equal([[0]]);
  });

  it('serves a query id only to the client that ran it; to anyone else it is like an unknown id', async () => {
    const owner = (await connectHttp(server.base, 'owner')).client;
    const other = (await connectHttp(server.base, 'other')).client;
    try {
      const run = tabular(
        await owner.callTool({
          name: 'execute_query',
          arguments: { sql: 'SELECT ID FROM SAMPLE_DB.SALES.EVENTS ORDER BY ID', max_rows: 2 },
        }),
      );
      expect(run.truncated).to.equal(true);
      const mine = tabular(
        await owner.callTool({
          name: 'fetch_results',
          arguments: { query_id: run.queryId, offset: 2, limit: 2 },
        }),
      );
      expect(mine.rows).to.have.length(2);
      const textOf = (r: unknown): string => (r as { content: { text: string }[] }).content[0].text;
      const stolen = await other.callTool({
        name: 'fetch_results',
        arguments: { query_id: run.queryId, offset: 0 },
      });
      const status = await other.callTool({ name: 'query_status', arguments: { query_id: run.queryId } });
      const unknown = await other.callTool({
        name: 'fetch_results',
        arguments: { query_id: '01b2c3d4-0000-0000-0000-000000000001', offset: 0 },
      });
      for (const answer of [stolen, status, unknown]) {
        expect((answer as { isError?: boolean }).isError).to.equal(true);
        expect(textOf(answer)).to.match(/^RESULT_NOT_FOUND: no result for query id/);
      }
      // Nor through the shared pooled session: RESULT_SCAN of its id, or of whatever ran last there.
      const scanned = await other.callTool({
        name: 'execute_query',
        arguments: { sql: `SELECT * FROM TABLE(RESULT_SCAN('${run.queryId}'))` },
      });
      expect(textOf(scanned)).to.match(/^RESULT_NOT_FOUND: no result for query id/);
      for (const sql of [
        'SELECT * FROM TABLE(RESULT_SCAN(LAST_QUERY_ID()))',
        'SELECT LAST_QUERY_ID(-1)',
        "SELECT * FROM TABLE(RESULT_SCAN(CONCAT('01b2', 'c3d4')))",
      ]) {
        const refused = await other.callTool({ name: 'execute_query', arguments: { sql } });
        expect(textOf(refused), sql).to.match(/^STATEMENT_REFUSED: /);
      }
      // Same words for a stolen id and for one that never existed, apart from the id itself.
      expect(textOf(stolen).replace(run.queryId, 'ID')).to.equal(
        textOf(unknown).replace('01b2c3d4-0000-0000-0000-000000000001', 'ID'),
      );
    } finally {
      await owner.close();
      await other.close();
    }
  });

  it("keeps serving one client while another one's long statements hold its share of the pool", async () => {
    const greedy = (await connectHttp(server.base, 'greedy')).client;
    const polite = (await connectHttp(server.base, 'polite')).client;
    try {
      let greedyDone = 0;
      const long = Array.from({ length: 6 }, (_, i) =>
        greedy
          .callTool({ name: 'execute_query', arguments: { sql: `SELECT SYSTEM$WAIT(${6 + i})` } })
          .finally(() => greedyDone++),
      );
      await eventually(async () => {
        const rows = tabular(await call('execute_query', { sql: HISTORY_SQL, max_rows: 1000 })).rows;
        return rows.filter((r) => String(r[0]).startsWith('SELECT SYSTEM$WAIT') && r[1] === 'RUNNING')
          .length >= 2
          ? true
          : undefined;
      }, 20_000);
      const quick = tabular(
        await polite.callTool({ name: 'execute_query', arguments: { sql: 'SELECT 42' } }),
      );
      expect(quick.rows).to.deep.equal([[42]]);
      // Answered while every one of the greedy client's statements was still waiting or running.
      expect(greedyDone).to.equal(0);
      await Promise.all(long);
    } finally {
      await greedy.close();
      await polite.close();
    }
  });
});
