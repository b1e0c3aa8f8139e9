/**
 * Harness of the fault suite: one emulator (loopback, sample data) whose fault switchboard the
 * tests drive, and real smcp runtimes (SnowflakeClient pool + tool registry + HTTP server) on a
 * configured connection to it. Every call is raced against a timer so a hung call fails the test
 * instead of the suite, and pool figures are read after the dust settles.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRuntime } from '../../src/daemon/runtime.js';
import type { Runtime } from '../../src/daemon/runtime.js';
import { startEmulator } from '../../src/emulator/index.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { ERROR_CATALOGUE } from '../../src/errors.js';
import type { ToolResult } from '../../src/mcp/server-factory.js';
import { errorInfoOf } from '../../src/mcp/tool-result.js';
import type { ToolErrorInfo } from '../../src/mcp/tool-result.js';
import { defineMcpSettings } from '../../src/mcp/settings.js';
import type { McpSettingsInput } from '../../src/mcp/settings.js';
import type { ClientOptions } from '../../src/snowflake/client.js';
import type { PoolStats } from '../../src/snowflake/pool.js';
import { resolveConnectionSettings } from '../../src/snowflake/settings.js';

/** The login the rigs use on the fault emulator. */
export const FAULT_USER = 'FAULTS';
/** Its password (changed by the failed-login scenario, then restored). */
export const FAULT_PASSWORD = 'fault-suite-password';

/** Thrown by `within` when a promise did not settle in time: the test fails as "hung". */
export class HungError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} did not settle within ${ms} ms (hung)`);
    this.name = 'HungError';
  }
}

/** Resolves or rejects like `p`, or rejects with HungError after `ms`. */
export function within<T>(ms: number, p: Promise<T>, what = 'the call'): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new HungError(what, ms)), ms);
    p.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

/** Starts the emulator the suite injects faults into (one user, COMPUTE_WH by default). */
export function startFaultEmulator(): Promise<RunningEmulator> {
  return startEmulator({
    host: '127.0.0.1',
    port: 0,
    users: [
      {
        name: FAULT_USER,
        password: FAULT_PASSWORD,
        defaultRole: 'SYSADMIN',
        roles: ['SYSADMIN', 'PUBLIC'],
        defaultWarehouse: 'COMPUTE_WH',
        defaultDatabase: 'SAMPLE_DB',
        defaultSchema: 'SALES',
      },
    ],
  });
}

/** Options of one rig. */
export interface RigOptions {
  /** MCP settings (allowWrite, timeouts, …). */
  readonly mcp?: McpSettingsInput;
  /** The warehouse of the connection (default COMPUTE_WH). */
  readonly warehouse?: string;
  /** Pool options (default max 4, acquire timeout 8 s). */
  readonly pool?: ClientOptions;
}

/** A real smcp runtime on the fault emulator. */
export interface FaultRig {
  readonly emu: RunningEmulator;
  readonly runtime: Runtime;
  /** Calls a tool through the registry (the code path of MCP tools/call), bounded by `boundMs`. */
  call(tool: string, args: Record<string, unknown>, boundMs?: number): Promise<ToolResult>;
  /** Pool figures once borrowed and pending are back to 0, or the last figures after `ms`. */
  settledPool(ms?: number): Promise<PoolStats>;
  /** Stops the runtime (HTTP server, health monitor, pool); the emulator stays. */
  close(): Promise<void>;
}

/** Starts a runtime (HTTP on an ephemeral loopback port) on a configured connection to `emu`. */
export async function startRig(emu: RunningEmulator, options: RigOptions = {}): Promise<FaultRig> {
  const home = mkdtempSync(join(tmpdir(), 'smcp-faults-'));
  const env = {
    SNOWFLAKE_ACCOUNT: emu.account,
    SNOWFLAKE_USER: FAULT_USER,
    SNOWFLAKE_PASSWORD: FAULT_PASSWORD,
    SNOWFLAKE_HOST: emu.host,
    SNOWFLAKE_PORT: String(emu.port),
    SNOWFLAKE_PROTOCOL: 'http',
    SNOWFLAKE_WAREHOUSE: options.warehouse ?? 'COMPUTE_WH',
  };
  let runtime: Runtime;
  try {
    const resolved = resolveConnectionSettings({ env, home, cwd: home });
    runtime = await startRuntime({
      resolved,
      mcp: defineMcpSettings(options.mcp ?? {}),
      http: { host: '127.0.0.1', port: 0 },
      // A wait for a connection is bounded by each call's own timeout_s: on a busy machine a burst
      // under faults must end in successes or the call's QUERY_TIMEOUT, not in the pool's limit.
      pool: { max: 4, acquireTimeoutMs: 60_000, ...options.pool },
      // The monitor's own checks would borrow connections mid-scenario: one at start is enough.
      healthIntervalMs: 3_600_000,
    });
  } catch (err) {
    rmSync(home, { recursive: true, force: true });
    throw err;
  }
  // One client for the whole suite, as a stdio client is: its query ids are its own to read.
  const identity = { transport: 'stdio' as const, clientId: 'fault-suite', owner: 'local' };
  return {
    emu,
    runtime,
    call(tool, args, boundMs = 15_000) {
      // Each transport hands a call its own signal; a call that hangs is cancelled after the
      // test has failed it, so it does not linger into the next scenario.
      const controller = new AbortController();
      const pending = runtime.registry.callTool(tool, args, identity, { signal: controller.signal });
      return within(boundMs, pending, `${tool} call`).catch((err: unknown) => {
        controller.abort();
        throw err;
      });
    },
    async settledPool(ms = 3000) {
      const deadline = performance.now() + ms;
      let stats = runtime.poolStats();
      while ((stats.borrowed > 0 || stats.pending > 0) && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        stats = runtime.poolStats();
      }
      return stats;
    },
    async close() {
      try {
        await within(15_000, runtime.close(), 'runtime close');
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    },
  };
}

/** The error a failed tool result reports (its `_meta` details), or undefined for a success. */
export function errorOf(result: ToolResult): ToolErrorInfo | undefined {
  if (!result.isError) return undefined;
  if (result.structuredContent !== undefined)
    throw new Error(`an error result carries structuredContent: ${JSON.stringify(result)}`);
  const error = errorInfoOf(result);
  if (!error || !(error.code in ERROR_CATALOGUE))
    throw new Error(`tool result carries no known error code: ${JSON.stringify(result)}`);
  return error;
}

/** The rows of a successful tabular tool result (throws with the error text otherwise). */
export function rowsOf(result: ToolResult): unknown[][] {
  if (result.isError) throw new Error(`tool call failed: ${result.content.map((c) => c.text).join('\n')}`);
  const structured = result.structuredContent as { rows?: unknown[][] } | undefined;
  return structured?.rows ?? [];
}
