/**
 * The metadata cache in a running daemon on a generated catalog of 12,500 tables: its size in
 * `smcp status`, and `smcp cache refresh` (the admin route) reloading it.
 */
import { expect } from 'chai';
import type { CacheRefreshAnswer, DaemonStatus } from '../../src/admin/protocol.js';
import { runSmcp } from '../helpers/cli.js';
import type { E2eServer } from './helpers.js';
import { connectHttp, startE2eServer } from './helpers.js';

describe('metadata cache in the daemon', function () {
  this.timeout(120_000);
  let server: E2eServer;

  before(async () => {
    server = await startE2eServer(['--metadata-ttl', '3600'], 60_000, {
      SMCP_EMULATOR_CATALOG_SIZE: '12500',
    });
  });
  after(async () => {
    await server.stop();
  });

  async function status(): Promise<DaemonStatus> {
    const run = await runSmcp(['status', '--json'], server.home.env);
    expect(run.code, run.stderr).to.equal(0);
    return JSON.parse(run.stdout) as DaemonStatus;
  }

  it('shows what the cache holds in status, and reloads it on smcp cache refresh', async () => {
    const { client } = await connectHttp(server.base, 'cache');
    try {
      const found = await client.callTool({
        name: 'search_objects',
        arguments: { pattern: 'TICKETS_STAGE_000109' },
      });
      expect(found.structuredContent).to.deep.include({
        matches: ['GEN_DB_01.STAGING.TICKETS_STAGE_000109'],
      });
      const filled = await status();
      expect(filled.metadataCache?.objects).to.be.greaterThan(12_500);
      expect(filled.metadataCache?.maxObjects).to.equal(500_000);
      const human = await runSmcp(['status'], server.home.env);
      expect(human.stdout).to.match(/metadata: +\d+ of 500000 objects cached/);

      await new Promise((resolve) => setTimeout(resolve, 2100));
      const before = await client.callTool({ name: 'list_databases', arguments: {} });
      const ageBefore = (before.structuredContent as { metadataAgeSeconds: number }).metadataAgeSeconds;
      expect(ageBefore).to.be.at.least(2);

      const run = await runSmcp(['cache', 'refresh', '--json'], server.home.env, 60_000);
      expect(run.code, run.stderr).to.equal(0);
      const refreshed = JSON.parse(run.stdout) as CacheRefreshAnswer;
      expect(refreshed.databases).to.be.at.least(4);
      expect(refreshed.objects).to.be.at.least(12_500);
      expect(refreshed.cache.invalidations).to.equal(1);
      const after = await client.callTool({ name: 'list_databases', arguments: {} });
      const ageAfter = (after.structuredContent as { metadataAgeSeconds: number }).metadataAgeSeconds;
      expect(ageAfter).to.be.below(ageBefore);
      const text = await runSmcp(['cache', 'refresh'], server.home.env, 60_000);
      expect(text.stdout).to.match(
        /^smcp metadata cache refreshed in [\d.]+ s: \d+ databases, \d+ schemas, \d+ tables and views/,
      );
    } finally {
      await client.close();
    }
  });

  it('refuses an unknown cache action with a usage message', async () => {
    const run = await runSmcp(['cache', 'flush'], server.home.env);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.include('flush');
  });
});
