import { expect } from 'chai';
import type { DataPath } from '../../src/daemon/data-path.js';
import { connect, openEmulator } from './harness.js';
import type { Connected } from './harness.js';

interface HistoryRow {
  text: string;
  status: string;
  error: string | null;
  tag: string;
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The emulator's query history rows whose text contains `marker`. */
async function history(path: DataPath, marker: string): Promise<HistoryRow[]> {
  const result = await path.client.query({
    sql: `SELECT QUERY_TEXT, EXECUTION_STATUS, ERROR_CODE, QUERY_TAG FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY())`,
    maxRows: 10_000,
    maxBytes: 10_000_000,
    timeoutSeconds: 10,
    context: { requestId: 'history', clientId: 'test', tool: 'test' },
  });
  return result.rows
    .map((r) => ({
      text: asText(r[0]),
      status: asText(r[1]),
      error: r[2] === null ? null : asText(r[2]),
      tag: asText(r[3]),
    }))
    .filter((r) => r.text.includes(marker) && !r.text.includes('QUERY_HISTORY'));
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('MCP long queries', function () {
  this.timeout(30_000);
  let path: DataPath;
  let c: Connected;

  before(async () => {
    path = await openEmulator();
    c = await connect(
      path,
      { progressIntervalMs: 100 },
      { transport: 'http', clientId: 'long-query-client' },
    );
  });
  after(async () => {
    await c?.close();
    await path?.close();
  });

  it('sends growing progress notifications while a query runs, when asked to', async () => {
    const seen: { progress: number; message?: string }[] = [];
    const result = await c.client.callTool(
      { name: 'execute_query', arguments: { sql: 'SELECT SYSTEM$WAIT(1) AS W /* progress */' } },
      { onprogress: (p) => seen.push(p) },
    );
    expect(result.isError, JSON.stringify(result.content)).to.not.equal(true);
    expect(seen.length).to.be.greaterThanOrEqual(4);
    for (let i = 1; i < seen.length; i++) expect(seen[i].progress).to.be.greaterThan(seen[i - 1].progress);
    expect(seen[0].message).to.match(/^query running \d+ s$/);
  });

  it('sends no progress for a call without a progress token', async () => {
    // A client of its own: this handler replaces the SDK's progress dispatch.
    const quiet = await connect(path, { progressIntervalMs: 100 });
    try {
      let notified = 0;
      quiet.client.setNotificationHandler('notifications/progress', () => {
        notified++;
      });
      const result = await quiet.client.callTool({
        name: 'execute_query',
        arguments: { sql: 'SELECT SYSTEM$WAIT(1) AS W /* quiet */' },
      });
      expect(result.isError).to.not.equal(true);
      expect(notified).to.equal(0);
    } finally {
      await quiet.close();
    }
  });

  it('cancels the statement in Snowflake when the client aborts (000604 in query history)', async () => {
    const marker = `cancel-${Date.now()}`;
    const abort = new AbortController();
    let progressed = 0;
    const pending = c.client.callTool(
      { name: 'execute_query', arguments: { sql: `SELECT SYSTEM$WAIT(7) AS W /* ${marker} */` } },
      {
        signal: abort.signal,
        onprogress: () => {
          progressed++;
          if (progressed === 2) abort.abort('user gave up');
        },
      },
    );
    let rejection: unknown;
    try {
      await pending;
    } catch (err) {
      rejection = err;
    }
    expect(rejection, 'the call rejects on abort').to.not.equal(undefined);
    const row = await waitFor('the cancelled statement in history', async () => {
      const rows = await history(path, marker);
      return rows.find((r) => r.status !== 'RUNNING');
    });
    expect(row).to.include({ status: 'FAILED_WITH_ERROR', error: '000604' });
    // The tag names the request, client, tool and transport.
    expect(JSON.parse(row.tag)).to.include({
      app: 'smcp',
      client: 'long-que…',
      tool: 'execute_query',
      transport: 'http',
    });
    // And the server keeps serving.
    const next = await c.client.callTool({ name: 'execute_query', arguments: { sql: 'SELECT 1 AS ONE' } });
    expect(next.isError).to.not.equal(true);
  });

  it('stops a statement past timeout_s with QUERY_TIMEOUT', async () => {
    const result = await c.client.callTool({
      name: 'execute_query',
      arguments: { sql: 'SELECT SYSTEM$WAIT(5) AS W /* timeout */', timeout_s: 1 },
    });
    expect(result.isError).to.equal(true);
    expect(result.structuredContent).to.equal(undefined);
    expect((result._meta?.['smcp/error'] as { code: string; snowflakeCode?: string }).code).to.equal(
      'QUERY_TIMEOUT',
    );
    // Snowflake's own timeout code: the statement was stopped, not waited out.
    expect((result._meta?.['smcp/error'] as { snowflakeCode?: string }).snowflakeCode).to.equal('000630');
  });
});
