/**
 * The tools without a network: one data path, one request tracker, one tool registry and the MCP
 * server factory over them. The runtime adds the HTTP server on top; `smcp stdio` and in-process
 * `smcp call` use it as it is. The data path sits behind a switch so a reload can replace it.
 */
import { createMcpServerFactory, createToolRegistry } from '../mcp/server-factory.js';
import type { ToolRegistry } from '../mcp/server-factory.js';
import type { ClientIdentity } from '../mcp/request-context.js';
import type { CallObserver } from '../mcp/call-observer.js';
import { CostGuard } from '../mcp/cost-guard.js';
import { metadataCacheFor } from '../mcp/metadata-cache.js';
import type { MetadataCache } from '../mcp/metadata-cache.js';
import { QueryOwnership } from '../mcp/query-ownership.js';
import { RequestTracker } from '../mcp/request-tracker.js';
import type { McpSettings } from '../mcp/settings.js';
import type { McpServer } from '@modelcontextprotocol/server';
import type { ClientOptions } from '../snowflake/client.js';
import { silentLogger } from '../logger.js';
import type { Logger } from '../logger.js';
import type { ResolvedConnection } from '../snowflake/settings.js';
import { ConnectionDirectory } from '../mcp/connection-directory.js';
import type { ConnectionFacts } from '../mcp/connection-directory.js';
import { ClientSwitch } from './client-switch.js';
import { openDataPath } from './data-path.js';
import type { DataPath } from './data-path.js';

/** A further connection served beside the first (see ConnectionDirectory). */
export interface NamedConnection {
  readonly name: string;
  readonly resolved: ResolvedConnection;
  /** The settings calls on it run under (its own write switches and limits). */
  readonly mcp: McpSettings;
}

/** One served connection: its name and client (the first is the host's `client`). */
export interface ServedConnection {
  readonly name: string;
  readonly client: ClientSwitch;
  /** Reports health for list_connections and status (a health monitor sets it). */
  healthy: () => boolean;
}

/** What openToolHost needs. */
export interface ToolHostOptions {
  readonly resolved: ResolvedConnection;
  readonly mcp: McpSettings;
  /** The first connection's name when several are served (default: its resolved name). */
  readonly name?: string;
  /** Connections served beside the first; each tool then takes a `connection` argument. */
  readonly more?: readonly NamedConnection[];
  readonly pool?: ClientOptions;
  readonly logger?: Logger;
  /** Who keeps figures about calls (the daemon's metrics). */
  readonly observer?: CallObserver;
}

/** What a reload did. */
export interface ReloadOutcome {
  /** False when the settings still name what already serves (nothing was reopened). */
  readonly changed: boolean;
  readonly backend: DataPath['backend'];
  /** The connection name now served (the emulator's own name for the embedded default). */
  readonly connection: string;
}

/** Tools over one (replaceable) data path. */
export interface ToolHost {
  /** The data path serving calls now. */
  readonly dataPath: DataPath;
  /** The client every tool call and health check goes through. */
  readonly client: ClientSwitch;
  /** Every served connection, the first (`client`) first. */
  readonly connections: readonly ServedConnection[];
  /** list_connections' facts (names, accounts, health, write switches). */
  readonly directory: ConnectionDirectory;
  readonly tracker: RequestTracker;
  readonly registry: ToolRegistry;
  /** Holds reads to their scan budgets; its totals feed /status and the metrics. */
  readonly costGuard: CostGuard;
  /** The connection's metadata cache (cleared when a reload changes the connection). */
  readonly metadata: MetadataCache;
  /** Builds one McpServer per connection, session or stateless request. */
  readonly factory: (identity: ClientIdentity) => McpServer;
  /**
   * Opens a data path for `resolved` and swaps it in; calls running on the old pool finish there
   * (up to `graceMs`) before it closes. When both old and new are the embedded emulator nothing is
   * reopened. Throws SmcpError and keeps the old path serving when the new one cannot be opened.
   */
  reload(resolved: ResolvedConnection, graceMs: number): Promise<ReloadOutcome>;
  /** Closes the data path (pool and embedded emulator). Idempotent. */
  close(): Promise<void>;
}

/** Opens the data path and builds the registry and factory over it. Throws SmcpError. */
export async function openToolHost(options: ToolHostOptions): Promise<ToolHost> {
  const logger = options.logger ?? silentLogger;
  const open = (resolved: ResolvedConnection): Promise<DataPath> =>
    openDataPath({ resolved, client: options.pool, logger });
  const client = new ClientSwitch(await open(options.resolved));
  // Further connections open without a probe: one that cannot connect is reported unhealthy and
  // its calls fail, while the others serve.
  let more: { spec: NamedConnection; client: ClientSwitch }[];
  try {
    more = await Promise.all(
      (options.more ?? []).map(async (spec) => ({
        spec,
        client: new ClientSwitch(
          await openDataPath({
            resolved: spec.resolved,
            client: { ...options.pool, verifyOnOpen: false },
            logger,
          }),
        ),
      })),
    );
  } catch (err) {
    await client.close();
    throw err;
  }
  const primaryName = options.name ?? client.current.connection.connectionName.value;
  const connections: ServedConnection[] = [
    { name: primaryName, client, healthy: () => true },
    ...more.map((m) => ({ name: m.spec.name, client: m.client, healthy: () => true })),
  ];
  const settingsOf = [options.mcp, ...more.map((m) => m.spec.mcp)];
  const directory = new ConnectionDirectory(
    connections.map((c, i) => ({
      name: c.name,
      client: c.client,
      settings: settingsOf[i],
      facts: () => ({ ...factsOf(c.client.current), healthy: c.healthy() }),
    })),
  );
  const tracker = new RequestTracker();
  // The backend decides the guard's defaults; a reload may change it, so it is read per call.
  const costGuard = new CostGuard(options.mcp, () => client.current.backend, options.observer);
  const metadata = metadataCacheFor(options.mcp);
  // One registry, one ownership record and one observer for every path (MCP, tool API, admin).
  const deps = {
    metadata,
    client,
    settings: options.mcp,
    tracker,
    logger,
    ownership: new QueryOwnership(),
    costGuard,
    ...(directory.several ? { connections: directory } : {}),
    ...(options.observer ? { observer: options.observer } : {}),
  };
  const registry = createToolRegistry(deps);
  const outcome = (changed: boolean): ReloadOutcome => ({
    changed,
    backend: client.current.backend,
    connection: client.current.connection.connectionName.value,
  });
  return {
    get dataPath() {
      return client.current;
    },
    client,
    connections,
    directory,
    tracker,
    registry,
    costGuard,
    metadata,
    factory: createMcpServerFactory(deps, registry),
    reload: async (resolved, graceMs) => {
      if (!resolved.configured && client.current.backend === 'emulator') return outcome(false);
      const next = await open(resolved);
      void client.swap(next, graceMs);
      // Another connection may see other objects.
      metadata.invalidate();
      logger.info('data path reloaded', { backend: next.backend, connection: outcome(true).connection });
      return outcome(true);
    },
    close: async () => {
      await Promise.allSettled(connections.map((c) => c.client.close()));
    },
  };
}

/** What list_connections says of a data path's settings (never credentials). */
function factsOf(path: DataPath): Omit<ConnectionFacts, 'name' | 'allowWrite' | 'default' | 'healthy'> {
  const s = path.connection.settings;
  return {
    backend: path.backend,
    account: path.backend === 'emulator' ? null : (s.account?.value ?? null),
    role: s.role?.value ?? null,
    warehouse: s.warehouse?.value ?? null,
    database: s.database?.value ?? null,
  };
}
