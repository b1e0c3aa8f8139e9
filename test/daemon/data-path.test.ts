import { expect } from 'chai';
import { openDataPath } from '../../src/daemon/data-path.js';
import type { DataPath } from '../../src/daemon/data-path.js';
import { startEmulator } from '../../src/emulator/index.js';
import { resolveConnectionSettings } from '../../src/snowflake/settings.js';
import { portAnswers } from '../helpers/cli.js';

const context = { requestId: 'test', clientId: 'data-path-test', tool: 'test' };

describe('data path', function () {
  this.timeout(30_000);

  it('starts the embedded emulator on loopback when no account is configured, and stops it on close', async () => {
    const resolved = resolveConnectionSettings({ env: {}, home: '/nonexistent-home-for-test' });
    expect(resolved.configured).to.equal(false);
    const path: DataPath = await openDataPath({ resolved, sampleData: true });
    try {
      expect(path.backend).to.equal('emulator');
      expect(path.emulator?.host).to.equal('127.0.0.1');
      expect(path.sampleData).to.equal(true);
      expect(path.emulatorReason).to.deep.equal({ requested: false, origin: 'no Snowflake settings exist' });
      const result = await path.client.query({
        sql: 'SELECT COUNT(*) AS N FROM SAMPLE_DB.SALES.CUSTOMERS',
        maxRows: 10,
        maxBytes: 10_000,
        timeoutSeconds: 10,
        context,
      });
      expect(result.columns.map((c) => c.name)).to.deep.equal(['N']);
      expect(Number(result.rows[0]?.[0])).to.be.greaterThan(0);
    } finally {
      await path.close();
    }
    expect(await portAnswers(path.emulator!.port)).to.equal(false);
  });

  it('uses the configured connection, not an emulator of its own, when an account is configured', async () => {
    const emulator = await startEmulator({ port: 0, password: 'configured-secret' });
    try {
      const env = {
        SNOWFLAKE_ACCOUNT: emulator.account,
        SNOWFLAKE_USER: 'SMCP',
        SNOWFLAKE_PASSWORD: 'configured-secret',
        SNOWFLAKE_HOST: emulator.host,
        SNOWFLAKE_PORT: String(emulator.port),
        SNOWFLAKE_PROTOCOL: 'http',
        SNOWFLAKE_WAREHOUSE: 'COMPUTE_WH',
      };
      const resolved = resolveConnectionSettings({ env, home: '/nonexistent-home-for-test' });
      const path = await openDataPath({ resolved });
      try {
        expect(path.backend).to.equal('snowflake');
        expect(path.emulator).to.equal(undefined);
        expect(path.sampleData).to.equal(false);
        const result = await path.client.query({
          sql: 'SELECT CURRENT_USER() AS U',
          maxRows: 1,
          maxBytes: 1000,
          timeoutSeconds: 10,
          context,
        });
        expect(result.rows[0]).to.deep.equal(['SMCP']);
      } finally {
        await path.close();
      }
    } finally {
      await emulator.close();
    }
  });

  it('fails with AUTH_FAILED and leaves nothing running when the configured password is wrong', async () => {
    const emulator = await startEmulator({ port: 0, password: 'right' });
    try {
      const resolved = resolveConnectionSettings({
        env: {
          SNOWFLAKE_ACCOUNT: emulator.account,
          SNOWFLAKE_USER: 'SMCP',
          SNOWFLAKE_PASSWORD: 'wrong',
          SNOWFLAKE_HOST: emulator.host,
          SNOWFLAKE_PORT: String(emulator.port),
          SNOWFLAKE_PROTOCOL: 'http',
        },
        home: '/nonexistent-home-for-test',
      });
      const error = await openDataPath({ resolved }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).to.include({ code: 'AUTH_FAILED' });
    } finally {
      await emulator.close();
    }
  });
});
