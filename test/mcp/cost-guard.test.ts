/**
 * The cost guard through real MCP SDK clients on the embedded emulator (real driver): reads are
 * estimated by the emulator's EXPLAIN USING JSON (a sample table's storage size, as SHOW TABLES
 * reports it) and held to the per-call and per-client budgets; confirm mode asks clients that
 * declared elicitation; the emulator's query history shows whether an EXPLAIN ran.
 */
import { expect } from 'chai';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { CostGuard } from '../../src/mcp/cost-guard.js';
import type { ClientIdentity } from '../../src/mcp/request-context.js';
import { RequestTracker } from '../../src/mcp/request-tracker.js';
import { createMcpServerFactory } from '../../src/mcp/server-factory.js';
import { defineMcpSettings } from '../../src/mcp/settings.js';
import type { McpSettingsInput } from '../../src/mcp/settings.js';
import { ERROR_META_KEY } from '../../src/mcp/tool-result.js';
import type { ToolErrorInfo } from '../../src/mcp/tool-result.js';
import { useEmulator } from './harness.js';

/** The emulator's storage sizes of the sample tables (rows × columns × 8). */
const ORDERS_BYTES = 100_000 * 8 * 8;
const EVENTS_BYTES = 1_000_000 * 4 * 8;

type Elicit = 'accept' | 'decline' | 'cancel' | 'none';

interface Setup {
  readonly guard: CostGuard;
  connect(id: string, elicit?: Elicit): Promise<{ client: Client; asked: string[] }>;
  close(): Promise<void>;
}

