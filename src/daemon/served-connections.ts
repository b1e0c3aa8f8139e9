/**
 * The named connections one tool host serves, and what a reload changes among them: each served
 * connection keeps its client (a ClientSwitch, so its pool can be swapped under running sessions),
 * its metadata cache and, in a daemon, its health monitor. A reload compares the connections it
 * read with the served ones by name: new names are added, missing ones removed, ones whose
 * connection settings or settings for calls differ are changed, the rest left untouched. The SQL
 * tools (config.toml's `[sql_tools.*]`, the same for every connection) are compared on their own.
 */
import type { MetadataCache } from '../mcp/metadata-cache.js';
import type { McpSettings } from '../mcp/settings.js';
import type { ResolvedConnection } from '../snowflake/settings.js';
import type { ClientSwitch } from './client-switch.js';
import type { HealthMonitor } from './health-monitor.js';

/** A connection to serve under a name, with the settings calls on it run under. */
export interface NamedConnection {
  readonly name: string;
  readonly resolved: ResolvedConnection;
  /** Its own write switches and limits (config.toml's `[connection_options.<name>]` applied). */
  readonly mcp: McpSettings;
}

/** One served connection. */
export interface ServedConnection extends NamedConnection {
  readonly client: ClientSwitch;
  /** Its catalog cache (search_objects, list and describe answers); replaced when it changes. */
  readonly metadata: MetadataCache;
  /** Its health checks, in a daemon; absent in `smcp stdio` and `smcp call`. */
  readonly health?: HealthMonitor;
  /** Reports health for list_connections, /status and /health (true without a monitor). */
  healthy(): boolean;
}

/** What a reload does to one connection. */
export type ConnectionChange = 'added' | 'removed' | 'changed' | 'unchanged';

/** One line of a reload's report. */
export interface ConnectionReport {
  readonly name: string;
  readonly change: ConnectionChange;
  /** Its health after the reload (absent for a removed one). */
  readonly healthy?: boolean;
  /** True for the connection calls use when they name none. */
  readonly default: boolean;
}

/** The reload's plan: each connection read, with what happens to it, and the ones removed. */
export interface ReloadPlan {
  readonly next: readonly { spec: NamedConnection; change: 'added' | 'changed' | 'unchanged' }[];
  readonly removed: readonly ServedConnection[];
}

/** The values of a connection's settings, without where they came from. */
function settingValues(resolved: ResolvedConnection): unknown {
  if (!resolved.configured) return { configured: false };
  return Object.fromEntries(
    Object.entries(resolved.settings).map(([key, sourced]) => [key, (sourced as { value: unknown }).value]),
  );
}

/** The settings calls run under, without the SQL tools (a reload reports those apart). */
function callSettings(mcp: McpSettings): string {
  const { sqlTools: _tools, ...rest } = mcp;
  return JSON.stringify(rest);
}

/**
 * True when `served` connects to what `spec` names: the same connection settings (values, not
 * origins). The embedded emulator counts as the same whatever asked for it, so a reload never
 * restarts it (and never loses what was written to it).
 */
function sameConnection(served: ServedConnection, spec: NamedConnection): boolean {
  if (
    !spec.resolved.configured &&
    served.client.current.backend === 'emulator' &&
    !served.resolved.configured
  )
    return true;
  return JSON.stringify(settingValues(served.resolved)) === JSON.stringify(settingValues(spec.resolved));
}

/**
 * True when `spec` asks for what `served` already serves: the same connection and the same
 * settings for calls on it (limits, write switches, tool naming; SQL tools aside).
 */
export function servesAlready(served: ServedConnection, spec: NamedConnection): boolean {
  return callSettings(served.mcp) === callSettings(spec.mcp) && sameConnection(served, spec);
}

/**
 * Whether a changed connection keeps its data path: the embedded emulator always does (restarting
 * it would lose what was written to it), any other one when only its settings for calls changed
 * (new calls take the new limits on the same pool); one whose connection settings changed gets a
 * new pool.
 */
export function keepsDataPath(served: ServedConnection, spec: NamedConnection): boolean {
  return (!spec.resolved.configured && !served.resolved.configured) || sameConnection(served, spec);
}

/** Compares the connections read (`specs`, the default first) with the served ones. */
export function planReload(
  served: readonly ServedConnection[],
  specs: readonly NamedConnection[],
): ReloadPlan {
  const byName = new Map(served.map((c) => [c.name, c]));
  const wanted = new Set(specs.map((s) => s.name));
  return {
    next: specs.map((spec) => {
      const current = byName.get(spec.name);
      if (!current) return { spec, change: 'added' as const };
      return { spec, change: servesAlready(current, spec) ? ('unchanged' as const) : ('changed' as const) };
    }),
    removed: served.filter((c) => !wanted.has(c.name)),
  };
}
