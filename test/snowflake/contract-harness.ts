/**
 * Shared harness of the client-layer contract suite: each test file gets its own emulator
 * (loopback, ephemeral port, sample data), a temp dir, a `main` client and helpers to open more
 * clients, build requests and read the emulator's query history. Everything it starts is stopped
 * in the file's `after` hook.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/index.js';
import type { EmulatorUserSpec, RunningEmulator } from '../../src/emulator/index.js';
import { SmcpError } from '../../src/errors.js';
import { SnowflakeClient } from '../../src/snowflake/client.js';
import type { ClientOptions, QueryRequest, QueryResult } from '../../src/snowflake/client.js';
import type { PoolStats } from '../../src/snowflake/pool.js';
import { resolveConnectionSettings } from '../../src/snowflake/settings.js';

/** The password of the ANALYST user. */
export const PASSWORD = 'correct horse';

/** What a contract test file works with (valid inside its tests and hooks). */
export interface Harness {
  readonly emu: RunningEmulator;
  /** A temp dir (removed afterwards) for key and token files. */
  readonly dir: string;
  /** A password client with `max: 4`. */
  readonly main: SnowflakeClient;
  /**
   * Opens a client as ANALYST with the given SNOWFLAKE_* variables (closed after the file).
   * `port` points it elsewhere than the emulator (e.g. a proxy in front of it).
   */
  open(extra: Record<string, string>, options?: ClientOptions, port?: number): Promise<SnowflakeClient>;
  /** A request with a unique request id, generous caps and `retryable: true`. */
  request(sql: string, extra?: Partial<QueryRequest>): QueryRequest;
  q(client: SnowflakeClient, sql: string, extra?: Partial<QueryRequest>): Promise<QueryResult>;
  /** Query-history rows (by column name) of the statements tagged with `requestId`. */
  history(requestId: string): Promise<Record<string, unknown>[]>;
}

/** Options of useContractHarness. */
export interface HarnessOptions {
  /** Runs before the emulator starts; returns extra fields of the ANALYST user (keys, tokens). */
  readonly prepare?: (dir: string) => Partial<EmulatorUserSpec>;
}

/** Registers before/after hooks in the calling describe and returns the harness they fill. */
export function useContractHarness(options: HarnessOptions = {}): Harness {
  let emu: RunningEmulator | undefined;
  let dir: string | undefined;
  let main: SnowflakeClient | undefined;
  const clients: SnowflakeClient[] = [];
  let seq = 0;

  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not ready (use it inside tests or hooks)`);
    return value;
  };

  const harness: Harness = {
    get emu() {
      return need(emu, 'the emulator');
    },
    get dir() {
      return need(dir, 'the temp dir');
    },
    get main() {
      return need(main, 'the main client');
    },
    async open(extra, clientOptions = {}, port) {
      const e = harness.emu;
      const env = {
        SNOWFLAKE_ACCOUNT: e.account,
        SNOWFLAKE_USER: 'ANALYST',
        SNOWFLAKE_HOST: '127.0.0.1',
        SNOWFLAKE_PORT: String(port ?? e.port),
        SNOWFLAKE_PROTOCOL: 'http',
        ...extra,
      };
      const resolved = resolveConnectionSettings({ env, home: harness.dir, cwd: harness.dir });
      if (!resolved.configured) throw new Error('expected a configured connection');
      const client = await SnowflakeClient.open(resolved, { loginRetries: 0, ...clientOptions });
      clients.push(client);
      return client;
    },
    request(sql, extra = {}) {
      seq++;
      return {
        sql,
        maxRows: 1000,
        maxBytes: 1_000_000,
        timeoutSeconds: 10,
        context: { requestId: `req-${seq}`, clientId: 'contract-test', tool: 'run_query' },
        retryable: true,
        ...extra,
      };
    },
    q(client, sql, extra = {}) {
      return client.query(harness.request(sql, extra));
    },
    async history(requestId) {
      const res = await harness.q(
        harness.main,
        `SELECT QUERY_TEXT, QUERY_TAG, EXECUTION_STATUS, ERROR_CODE, USER_NAME FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY()) WHERE QUERY_TAG LIKE '%"req":"${requestId}"%'`,
      );
      return res.rows.map((row) => Object.fromEntries(res.columns.map((c, i) => [c.name, row[i]])));
    },
  };

  before(async function () {
    this.timeout(30_000);
    dir = mkdtempSync(join(tmpdir(), 'smcp-contract-'));
    const extra = options.prepare?.(dir) ?? {};
    emu = await startEmulator({
      port: 0,
      users: [
        {
          name: 'ANALYST',
          password: PASSWORD,
          defaultRole: 'ANALYST_ROLE',
          roles: ['SYSADMIN'],
          defaultWarehouse: 'COMPUTE_WH',
          defaultDatabase: 'SAMPLE_DB',
          defaultSchema: 'SALES',
          ...extra,
        },
      ],
    });
    main = await harness.open({ SNOWFLAKE_PASSWORD: PASSWORD }, { max: 4 });
  });

  after(async function () {
    this.timeout(30_000);
    for (const c of clients.splice(0)) await c.close();
    await emu?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    emu = undefined;
    main = undefined;
  });

  return harness;
}

/** Awaits `promise` and returns the SmcpError it rejects with; fails the test if it resolves. */
export async function failure(promise: Promise<unknown>): Promise<SmcpError> {
  try {
    await promise;
  } catch (err) {
    expect(err, String(err)).to.be.instanceOf(SmcpError);
    return err as SmcpError;
  }
  throw new Error('expected an SmcpError');
}

/** Polls `client.stats()` until `check` holds (at most `timeoutMs`), then returns the stats. */
export async function settledStats(
  client: SnowflakeClient,
  check: (stats: PoolStats) => boolean,
  timeoutMs = 3000,
): Promise<PoolStats> {
  const deadline = Date.now() + timeoutMs;
  while (!check(client.stats()) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return client.stats();
}

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