describe('cost guard', function () {
  this.timeout(60_000);
  const emulator = useEmulator();

  /** A factory with `settings` and one guard, and SDK clients (with or without elicitation) on it. */
  function setup(settings: McpSettingsInput): Setup {
    const mcp = defineMcpSettings(settings);
    const guard = new CostGuard(mcp, () => 'emulator');
    const factory = createMcpServerFactory({
      client: emulator.path.client,
      settings: mcp,
      tracker: new RequestTracker(),
      costGuard: guard,
    });
    const closers: (() => Promise<void>)[] = [];
    return {
      guard,
      async connect(id, elicit = 'none') {
        const identity: ClientIdentity = { transport: 'stdio', clientId: id };
        const server = factory(identity);
        const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
        const client = new Client(
          { name: 'cost-test', version: '1' },
          elicit === 'none' ? {} : { capabilities: { elicitation: { form: {} } } },
        );
        const asked: string[] = [];
        if (elicit !== 'none') {
          client.setRequestHandler('elicitation/create', (request) => {
            asked.push(String(request.params.message));
            return Promise.resolve(
              elicit === 'accept' ? { action: 'accept', content: { confirm: true } } : { action: elicit },
            );
          });
        }
        await server.connect(serverSide);
        await client.connect(clientSide);
        closers.push(async () => {
          await client.close();
          await server.close();
        });
        return { client, asked };
      },
      async close() {
        for (const close of closers) await close();
      },
    };
  }

  async function call(client: Client, name: string, args: Record<string, unknown>) {
    const result = await client.callTool({ name, arguments: args });
    const error = result._meta?.[ERROR_META_KEY] as ToolErrorInfo | undefined;
    return { result, error };
  }

  /** Statements of the emulator's query history whose text starts with `prefix` and holds `marker`. */
  async function history(client: Client, prefix: string, marker: string): Promise<number> {
    const { result } = await call(client, 'execute_query', {
      sql:
        'SELECT COUNT(*) AS N FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY()) ' +
        `WHERE QUERY_TEXT LIKE '${prefix}%' AND CONTAINS(QUERY_TEXT, '${marker}') ` +
        // With the guard on, this lookup is estimated too: its own EXPLAIN does not count.
        "AND NOT CONTAINS(QUERY_TEXT, 'QUERY_HISTORY')",
      database: 'SAMPLE_DB',
      format: 'json',
    });
    const rows = (result.structuredContent as { rows: unknown[][] }).rows;
    return Number(rows[0]?.[0]);
  }

  it('runs a read under budget and counts its estimate toward the client', async () => {
    const s = setup({ maxScanBytes: 10_000_000 });
    try {
      const { client } = await s.connect('under');
      const { result, error } = await call(client, 'execute_query', {
        sql: 'SELECT COUNT(*) AS N FROM ORDERS',
        database: 'SAMPLE_DB',
        schema: 'SALES',
      });
      expect(error, JSON.stringify(result.content)).to.equal(undefined);
      expect(s.guard.status().clients).to.deep.equal([
        {
          client: 'stdio:under',
          estimatedBytes: ORDERS_BYTES,
          windowBytes: ORDERS_BYTES,
          reads: 1,
          refusals: 0,
        },
      ]);
    } finally {
      await s.close();
    }
  });

  it('refuses a read over the per-call budget with the estimate, the budget and the setting', async () => {
    const s = setup({ maxScanBytes: 10_000_000 });
    try {
      const { client } = await s.connect('over');
      for (const [name, args] of [
        ['execute_query', { sql: 'SELECT * FROM SAMPLE_DB.SALES.EVENTS LIMIT 3' }],
        ['query_view', { database: 'SAMPLE_DB', schema: 'SALES', view: 'EVENTS', limit: 3 }],
      ] as const) {
        const { result, error } = await call(client, name, args);
        expect(result.isError, name).to.equal(true);
        expect(error?.code, name).to.equal('SCAN_BUDGET_EXCEEDED');
        expect(error?.scan).to.deep.equal({
          estimatedBytes: EVENTS_BYTES,
          budgetBytes: 10_000_000,
          setting: 'max-scan-bytes',
        });
        expect(error?.message).to.include(`${EVENTS_BYTES} bytes`).and.include('--max-scan-bytes');
      }
      expect(s.guard.status().clients[0]).to.include({ estimatedBytes: 0, reads: 0, refusals: 2 });
    } finally {
      await s.close();
    }
  });

  it("refuses a read once the client's rolling budget is spent, and only for that client", async () => {
    const s = setup({ maxScanBytes: 0, maxScanBytesPerClient: ORDERS_BYTES + 1000 });
    try {
      const first = await s.connect('spender');
      const read = { sql: 'SELECT MAX(ORDER_ID) FROM SAMPLE_DB.SALES.ORDERS' };
      expect((await call(first.client, 'execute_query', read)).error).to.equal(undefined);
      const again = await call(first.client, 'execute_query', read);
      expect(again.error?.code).to.equal('SCAN_BUDGET_EXCEEDED');
      expect(again.error?.scan).to.deep.equal({
        estimatedBytes: ORDERS_BYTES,
        budgetBytes: 1000,
        setting: 'max-scan-bytes-per-client',
      });
      // Metadata and constant reads scan nothing and still run.
      expect((await call(first.client, 'execute_query', { sql: 'SELECT 1' })).error).to.equal(undefined);
      expect((await call(first.client, 'list_databases', {})).error).to.equal(undefined);
      const other = await s.connect('saver');
      expect((await call(other.client, 'execute_query', read)).error).to.equal(undefined);
    } finally {
      await s.close();
    }
  });

  it('in confirm mode runs a read over budget when the user accepts, and refuses when they decline', async () => {
    const s = setup({ costGuard: 'confirm', maxScanBytes: 10_000_000 });
    try {
      const read = { sql: 'SELECT COUNT(*) AS N FROM SAMPLE_DB.SALES.EVENTS', format: 'json' };
      const yes = await s.connect('yes', 'accept');
      const ran = await call(yes.client, 'execute_query', read);
      expect(ran.error).to.equal(undefined);
      expect((ran.result.structuredContent as { rows: unknown[][] }).rows).to.deep.equal([[1_000_000]]);
      expect(yes.asked).to.have.length(1);
      expect(yes.asked[0]).to.include(`${EVENTS_BYTES} bytes`);

      for (const answer of ['decline', 'cancel'] as const) {
        const no = await s.connect(answer, answer);
        const refused = await call(no.client, 'execute_query', read);
        expect(refused.error?.code, answer).to.equal('SCAN_NOT_CONFIRMED');
        expect(refused.error?.message).to.include(answer === 'decline' ? 'declined' : 'cancelled');
        expect(no.asked).to.have.length(1);
      }
      // Under budget, nobody is asked.
      const quiet = await s.connect('quiet', 'accept');
      expect((await call(quiet.client, 'execute_query', { sql: 'SELECT 1' })).error).to.equal(undefined);
      expect(quiet.asked).to.deep.equal([]);
    } finally {
      await s.close();
    }
  });

  it('in confirm mode refuses a read over budget for a client without elicitation', async () => {
    const s = setup({ costGuard: 'confirm', maxScanBytes: 10_000_000 });
    try {
      const { client } = await s.connect('mute');
      const { error } = await call(client, 'execute_query', { sql: 'SELECT * FROM SAMPLE_DB.SALES.EVENTS' });
      expect(error?.code).to.equal('SCAN_BUDGET_EXCEEDED');
      expect(error?.message).to.include('cannot be asked to confirm');
    } finally {
      await s.close();
    }
  });

  it("runs EXPLAIN in the read's own database and schema when on, and none when off", async () => {
    const on = setup({ maxScanBytes: 10_000_000 });
    try {
      const { client } = await on.connect('context');
      // EMPLOYEES resolves only in SAMPLE_DB.HR: the estimate ran where the read runs.
      const marker = 'cost_marker_on_51c2';
      const read = await call(client, 'execute_query', {
        sql: `SELECT COUNT(*) FROM EMPLOYEES WHERE '${marker}' <> ''`,
        database: 'SAMPLE_DB',
        schema: 'HR',
      });
      expect(read.error).to.equal(undefined);
      expect(await history(client, 'EXPLAIN USING JSON', marker)).to.equal(1);
    } finally {
      await on.close();
    }
    const off = setup({});
    try {
      expect(off.guard.active()).to.equal(false);
      const { client } = await off.connect('off');
      const marker = 'cost_marker_off_7d90';
      const read = await call(client, 'execute_query', {
        sql: `SELECT COUNT(*) FROM SAMPLE_DB.SALES.EVENTS WHERE '${marker}' <> ''`,
      });
      expect(read.error).to.equal(undefined);
      expect(await history(client, 'SELECT COUNT(*) FROM SAMPLE_DB', marker)).to.equal(1);
      expect(await history(client, 'EXPLAIN', marker)).to.equal(0);
      expect(off.guard.status().clients).to.deep.equal([]);
    } finally {
      await off.close();
    }
  });
});
