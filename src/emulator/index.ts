/**
 * The local Snowflake emulator: a loopback HTTP server speaking the Snowflake REST protocol that
 * snowflake-sdk uses, backed by the SQL engine on embedded DuckDB. The client layer and the CLI use
 * only this module.
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { SmcpError } from '../errors.js';
import type { Engine } from './engine-types.js';
import type { EmulatorOptions, EmulatorUserSpec, RunningEmulator } from './server/types.js';
import { DEFAULT_RESULT_LIFETIME_MS } from './server/query-registry.js';
import { DEFAULT_RESULT_DISK_BYTES, DEFAULT_RESULT_MEMORY_BYTES } from './sql/result-store.js';
import { UserDirectory } from './server/users.js';
import { WireServer } from './server/wire-server.js';

export type { EmulatorOptions, EmulatorStats, EmulatorUserSpec, RunningEmulator } from './server/types.js';
export type { FaultControl, FaultSettings } from './server/faults.js';

/**
 * How long and how much the emulator keeps of results by default: 24 hours after the statement
 * ended, 256 MiB of rows in memory, 4 GiB in spill files (least recently used evicted first).
 */
export const RESULT_DEFAULTS = {
  lifetimeMs: DEFAULT_RESULT_LIFETIME_MS,
  memoryBytes: DEFAULT_RESULT_MEMORY_BYTES,
  diskBytes: DEFAULT_RESULT_DISK_BYTES,
} as const;

const DEFAULT_ACCOUNT = 'SMCPLOCAL';
const DEFAULT_USER = 'SMCP';
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** True for 127.0.0.0/8, ::1 and localhost. */
function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1' || host === '[::1]') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

function positiveSeconds(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new SmcpError('CONFIG_INVALID', `${field} must be a positive number of seconds`, { field });
  }
  return value;
}

function positiveMs(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new SmcpError('CONFIG_INVALID', `${field} must be a positive number of milliseconds`, { field });
  }
  return value;
}

/** The default user: SMCP with every built-in role, ACCOUNTADMIN by default, COMPUTE_WH. */
function defaultUser(password: string | undefined): EmulatorUserSpec {
  return {
    name: DEFAULT_USER,
    password: password ?? randomBytes(18).toString('base64url'),
    defaultRole: 'ACCOUNTADMIN',
    roles: ['ACCOUNTADMIN', 'SECURITYADMIN', 'USERADMIN', 'SYSADMIN', 'PUBLIC'],
    defaultWarehouse: 'COMPUTE_WH',
  };
}

/**
 * Starts an emulator. Binds 127.0.0.1 on an ephemeral port unless told otherwise; refuses a
 * non-loopback host without `allowRemote`. Creates a default engine (with sample data unless
 * `sampleData: false`) when none is injected. The returned emulator owns the engine and closes it.
 * Throws SmcpError CONFIG_INVALID for bad options or a port in use.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && !options.allowRemote) {
    throw new SmcpError('CONFIG_INVALID', `refusing to bind the emulator to non-loopback host ${host}`, {
      field: 'host',
    });
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new SmcpError('CONFIG_INVALID', `port must be an integer from 0 to 65535, got ${port}`, {
      field: 'port',
    });
  }
  const account = (options.account ?? DEFAULT_ACCOUNT).trim().toUpperCase();
  if (!/^[A-Z0-9_-]+$/.test(account)) {
    throw new SmcpError('CONFIG_INVALID', `account name ${account} has characters Snowflake does not allow`, {
      field: 'account',
    });
  }
  const users = new UserDirectory();
  const specs: EmulatorUserSpec[] = [];
  for (const spec of options.users ?? [defaultUser(options.password)]) {
    users.add(spec);
    specs.push(spec);
  }
  const settings = {
    account,
    sessionValidityMs: positiveSeconds(options.sessionValiditySeconds, 3600, 'sessionValiditySeconds') * 1000,
    masterValidityMs: positiveSeconds(options.masterValiditySeconds, 14400, 'masterValiditySeconds') * 1000,
    queryWaitMs: options.queryWaitMs ?? 45_000,
    resultLifetimeMs: positiveMs(options.resultLifetimeMs, DEFAULT_RESULT_LIFETIME_MS, 'resultLifetimeMs'),
    maxBodyBytes: MAX_BODY_BYTES,
  };

  // Loaded lazily: an injected engine spares loading DuckDB and the sample data code.
  const engine: Engine =
    options.engine ??
    (await import('./sql/engine.js').then((m) =>
      m.createEngine({
        sampleData: options.sampleData ?? true,
        ...(options.catalogSize ? { catalogSize: options.catalogSize } : {}),
        account,
        ...(options.resultMemoryBytes !== undefined ? { resultMemoryBytes: options.resultMemoryBytes } : {}),
        ...(options.resultDiskBytes !== undefined ? { resultDiskBytes: options.resultDiskBytes } : {}),
        ...(options.spillParentDir !== undefined ? { spillParentDir: options.spillParentDir } : {}),
        ...(options.maxOpenStreams !== undefined ? { maxOpenStreams: options.maxOpenStreams } : {}),
      }),
    ));
  const server = new WireServer(engine, users, settings);
  let bound: number;
  try {
    bound = await server.listen(host, port);
  } catch (err) {
    await server.close();
    await engine.close();
    const code = (err as { code?: unknown }).code;
    const reason = code === 'EADDRINUSE' ? 'is already in use' : `cannot be bound (${String(code ?? err)})`;
    throw new SmcpError(
      'CONFIG_INVALID',
      `emulator port ${port} on ${host} ${reason}`,
      { field: 'port' },
      { cause: err },
    );
  }

  let closing: Promise<void> | null = null;
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${bound}`,
    host,
    port: bound,
    account,
    users: specs,
    engine,
    addUser(spec) {
      users.add(spec);
      const index = specs.findIndex((s) => s.name.trim().toUpperCase() === spec.name.trim().toUpperCase());
      if (index >= 0) specs[index] = spec;
      else specs.push(spec);
    },
    expireSessions(opts) {
      server.expireSessions(opts?.master === true);
    },
    stats: () => server.stats(),
    faults: server.faults,
    close() {
      closing ??= server.close().then(() => engine.close());
      return closing;
    },
  };
}
