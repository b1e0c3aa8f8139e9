/**
 * The tools without a network: the served connections (each a replaceable data path, a metadata
 * cache and, in a daemon, a health monitor), one request tracker, one tool registry and the MCP
 * server factory over them. The runtime adds the HTTP server on top; `smcp stdio` and in-process
 * `smcp call` use it as it is. A reload applies a new set of connections, settings and SQL tools
 * without closing sessions: the registry sits behind a switch, each connection's data path behind
 * its own.
 */
import { createMcpServerFactory, createToolRegistry } from '../mcp/server-factory.js';
import type { ToolRegistry } from '../mcp/server-factory.js';
import type { ClientIdentity } from '../mcp/request-context.js';
import type { CallObserver } from '../mcp/call-observer.js';
import { CostGuard } from '../mcp/cost-guard.js';
import { metadataCacheFor } from '../mcp/metadata-cache.js';
import type { MetadataCache } from '../mcp/metadata-cache.js';
import { QueryOwnership } from '../mcp/query-ownership.js';
import { ListingCache } from '../mcp/resources.js';
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
import { HealthMonitor } from './health-monitor.js';
import { RegistrySwitch } from './registry-switch.js';
import { keepsDataPath, planReload } from './served-connections.js';
import type { ConnectionReport, NamedConnection, ServedConnection } from './served-connections.js';
import { anySqlToolChange, sqlToolChanges } from './sql-tool-changes.js';
import type { SqlToolChanges } from './sql-tool-changes.js';

export type { ConnectionReport, NamedConnection, ServedConnection } from './served-connections.js';
export type { SqlToolChanges } from './sql-tool-changes.js';

/** The connections to serve: the first (default) one, and those beside it. */
export interface ConnectionsWanted {
  readonly resolved: ResolvedConnection;
  readonly mcp: McpSettings;
  /** The first connection's name when several are served (default: its resolved name). */
  readonly name?: string;
  /** Connections served beside the first; each tool then takes a `connection` argument. */
  readonly more?: readonly NamedConnection[];
}

/** What openToolHost needs. */
export interface ToolHostOptions extends ConnectionsWanted {
  readonly pool?: ClientOptions;
  readonly logger?: Logger;
  /** Who keeps figures about calls (the daemon's metrics). */
  readonly observer?: CallObserver;
  /** Gives each connection a health monitor checking at this interval (the daemon); none when unset. */
  readonly healthIntervalMs?: number;
}

/** What a reload did. */
export interface ReloadOutcome {
  /** False when the settings still name what already serves (no connection, setting or SQL tool changed). */
  readonly changed: boolean;
  readonly backend: DataPath['backend'];
  /** The default connection's name now (the emulator's own name for the embedded default). */
  readonly connection: string;
  /** Each connection's change, the served ones in order (default first), then the removed ones. */
  readonly connections: readonly ConnectionReport[];
  /** The SQL tools of config.toml added, removed and changed. */
  readonly sqlTools: SqlToolChanges;
  /** True when the tool listing changed (sessions were sent notifications/tools/list_changed). */
  readonly toolsChanged: boolean;
}

/** Tools over the served connections. */
export interface ToolHost {
  /** The default connection's data path now. */
  readonly dataPath: DataPath;
  /** The default connection's client (every call naming no connection, the readiness check). */
  readonly client: ClientSwitch;
  /** Every served connection now, the default first. */
  readonly connections: readonly ServedConnection[];
  /** list_connections' facts (names, accounts, health, write switches) now. */
  readonly directory: ConnectionDirectory;
  readonly tracker: RequestTracker;
  /** The registry of the connections served now (a reload replaces what it forwards to). */
  readonly registry: ToolRegistry;
  /** Holds reads to their scan budgets; its totals feed /status and the metrics. */
  readonly costGuard: CostGuard;
  /** The default connection's metadata cache. */
  readonly metadata: MetadataCache;
  /** Builds one McpServer per connection, session or stateless request. */
  readonly factory: (identity: ClientIdentity) => McpServer;
  /** Runs every health monitor's first check and starts their timers (no-op without monitors). */
  startHealth(): Promise<void>;
  /**
   * Applies `wanted`: opens data paths for added connections and for changed ones whose connection
   * settings changed (one that cannot connect is served and reported unhealthy), swaps those in
   * (calls running on the old pool finish there up to `graceMs`), retires removed ones the same
   * way, gives changed ones their new settings, leaves unchanged ones untouched, and replaces the
   * registry (new SQL tools and limits; calls in flight keep the ones they started with) and the
   * cost guard's budgets. Throws SmcpError and changes nothing when the new set cannot be served
   * (a bad option, a SQL tool that cannot be built or names a connection no longer served).
   */
  reload(wanted: ConnectionsWanted, graceMs: number): Promise<ReloadOutcome>;
  /** Closes every data path (pools and embedded emulator) and stops health checks. Idempotent. */
  close(): Promise<void>;
}

