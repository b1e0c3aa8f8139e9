/**
 * Settings homes for daemons serving named connections to a test emulator: a temp directory with a
 * 0700 Snowflake home holding a 0600 connections.toml, and a 0700 config home for smcp's config.toml.
 */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { ALICE_PASSWORD } from '../emulator/server/harness.js';

/** A connections.toml table reaching `emulator` as alice under `name` (at `port`, default its own). */
export function emulatorAccount(emulator: RunningEmulator, name: string, port = emulator.port): string {
  return (
    `[${name}]\naccount = "${emulator.account}"\nuser = "alice"\npassword = "${ALICE_PASSWORD}"\n` +
    `host = "127.0.0.1"\nport = ${port}\nprotocol = "http"\nwarehouse = "COMPUTE_WH"\n`
  );
}

/** The homes made by connectionHomes; the caller removes `dir`. */
export interface ConnectionHomes {
  readonly dir: string;
  readonly snowflakeHome: string;
  readonly configHome: string;
  /** smcp's config.toml in `configHome` (not written yet). */
  readonly configFile: string;
}

/** Makes the homes under a new temp directory named after `prefix`, with `connectionsToml` written. */
export function connectionHomes(prefix: string, connectionsToml: string): ConnectionHomes {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const snowflakeHome = join(dir, 'snowflake');
  const configHome = join(dir, 'config');
  mkdirSync(snowflakeHome, { mode: 0o700 });
  mkdirSync(join(configHome, 'smcp'), { recursive: true, mode: 0o700 });
  const connections = join(snowflakeHome, 'connections.toml');
  writeFileSync(connections, connectionsToml);
  chmodSync(connections, 0o600);
  return { dir, snowflakeHome, configHome, configFile: join(configHome, 'smcp', 'config.toml') };
}
