/**
 * What a reload plans for each connection and each SQL tool: a connection whose limits alone
 * changed is changed but keeps its pool, one whose connection settings changed gets a new one, a
 * change of SQL tools alone leaves every connection unchanged, and the SQL tools added, removed
 * and changed are named.
 */
import { expect } from 'chai';
import type { SqlToolDefinition } from '../../src/config/sql-tools.js';
import type { ClientSwitch } from '../../src/daemon/client-switch.js';
import { keepsDataPath, planReload } from '../../src/daemon/served-connections.js';
import type { NamedConnection, ServedConnection } from '../../src/daemon/served-connections.js';
import { sqlToolChanges } from '../../src/daemon/sql-tool-changes.js';
import type { MetadataCache } from '../../src/mcp/metadata-cache.js';
import { defineMcpSettings } from '../../src/mcp/settings.js';
import { resolveConnectionSettings } from '../../src/snowflake/settings.js';

const account = (warehouse: string): NamedConnection['resolved'] =>
  resolveConnectionSettings({
    env: { SNOWFLAKE_PASSWORD: 'not-used' },
    home: '/nonexistent-home-for-plan-tests',
    flags: { account: 'acme', user: 'alice', warehouse },
  });

const tool = (name: string, sql = 'SELECT 1'): SqlToolDefinition => ({
  name,
  description: `tool ${name}`,
  sql,
  parameters: [],
});

/** A served Snowflake connection (no pool behind it: planning never touches one). */
function served(spec: NamedConnection): ServedConnection {
  return {
    ...spec,
    client: { current: { backend: 'snowflake' } } as unknown as ClientSwitch,
    metadata: {} as MetadataCache,
    healthy: () => true,
  };
}

describe('reload plan', () => {
  const prod = { name: 'prod', resolved: account('W1'), mcp: defineMcpSettings({ maxRows: 100 }) };

  it('keeps the pool of a connection whose limits alone changed, and replaces it when its settings changed', () => {
    const current = served(prod);
    const limits = { ...prod, mcp: defineMcpSettings({ maxRows: 5 }) };
    const moved = { ...prod, resolved: account('W2') };
    const plan = planReload([current], [limits]);
    expect(plan.next.map((n) => n.change)).to.deep.equal(['changed']);
    expect(keepsDataPath(current, limits)).to.equal(true);
    expect(planReload([current], [moved]).next.map((n) => n.change)).to.deep.equal(['changed']);
    expect(keepsDataPath(current, moved)).to.equal(false);
  });

  it('leaves every connection unchanged when only the SQL tools changed', () => {
    const current = served(prod);
    const withTool = { ...prod, mcp: defineMcpSettings({ maxRows: 100, sqlTools: [tool('a')] }) };
    const plan = planReload([current], [withTool]);
    expect(plan.next.map((n) => n.change)).to.deep.equal(['unchanged']);
    expect(plan.removed).to.deep.equal([]);
  });

  it('names the SQL tools added, removed and changed', () => {
    const before = [tool('kept'), tool('gone'), tool('edited')];
    const after = [tool('edited', 'SELECT 2'), tool('kept'), tool('new_one')];
    expect(sqlToolChanges(before, after)).to.deep.equal({
      added: ['new_one'],
      removed: ['gone'],
      changed: ['edited'],
    });
    expect(sqlToolChanges(before, [...before].reverse())).to.deep.equal({
      added: [],
      removed: [],
      changed: [],
    });
  });
});
