/**
 * Public option and user types of the emulator; re-exported by src/emulator/index.ts.
 */
import type { Engine } from '../engine-types.js';
import type { FaultControl } from './faults.js';

/**
 * One emulated Snowflake user and the credentials it accepts. Names are case-insensitive (stored
 * upper-case), as unquoted Snowflake user names are.
 */
export interface EmulatorUserSpec {
  name: string;
  password?: string;
  /** PEM public key (SPKI) for key-pair (SNOWFLAKE_JWT) login. */
  rsaPublicKey?: string;
  /** Second key, as Snowflake's RSA_PUBLIC_KEY_2 for rotation. */
  rsaPublicKey2?: string;
  /** Tokens accepted with AUTHENTICATOR=OAUTH. */
  oauthAccessTokens?: string[];
  /** Tokens accepted with AUTHENTICATOR=PROGRAMMATIC_ACCESS_TOKEN (and in place of the password). */
  programmaticAccessTokens?: string[];
  /** Role at login when the client names none (default PUBLIC). */
  defaultRole?: string;
  /** Roles granted besides defaultRole and PUBLIC. */
  roles?: string[];
  defaultWarehouse?: string;
  defaultDatabase?: string;
  defaultSchema?: string;
  /** A disabled user cannot log in (390101). */
  disabled?: boolean;
}

/** How to start an emulator; every field is optional. */
export interface EmulatorOptions {
  /** Interface to bind; default 127.0.0.1. Non-loopback addresses are refused unless allowRemote. */
  host?: string;
  /** Allow binding a non-loopback host. */
  allowRemote?: boolean;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Account name clients must use; default SMCPLOCAL. */
  account?: string;
  /** Users; default one user SMCP whose password is `password` or random. */
  users?: EmulatorUserSpec[];
  /** Password of the default user SMCP (ignored when `users` is given). */
  password?: string;
  /** Session token validity; default 3600. */
  sessionValiditySeconds?: number;
  /** Master token validity; default 14400. */
  masterValiditySeconds?: number;
  /** Load the sample databases into a default engine; default true. */
  sampleData?: boolean;
  /** Tables of a generated catalog (GEN_DB_01, …: metadata for SHOW and DESCRIBE). Default none. */
  catalogSize?: number;
  /** Engine to serve; default a new createEngine(). The emulator owns it and closes it on close(). */
  engine?: Engine;
  /** How long a synchronous request waits for its statement before answering "still running"; default 45 s. */
  queryWaitMs?: number;
  /**
   * How long a result stays readable by query id after its statement ended (from any session of
   * the same user, after logout too), unless the byte budgets evict it first; default 24 h, as
   * Snowflake keeps results.
   */
  resultLifetimeMs?: number;
  /** Bytes of result rows a default engine keeps in memory before spilling to disk; default 256 MiB. */
  resultMemoryBytes?: number;
  /** Bytes of result rows a default engine keeps in spill files before evicting the oldest; default 4 GiB. */
  resultDiskBytes?: number;
  /**
   * Directory under which a default engine creates its private spill directory
   * (`smcp-emulator-<pid>-<random>`, 0700, removed on close); default the system temp dir.
   */
  spillParentDir?: string;
  /** Big results a default engine produces from open DuckDB streams at once; default 16. */
  maxOpenStreams?: number;
}

/** A started emulator. */
export interface RunningEmulator {
  /** Base URL for the driver's accessUrl, e.g. http://127.0.0.1:PORT. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly account: string;
  /** The users as configured (including a generated password for the default user). */
  readonly users: readonly EmulatorUserSpec[];
  readonly engine: Engine;
  /** Registers (or replaces) a user; throws SmcpError CONFIG_INVALID on a bad key. */
  addUser(spec: EmulatorUserSpec): void;
  /**
   * Makes every session token expire now, so the next request renews through the master token.
   * With `{ master: true }` the master tokens expire too, so the driver must log in again.
   */
  expireSessions(options?: { master?: boolean }): void;
  /** Counters for tests and status: logins, token renewals, statements, chunk downloads. */
  stats(): EmulatorStats;
  /**
   * Fault injection for reliability tests (slow or failing queries and logins, dropped
   * connections). Off until set; `faults.clear()` turns everything off again.
   */
  readonly faults: FaultControl;
  /** Stops listening, ends sessions (closing their results), closes the engine. Idempotent. */
  close(): Promise<void>;
}

/** Counters kept by a running emulator. */
export interface EmulatorStats {
  logins: number;
  failedLogins: number;
  renewals: number;
  statements: number;
  chunkDownloads: number;
  activeSessions: number;
  /** Results kept for fetches by query id. */
  heldResults: number;
  /** Bytes those results keep in memory (encoded rows and bookkeeping). */
  resultMemoryBytes: number;
  /** Bytes of their rows in spill files. */
  resultDiskBytes: number;
}
