import { expect } from 'chai';
import { HealthMonitor } from '../../src/daemon/health-monitor.js';
import { startEmulator } from '../../src/emulator/index.js';
import { SnowflakeClient } from '../../src/snowflake/client.js';
import { emulatorConnection } from '../../src/snowflake/settings-view.js';

describe('database health monitor', function () {
  this.timeout(30_000);

  it('reports healthy with a latency while the database answers, and unhealthy after repeated failures', async () => {
    const emulator = await startEmulator({ port: 0, password: 'health', sampleData: false });
    const client = await SnowflakeClient.open(
      emulatorConnection({
        host: emulator.host,
        port: emulator.port,
        account: emulator.account,
        user: 'SMCP',
        password: 'health',
      }),
      { min: 0, max: 2, loginRetries: 0 },
    );
    const monitor = new HealthMonitor(client, { intervalMs: 60_000, timeoutSeconds: 2, failureThreshold: 2 });
    try {
      await monitor.start();
      const healthy = monitor.snapshot();
      expect(healthy.ok).to.equal(true);
      expect(healthy.checks).to.equal(1);
      expect(healthy.lastLatencyMs).to.be.a('number');
      expect(healthy.lastSuccessAt).to.be.a('string');

      await emulator.close();
      await monitor.checkNow();
      expect(monitor.isHealthy(), 'one failure is below the threshold').to.equal(true);
      await monitor.checkNow();
      const down = monitor.snapshot();
      expect(down.ok).to.equal(false);
      expect(down.consecutiveFailures).to.equal(2);
      expect(down.lastError?.code).to.be.a('string');
    } finally {
      monitor.stop();
      await client.close();
      await emulator.close();
    }
  });

  it('is not healthy before any check succeeded', () => {
    const monitor = new HealthMonitor({ healthCheck: () => Promise.reject(new Error('never')) });
    expect(monitor.isHealthy()).to.equal(false);
  });
});
