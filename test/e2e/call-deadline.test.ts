/**
 * One deadline per call: waiting for a pooled connection, session setup, USE and the statement all
 * share the call's timeout_s. A call whose time runs out while every connection is busy ends then
 * with QUERY_TIMEOUT, instead of waiting the pool's own 10 s and then starting a full timeout of
 * its own.
 */
import { expect } from 'chai';
import type { E2eServer } from './helpers.js';
import { connectHttp, startE2eServer } from './helpers.js';

describe('e2e: one deadline per call', function () {
  this.timeout(60_000);
  let server: E2eServer;

  before(async () => {
    // One connection in the pool: a second call must wait for the first.
    server = await startE2eServer(['--pool-size', '1', '--pool-share', '1']);
  });
  after(async () => {
    await server?.stop();
  });

  it('ends a call at its timeout_s while it still waits for a connection, not later', async () => {
    const holder = (await connectHttp(server.base, 'holder')).client;
    const waiter = (await connectHttp(server.base, 'waiter')).client;
    try {
      let holderDone = false;
      const holding = holder
        .callTool({ name: 'execute_query', arguments: { sql: 'SELECT SYSTEM$WAIT(8)' } })
        .finally(() => (holderDone = true));
      // The holder has the only connection once /status shows one borrowed.
      for (let i = 0; i < 200; i++) {
        const status = (await (await fetch(`${server.base}/status`)).json()) as {
          pool?: { borrowed?: number };
        };
        if (status.pool?.borrowed === 1) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      const result = (await waiter.callTool({
        name: 'execute_query',
        arguments: { sql: 'SELECT SYSTEM$WAIT(4)', timeout_s: 2 },
      })) as { isError?: boolean; content: { text: string }[] };
      // Ended by its own deadline while the other call still held the connection.
      expect(holderDone).to.equal(false);
      expect(result.isError).to.equal(true);
      expect(result.content[0].text).to.match(
        /^QUERY_TIMEOUT: .*time limit passed while it waited for a Snowflake connection/,
      );
      await holding;
    } finally {
      await holder.close();
      await waiter.close();
    }
  });
});
