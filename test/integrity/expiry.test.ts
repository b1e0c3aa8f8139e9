/**
 * A result that is gone says why, Snowflake-style, and the client layer reports RESULT_EXPIRED with
 * that reason: evicted by the byte budget, older than the lifetime, or issued before the emulator
 * restarted. Never the driver's bare "Request to S3/Blob failed".
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import type { Connection, RowStatement } from 'snowflake-sdk';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { SmcpError } from '../../src/errors.js';
import type { SnowflakeClient } from '../../src/snowflake/client.js';
import { mapSnowflakeError } from '../../src/snowflake/error-map.js';
import { destroy } from '../emulator/server/driver.js';
import { startTestEmulator } from '../emulator/server/harness.js';
import { clientQuery, connectAlice, openAliceClient, rejectionOf, servedEngine } from './helpers.js';

/** About 3.4 MB of rows: beyond a 256 KiB memory budget, within a 4 MiB disk budget, alone. */
const WIDE = "SELECT ID, REPEAT('w', 100) || ID AS PAD FROM BUDGET.PUBLIC.T ORDER BY ID";

describe('integrity: expired results say why', function () {
  this.timeout(120_000);

  describe('evicted by the byte budget', function () {
    let emulator: RunningEmulator;
    let client: SnowflakeClient;
    let conn: Connection;

    before(async function () {
      ({ emulator } = await servedEngine(
        ['CREATE DATABASE BUDGET', 'CREATE TABLE BUDGET.PUBLIC.T AS SELECT range AS ID FROM range(30000)'],
        { resultMemoryBytes: 256 * 1024, resultDiskBytes: 4 * 2 ** 20 },
      ));
      client = await openAliceClient(emulator);
      conn = await connectAlice(emulator);
    });

    after(async function () {
      if (conn) await destroy(conn);
      await client?.close();
      await emulator?.close();
    });

    it('answers RESULT_EXPIRED naming the byte budget for the least recently used result', async function () {
      const first = await clientQuery(client, WIDE);
      // Still there: within the budgets.
      const again = await client.getResult(first.queryId, 20_000, 5, { maxBytes: 1_000_000 });
      expect(again.rows[0]).to.deep.equal([20000, `${'w'.repeat(100)}20000`]);
      // Two more such results push the spilled bytes past the disk budget: the oldest goes.
      await clientQuery(client, WIDE, 30_000);
      await clientQuery(client, WIDE, 30_000);
      const err = await rejectionOf(client.getResult(first.queryId, 0, 5, { maxBytes: 1_000_000 }));
      expect(err).to.be.instanceOf(SmcpError);
      expect((err as unknown as SmcpError).code).to.equal('RESULT_EXPIRED');
      expect(err.message).to.match(
        /^Result for query \S+ has expired: evicted by the emulator's result byte budget/,
      );
    });

    it('fails the wire request for an evicted result with 000612 and the reason', async function () {
      const statement = conn.execute({ sqlText: WIDE, streamResult: true });
      await new Promise<void>((resolve, reject) => {
        statement
          .streamRows({ start: 0, end: 0 })
          .on('error', reject)
          .on('data', () => {})
          .on('end', resolve);
      });
      const victim = statement.getQueryId();
      await clientQuery(client, WIDE, 30_000);
      await clientQuery(client, WIDE, 30_000);
      // The driver asks for the result when rows are first read from it.
      const err = await rejectionOf(
        conn.getResultsFromQueryId({ queryId: victim, streamResult: true }).then(
          (again) =>
            new Promise<void>((resolve, reject) => {
              again
                .streamRows()
                .on('error', reject)
                .on('data', () => {})
                .on('end', resolve);
            }),
        ),
      );
      expect(err.code).to.equal('000612');
      expect(err.message).to.match(/has expired: evicted by the emulator's result byte budget/);
    });

    it('maps a chunk of a result evicted while it was being read to RESULT_EXPIRED, not "Request to S3/Blob failed"', async function () {
      const first = await clientQuery(client, WIDE);
      const statement: RowStatement = await conn.getResultsFromQueryId({
        queryId: first.queryId,
        streamResult: true,
      });
      // Its chunk plan is in hand; now the budget evicts it.
      await clientQuery(client, WIDE, 30_000);
      await clientQuery(client, WIDE, 30_000);
      const err = await rejectionOf(
        new Promise<void>((resolve, reject) => {
          statement
            .streamRows({ start: 25_000, end: 25_010 })
            .on('error', reject)
            .on('data', () => {})
            .on('end', resolve);
        }),
      );
      const mapped = mapSnowflakeError(err);
      expect(mapped.code).to.equal('RESULT_EXPIRED');
      expect(mapped.message).to.match(/has expired: evicted by the emulator's result byte budget/);
    });
  });

  describe('older than the lifetime', function () {
    let emulator: RunningEmulator;
    let client: SnowflakeClient;

    before(async function () {
      emulator = await startTestEmulator({ resultLifetimeMs: 1500 });
      client = await openAliceClient(emulator);
    });

    after(async function () {
      await client?.close();
      await emulator?.close();
    });

    it('answers RESULT_EXPIRED naming the lifetime', async function () {
      const first = await clientQuery(client, 'SELECT 1 AS ONE');
      await sleep(2000);
      const err = await rejectionOf(client.getResult(first.queryId, 0, 5, { maxBytes: 1_000_000 }));
      expect((err as unknown as SmcpError).code).to.equal('RESULT_EXPIRED');
      expect(err.message).to.match(/has expired: it is older than the emulator's result lifetime of 1\.5 s/);
    });
  });

  describe('issued before the emulator restarted', function () {
    it('answers RESULT_EXPIRED naming the restart, and RESULT_NOT_FOUND for an id never issued', async function () {
      const before = await startTestEmulator();
      let queryId: string;
      try {
        const client = await openAliceClient(before);
        try {
          queryId = (await clientQuery(client, 'SELECT 1 AS ONE')).queryId;
        } finally {
          await client.close();
        }
      } finally {
        await before.close();
      }
      const after = await startTestEmulator();
      try {
        const client = await openAliceClient(after);
        try {
          const err = await rejectionOf(client.getResult(queryId, 0, 5, { maxBytes: 1_000_000 }));
          expect((err as unknown as SmcpError).code).to.equal('RESULT_EXPIRED');
          expect(err.message).to.match(/has expired: the emulator restarted since the statement ran/);
          const never = await rejectionOf(
            client.getResult('01234567-89ab-cdef-0123-456789abcdef', 0, 5, { maxBytes: 1_000_000 }),
          );
          expect((never as unknown as SmcpError).code).to.equal('RESULT_NOT_FOUND');
        } finally {
          await client.close();
        }
      } finally {
        await after.close();
      }
    });
  });
});