/** The connections of `wanted`, the default first. */
function specsOf(wanted: ConnectionsWanted, firstName: string): NamedConnection[] {
  return [{ name: firstName, resolved: wanted.resolved, mcp: wanted.mcp }, ...(wanted.more ?? [])];
}

/** Opens the data paths and builds the registry and factory over them. Throws SmcpError. */
export async function openToolHost(options: ToolHostOptions): Promise<ToolHost> {
  const logger = options.logger ?? silentLogger;
  // Only the first connection is probed when the host opens: one beside it that cannot connect is
  // reported unhealthy and its calls fail, while the others serve. A reload probes none.
  const open = (resolved: ResolvedConnection, verify: boolean): Promise<DataPath> =>
    openDataPath({
      resolved,
      client: verify ? options.pool : { ...options.pool, verifyOnOpen: false },
      logger,
    });
  const serve = (
    spec: NamedConnection,
    path: DataPath,
    client = new ClientSwitch(path),
    existing?: HealthMonitor,
    metadata = metadataCacheFor(spec.mcp),
  ): ServedConnection => {
    const health =
      existing ??
      (options.healthIntervalMs === undefined
        ? undefined
        : new HealthMonitor(client, { intervalMs: options.healthIntervalMs }));
    return {
      ...spec,
      client,
      metadata,
      ...(health ? { health } : {}),
      healthy: () => health?.isHealthy() ?? true,
    };
  };

  const firstPath = await open(options.resolved, true);
  let more: DataPath[];
  try {
    more = await Promise.all((options.more ?? []).map((spec) => open(spec.resolved, false)));
  } catch (err) {
    await firstPath.close();
    throw err;
  }
  const specs = specsOf(options, options.name ?? firstPath.connection.connectionName.value);
  let connections: ServedConnection[] = specs.map((spec, i) =>
    serve(spec, i === 0 ? firstPath : more[i - 1]),
  );
  const first = (): ServedConnection => connections[0];
  // Removed connections still draining, so closing the host closes their pools too.
  const retiring = new Set<ClientSwitch>();

  const tracker = new RequestTracker();
  // One guard for the daemon, so budgets count across reloads; the default connection's backend
  // decides its defaults, read per call.
  const costGuard = new CostGuard(options.mcp, () => first().client.current.backend, options.observer);
  const ownership = new QueryOwnership();
  // Which connection ran each query id, kept across reloads so fetch_results still finds it.
  const queryConnections = new Map<string, string>();
  const build = (
    set: readonly ServedConnection[],
  ): { registry: ToolRegistry; directory: ConnectionDirectory } => {
    const directory = new ConnectionDirectory(
      set.map((c) => ({
        name: c.name,
        client: c.client,
        settings: c.mcp,
        facts: () => ({ ...factsOf(c.client.current), healthy: c.healthy() }),
      })),
      queryConnections,
    );
    const caches = new Map(set.map((c) => [c.name, c.metadata]));
    // One registry, one ownership record and one observer for every path (MCP, tool API, admin).
    const registry = createToolRegistry({
      metadata: set[0].metadata,
      metadataOf: (name) => caches.get(name),
      client: set[0].client,
      settings: set[0].mcp,
      tracker,
      logger,
      ownership,
      costGuard,
      ...(directory.several ? { connections: directory } : {}),
      ...(options.observer ? { observer: options.observer } : {}),
    });
    return { registry, directory };
  };
  let built: ReturnType<typeof build>;
  try {
    built = build(connections);
  } catch (err) {
    await Promise.allSettled(connections.map((c) => c.client.close()));
    throw err;
  }
  const registry = new RegistrySwitch(built.registry);
  // Emptied at each reload: a listing from before may show what the new rules hide.
  const listings = new ListingCache(options.mcp.resultCacheTtlSeconds * 1000);
  const baseFactory = createMcpServerFactory(
    { client: first().client, settings: options.mcp, tracker, logger, ownership, costGuard },
    registry,
    listings,
  );

  const reload = async (wanted: ConnectionsWanted, graceMs: number): Promise<ReloadOutcome> => {
    // The single embedded emulator keeps its own name, whatever name asked for it.
    const keepFirstName =
      wanted.name === undefined && !wanted.resolved.configured && !first().resolved.configured;
    const plan = planReload(
      connections,
      specsOf(wanted, keepFirstName ? first().name : (wanted.name ?? wanted.resolved.connectionName.value)),
    );
    const byName = new Map(connections.map((c) => [c.name, c]));
    // Open everything first: a failure here leaves the served set as it was.
    const opened = new Map<string, DataPath>();
    try {
      for (const { spec, change } of plan.next) {
        const current = byName.get(spec.name);
        if (change === 'added' || (change === 'changed' && current && !keepsDataPath(current, spec))) {
          opened.set(spec.name, await open(spec.resolved, false));
        }
      }
    } catch (err) {
      await Promise.allSettled([...opened.values()].map((p) => p.close()));
      throw err;
    }
    const next = plan.next.map(({ spec, change }) => {
      const current = byName.get(spec.name);
      // Unchanged but for the SQL tools: the same connection, carrying the new definitions.
      if (change === 'unchanged' && current) {
        return JSON.stringify(current.mcp) === JSON.stringify(spec.mcp)
          ? current
          : { ...current, mcp: spec.mcp };
      }
      const path = opened.get(spec.name);
      // A changed connection keeps its client switch and health monitor, which follow the new pool.
      // On the same pool it keeps its catalog too (cached unfiltered: readers apply the visibility
      // rules), unless the cache's own limits changed.
      if (current) {
        const keepCache =
          !path &&
          current.mcp.metadataTtlSeconds === spec.mcp.metadataTtlSeconds &&
          current.mcp.metadataMaxObjects === spec.mcp.metadataMaxObjects;
        return serve(
          spec,
          path ?? current.client.current,
          current.client,
          current.health,
          keepCache ? current.metadata : undefined,
        );
      }
      return serve(spec, path!);
    });
    let rebuilt: ReturnType<typeof build>;
    try {
      rebuilt = build(next);
    } catch (err) {
      await Promise.allSettled([...opened.values()].map((p) => p.close()));
      throw err;
    }
    // From here on nothing throws: the new set is put in place.
    const sqlTools = sqlToolChanges(first().mcp.sqlTools, next[0].mcp.sqlTools);
    for (const { spec, change } of plan.next) {
      const current = byName.get(spec.name);
      const path = opened.get(spec.name);
      if (change === 'changed' && current && path) void current.client.swap(path, graceMs);
    }
    for (const gone of plan.removed) {
      gone.health?.stop();
      retiring.add(gone.client);
      void gone.client.retire(graceMs).finally(() => retiring.delete(gone.client));
    }
    connections = next;
    built = rebuilt;
    // New calls take the new budgets; totals counted so far stay.
    costGuard.configure(next[0].mcp);
    listings.clear();
    const toolsChanged = registry.replace(rebuilt.registry, logger);
    // Added ones start checking; ones on a new pool are checked again at once (the others' health
    // is what it was: their pool did not change).
    const fresh = next.filter((c) => opened.has(c.name));
    await Promise.all(fresh.map((c) => c.health?.start() ?? Promise.resolve()));
    const reports: ConnectionReport[] = [
      ...plan.next.map(({ spec, change }, i) => ({
        name: spec.name,
        change,
        healthy: next[i].healthy(),
        default: i === 0,
      })),
      ...plan.removed.map((c) => ({ name: c.name, change: 'removed' as const, default: false })),
    ];
    const changed = reports.some((r) => r.change !== 'unchanged') || anySqlToolChange(sqlTools);
    logger.info('connections reloaded', {
      connections: reports.map((r) => `${r.name}:${r.change}`).join(','),
      sqlTools: describeSqlToolChanges(sqlTools),
      toolsChanged,
    });
    return {
      changed,
      backend: first().client.current.backend,
      connection: first().client.current.connection.connectionName.value,
      connections: reports,
      sqlTools,
      toolsChanged,
    };
  };

  return {
    get dataPath() {
      return first().client.current;
    },
    get client() {
      return first().client;
    },
    get connections() {
      return connections;
    },
    get directory() {
      return built.directory;
    },
    tracker,
    registry,
    costGuard,
    get metadata() {
      return first().metadata;
    },
    factory: (identity) => registry.track(baseFactory(identity)),
    startHealth: async () => {
      await Promise.all(connections.map((c) => c.health?.start() ?? Promise.resolve()));
    },
    reload,
    close: async () => {
      for (const c of connections) c.health?.stop();
      await Promise.allSettled([...connections.map((c) => c.client), ...retiring].map((c) => c.close()));
    },
  };
}

/** `added:a,b removed:c` for the log ('' when nothing changed). */
function describeSqlToolChanges(changes: SqlToolChanges): string {
  return (['added', 'removed', 'changed'] as const)
    .filter((kind) => changes[kind].length > 0)
    .map((kind) => `${kind}:${changes[kind].join(',')}`)
    .join(' ');
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
