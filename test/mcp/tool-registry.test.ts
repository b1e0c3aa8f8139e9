import { expect } from 'chai';
import { SmcpError } from '../../src/errors.js';
import { RequestTracker } from '../../src/mcp/request-tracker.js';
import { createToolRegistry } from '../../src/mcp/server-factory.js';
import { defineMcpSettings } from '../../src/mcp/settings.js';
import { useEmulator } from './harness.js';

const identity = { transport: 'http-api', clientId: 'curl-1' } as const;

describe('tool registry without an MCP transport', function () {
  this.timeout(30_000);
  const emulator = useEmulator();

  it('lists tools with JSON schemas and prefixed names', () => {
    const registry = createToolRegistry({
      client: emulator.path.client,
      settings: defineMcpSettings({ toolPrefix: 'sf_' }),
      tracker: new RequestTracker(),
    });
    const tools = registry.listTools();
    expect(tools).to.have.length(11);
    const exec = tools.find((t) => t.name === 'sf_execute_query');
    expect(exec?.inputSchema).to.deep.include({ type: 'object', required: ['sql'] });
    for (const tool of tools)
      expect(tool.inputSchema, tool.name).to.have.property('additionalProperties', false);
    expect(exec?.outputSchema).to.have.property('type', 'object');
  });

  it('calls a tool, tracks it while in flight and tags the statement', async () => {
    const tracker = new RequestTracker();
    const registry = createToolRegistry({
      client: emulator.path.client,
      settings: defineMcpSettings({}),
      tracker,
    });
    const pending = registry.callTool(
      'execute_query',
      { sql: 'SELECT SYSTEM$WAIT(1) AS W /* registry */' },
      identity,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(tracker.list()).to.have.length(1);
    expect(tracker.list()[0]).to.include({
      transport: 'http-api',
      clientId: 'curl-1',
      tool: 'execute_query',
    });
    const result = await pending;
    expect(result.isError).to.not.equal(true);
    expect(tracker.activeCount).to.equal(0);
    expect(tracker.completedCount).to.equal(1);
  });

  it('throws NOT_FOUND for an unknown tool and USAGE naming the bad or unknown argument', async () => {
    const registry = createToolRegistry({
      client: emulator.path.client,
      settings: defineMcpSettings({}),
      tracker: new RequestTracker(),
    });
    const failure = async (name: string, args: unknown): Promise<SmcpError> => {
      try {
        await registry.callTool(name, args, identity);
      } catch (err) {
        if (err instanceof SmcpError) return err;
        throw err;
      }
      throw new Error('expected a throw');
    };
    expect((await failure('nope', {})).code).to.equal('NOT_FOUND');
    const usage = await failure('execute_query', { sql: 'SELECT 1', max_rows: 'ten' });
    expect(usage.code).to.equal('USAGE');
    expect(usage.details.field).to.equal('max_rows');
    const unknown = await failure('execute_query', { sql: 'SELECT 1', timeout: 5 });
    expect(unknown.code).to.equal('USAGE');
    expect(unknown.details.field).to.equal('timeout');
    expect(unknown.message).to.match(
      /^unknown argument 'timeout' \(did you mean 'timeout_s'\?\); execute_query takes: /,
    );
    const near = await failure('list_table', {});
    expect(near.code).to.equal('NOT_FOUND');
    expect(near.message).to.match(/^unknown tool "list_table" \(did you mean "list_tables"\?\); tools: /);
  });

  it('returns guard refusals as error results, like MCP calls', async () => {
    const registry = createToolRegistry({
      client: emulator.path.client,
      settings: defineMcpSettings({}),
      tracker: new RequestTracker(),
    });
    const result = await registry.callTool(
      'execute_query',
      { sql: 'DELETE FROM SAMPLE_DB.SALES.ORDERS' },
      identity,
    );
    expect(result.isError).to.equal(true);
    expect(result.content[0]?.text).to.match(/^STATEMENT_REFUSED: /);
  });

  it('lets writes through only when allowed', async () => {
    const registry = createToolRegistry({
      client: emulator.path.client,
      settings: defineMcpSettings({ allowWrite: true, allowDdl: true }),
      tracker: new RequestTracker(),
    });
    const exec = registry.listTools().find((t) => t.name === 'execute_query');
    expect(exec?.annotations).to.include({ readOnlyHint: false, destructiveHint: true });
    const created = await registry.callTool(
      'execute_query',
      { sql: 'CREATE TABLE SAMPLE_DB.PUBLIC.MCP_SCRATCH (ID INT)' },
      identity,
    );
    expect(created.isError, created.content[0]?.text).to.not.equal(true);
    const inserted = await registry.callTool(
      'execute_query',
      { sql: 'INSERT INTO SAMPLE_DB.PUBLIC.MCP_SCRATCH VALUES (1), (2)' },
      identity,
    );
    expect(inserted.isError, inserted.content[0]?.text).to.not.equal(true);
    const two = await registry.callTool('execute_query', { sql: 'SELECT 1; SELECT 2' }, identity);
    expect(two.isError).to.equal(true);
    expect(two.content[0]?.text).to.match(/one statement per call/);
  });
});
