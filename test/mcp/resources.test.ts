import { expect } from 'chai';
import { objectUri } from '../../src/mcp/resources.js';
import { connect, useEmulator } from './harness.js';

describe('MCP resources: table and view schemas', function () {
  this.timeout(30_000);
  const emulator = useEmulator();

  it('lists tables and views as snowflake:// resources, page by page', async () => {
    const c = await connect(emulator.path, { resourcePageSize: 3 });
    try {
      // One page at a time through a plain request (listResources() aggregates pages).
      const first = await c.client.request({ method: 'resources/list', params: {} });
      expect(first.resources).to.have.length(3);
      expect(first.nextCursor).to.be.a('string');
      const second = await c.client.request({
        method: 'resources/list',
        params: { cursor: first.nextCursor },
      });
      expect(second.resources).to.have.length(3);
      expect(second.resources[0]?.uri).to.not.equal(first.resources[0]?.uri);
      let badCursor: unknown;
      try {
        await c.client.request({ method: 'resources/list', params: { cursor: 'garbage' } });
      } catch (err) {
        badCursor = err;
      }
      expect((badCursor as { code?: number }).code).to.equal(-32602);
      // The client follows every cursor when asked for everything.
      const { resources } = await c.client.listResources();
      const uris = resources.map((r) => r.uri);
      expect(new Set(uris).size).to.equal(uris.length);
      expect(uris).to.include.members([
        'snowflake://SAMPLE_DB/SALES/CUSTOMERS',
        'snowflake://SAMPLE_DB/SALES/EVENTS',
        'snowflake://ANALYTICS/PUBLIC/V_KPI_SUMMARY',
      ]);
      const view = resources.find((r) => r.uri === 'snowflake://ANALYTICS/PUBLIC/V_KPI_SUMMARY');
      expect(view).to.include({ name: 'ANALYTICS.PUBLIC.V_KPI_SUMMARY', mimeType: 'application/json' });
      const { resourceTemplates } = await c.client.listResourceTemplates();
      expect(resourceTemplates.map((t) => t.uriTemplate)).to.deep.equal([
        'snowflake://{database}/{schema}/{object}',
      ]);
    } finally {
      await c.close();
    }
  });

  it('reads a table’s schema as JSON', async () => {
    const c = await connect(emulator.path);
    try {
      const { contents } = await c.client.readResource({ uri: 'snowflake://SAMPLE_DB/SALES/CUSTOMERS' });
      expect(contents[0]).to.include({
        uri: 'snowflake://SAMPLE_DB/SALES/CUSTOMERS',
        mimeType: 'application/json',
      });
      const body = JSON.parse((contents[0] as { text: string }).text) as {
        kind: string;
        columns: { name: string; type: string; nullable: boolean }[];
      };
      expect(body.kind).to.equal('TABLE');
      expect(body.columns[0]).to.include({ name: 'CUSTOMER_ID', type: 'NUMBER(38,0)', nullable: false });
    } finally {
      await c.close();
    }
  });

  it('reads a view’s schema with its definition', async () => {
    const c = await connect(emulator.path);
    try {
      const { contents } = await c.client.readResource({
        uri: objectUri('ANALYTICS', 'PUBLIC', 'V_KPI_SUMMARY'),
      });
      const body = JSON.parse((contents[0] as { text: string }).text) as { kind: string; text: string };
      expect(body.kind).to.equal('VIEW');
      expect(body.text).to.match(/select/i);
    } finally {
      await c.close();
    }
  });

  it('answers an unknown object with resource-not-found and keeps serving', async () => {
    const c = await connect(emulator.path);
    try {
      let error: unknown;
      try {
        await c.client.readResource({ uri: 'snowflake://SAMPLE_DB/SALES/NOPE' });
      } catch (err) {
        error = err;
      }
      // The SDK's ResourceNotFoundError: InvalidParams with data.uri.
      expect(error).to.deep.include({ code: -32602, data: { uri: 'snowflake://SAMPLE_DB/SALES/NOPE' } });
      expect(String(error)).to.contain('NOT_FOUND');
      const again = await c.client.readResource({ uri: 'snowflake://SAMPLE_DB/SALES/ORDERS' });
      expect(again.contents).to.have.length(1);
    } finally {
      await c.close();
    }
  });
});
