/**
 * Opens smcp's path to data: the configured Snowflake connection, or — when asked for, or when no
 * Snowflake settings exist at all — smcp's own emulator with its sample data, started on a
 * loopback port and reached through the very same snowflake-sdk client layer. The emulator (and
 * DuckDB) load only then.
 */
import { randomBytes } from 'node:crypto';
import type { EmulatorReason } from '../admin/protocol.js';
import type { RunningEmulator } from '../emulator/index.js';
import { SmcpError } from '../errors.js';
import type { ClientOptions } from '../snowflake/client.js';
import { SnowflakeClient } from '../snowflake/client.js';
import { loadSnowflakeSdk } from '../snowflake/sdk.js';
import type { Logger } from '../logger.js';
import type { ConfiguredConnection, ResolvedConnection } from '../snowflake/settings.js';
import { emulatorConnection } from '../snowflake/settings-view.js';

/** The login the daemon uses on its embedded emulator. */
const EMBEDDED_USER = 'SMCP';
const EMBEDDED_WAREHOUSE = 'COMPUTE_WH';

/** An open path to data, and what it is backed by. */
export interface DataPath {
  readonly backend: 'snowflake' | 'emulator';
  /** The settings the client uses (for the emulator: its loopback endpoint, secret redacted in views). */
  readonly connection: ConfiguredConnection;
  readonly client: SnowflakeClient;
  /** Set when the embedded emulator serves the data. */
  readonly emulator?: RunningEmulator;
  /** True when the data is the embedded emulator's generated sample data. */
  readonly sampleData: boolean;
  /** Why the embedded emulator serves (asked for, or no Snowflake settings exist); unset on Snowflake. */
  readonly emulatorReason?: EmulatorReason;
  /** Warnings about the settings read (see ResolvedConnection.warnings). */
  readonly warnings: readonly string[];
  /** Closes the client, then the embedded emulator if any. Idempotent. */
  close(): Promise<void>;
}

/** What openDataPath needs. */
export interface OpenDataPathOptions {
  readonly resolved: ResolvedConnection;
  readonly client?: ClientOptions;
  readonly logger?: Logger;
  /** Create the emulator's sample databases (default true). */
  readonly sampleData?: boolean;
  /**
   * Tables of the embedded emulator's generated catalog (GEN_DB_01, …; metadata only). Default:
   * $SMCP_EMULATOR_CATALOG_SIZE, else none.
   */
  readonly catalogSize?: number;
  /**
   * What the embedded emulator keeps of results for fetch_results: bytes in memory and in spill
   * files, lifetime, and where its private spill directory goes. Defaults: RESULT_DEFAULTS of the
   * emulator (256 MiB, 4 GiB, 24 h) under the system temp dir.
   */
  readonly emulatorResults?: {
    readonly memoryBytes?: number;
    readonly diskBytes?: number;
    readonly lifetimeMs?: number;
    readonly spillParentDir?: string;
  };
}

/**
 * Opens the client for the configured connection, or starts the embedded emulator (ephemeral
 * loopback port, random password) and opens the client on it. Throws SmcpError when the
 * connection cannot be opened; an emulator it started is closed again in that case.
 */
export async function openDataPath(options: OpenDataPathOptions): Promise<DataPath> {
  const warnings = options.resolved.warnings ?? [];
  if (options.resolved.configured) {
    const connection = options.resolved;
    const client = await SnowflakeClient.open(connection, options.client, options.logger);
    const close = once(() => client.close());
    return { backend: 'snowflake', connection, client, sampleData: false, warnings, close };
  }
  const { requested, connectionName } = options.resolved;
  const emulatorReason: EmulatorReason = { requested, origin: connectionName.origin };
  const sampleData = options.sampleData ?? true;
  const catalogSize = options.catalogSize ?? catalogSizeFromEnv(process.env.SMCP_EMULATOR_CATALOG_SIZE);
  const { startEmulator, RESULT_DEFAULTS } = await import('../emulator/index.js');
  const results = options.emulatorResults ?? {};
  const password = randomBytes(18).toString('base64url');
  // DuckDB builds the sample data on its own threads: load the driver meanwhile (≈ 0.3 s of
  // this thread's time), so start-to-ready pays for the longer of the two, not both.
  const driverLoaded = loadSnowflakeSdk().catch(() => undefined);
  const emulator = await startEmulator({
    host: '127.0.0.1',
    port: 0,
    password,
    sampleData,
    ...(catalogSize > 0 ? { catalogSize } : {}),
    resultMemoryBytes: results.memoryBytes ?? RESULT_DEFAULTS.memoryBytes,
    resultDiskBytes: results.diskBytes ?? RESULT_DEFAULTS.diskBytes,
    resultLifetimeMs: results.lifetimeMs ?? RESULT_DEFAULTS.lifetimeMs,
    ...(results.spillParentDir !== undefined ? { spillParentDir: results.spillParentDir } : {}),
  });
  await driverLoaded;
  const connection = emulatorConnection({
    host: emulator.host,
    port: emulator.port,
    account: emulator.account,
    user: EMBEDDED_USER,
    password,
    warehouse: EMBEDDED_WAREHOUSE,
  });
  let client: SnowflakeClient;
  try {
    client = await SnowflakeClient.open(connection, options.client, options.logger);
  } catch (err) {
    await emulator.close();
    throw err;
  }
  const close = once(async () => {
    await client.close();
    await emulator.close();
  });
  return { backend: 'emulator', connection, client, emulator, sampleData, emulatorReason, warnings, close };
}

/** The generated catalog size $SMCP_EMULATOR_CATALOG_SIZE asks for (0 when unset). Throws CONFIG_INVALID. */
function catalogSizeFromEnv(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return 0;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 1_000_000) {
    throw new SmcpError(
      'CONFIG_INVALID',
      `SMCP_EMULATOR_CATALOG_SIZE must be a whole number of tables from 0 to 1000000, got ${JSON.stringify(text)}`,
      { field: 'SMCP_EMULATOR_CATALOG_SIZE' },
    );
  }
  return n;
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
