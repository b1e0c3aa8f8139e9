/**
 * Test harness for the MCP layer: one embedded emulator (real driver, real wire protocol) per
 * suite, and official SDK v2 clients connected to servers from the factory over in-memory
 * transport pairs.
 */
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { openDataPath } from '../../src/daemon/data-path.js';
import type { DataPath } from '../../src/daemon/data-path.js';
import { RequestTracker } from '../../src/mcp/request-tracker.js';
import type { ClientIdentity } from '../../src/mcp/request-context.js';
import { createMcpServerFactory } from '../../src/mcp/server-factory.js';
import type { McpDeps } from '../../src/mcp/server-factory.js';
import { defineMcpSettings } from '../../src/mcp/settings.js';
import type { McpSettingsInput } from '../../src/mcp/settings.js';
import { resolveConnectionSettings } from '../../src/snowflake/settings.js';

/** Opens the embedded emulator data path (sample data on; a generated catalog of `catalogSize` tables). */
export function openEmulator(catalogSize = 0): Promise<DataPath> {
  const resolved = resolveConnectionSettings({ env: {}, home: '/nonexistent-home-for-mcp-tests' });
  return openDataPath({ resolved, sampleData: true, catalogSize });
}

/**
 * Opens the emulator before the enclosing mocha suite and closes it after; read `path` from the
 * returned holder inside the suite's tests.
 */
export function useEmulator(catalogSize = 0): { readonly path: DataPath } {
  const holder: { path?: DataPath } = {};
  before(async () => {
    holder.path = await openEmulator(catalogSize);
  });
  after(async () => {
    await holder.path?.close();
  });
  return {
    get path(): DataPath {
      if (!holder.path) throw new Error('the emulator is open only inside the suite');
      return holder.path;
    },
  };
}

/** A connected client and what it takes to close it. */
export interface Connected {
  readonly client: Client;
  readonly deps: McpDeps;
  close(): Promise<void>;
}

/** Connects an SDK client to a fresh server of a factory over `path` with `settings`. */
export async function connect(
  path: DataPath,
  settings: McpSettingsInput = {},
  identity: ClientIdentity = { transport: 'stdio', clientId: 'test-client' },
  extra: Partial<McpDeps> = {},
): Promise<Connected> {
  const deps: McpDeps = {
    client: path.client,
    settings: defineMcpSettings(settings),
    tracker: new RequestTracker(),
    ...extra,
  };
  const server = createMcpServerFactory(deps)(identity);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'smcp-test', version: '1.0.0' });
  await server.connect(serverSide);
  await client.connect(clientSide);
  return {
    client,
    deps,
    async close() {
      await client.close();
      await server.close();
    },
  };
}
