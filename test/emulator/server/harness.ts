/**
 * Test helper: starts an emulator on an ephemeral loopback port with known users and the real
 * engine (no sample data, for speed), and raw HTTP helpers for protocol-level checks.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../../src/emulator/index.js';

/** Password of the test user ALICE. */
export const ALICE_PASSWORD = 'alice-secret-1';
/** OAuth access token of ALICE. */
export const ALICE_OAUTH = 'oauth-token-alice';
/** Programmatic access token of ALICE. */
export const ALICE_PAT = 'pat-token-alice';

/** Key files of one generated RSA key pair. */
export interface KeyFiles {
  publicPem: string;
  plainPath: string;
  encryptedPath: string;
  passphrase: string;
}

/** A temp dir with key files of two key pairs (the second is not registered anywhere). */
export interface KeyDir {
  dir: string;
  registered: KeyFiles;
  stranger: KeyFiles;
  remove(): void;
}

function keyFiles(dir: string, name: string): KeyFiles {
  const passphrase = `pass-${name}`;
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const plainPath = join(dir, `${name}.p8`);
  const encryptedPath = join(dir, `${name}-enc.p8`);
  writeFileSync(plainPath, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  writeFileSync(
    encryptedPath,
    privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase }),
    { mode: 0o600 },
  );
  return {
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    plainPath,
    encryptedPath,
    passphrase,
  };
}

/** Generates key pairs into a fresh temp dir. */
export function makeKeys(): KeyDir {
  const dir = mkdtempSync(join(tmpdir(), 'smcp-emu-keys-'));
  return {
    dir,
    registered: keyFiles(dir, 'registered'),
    stranger: keyFiles(dir, 'stranger'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Starts an emulator with users ALICE (all credentials), BOB (disabled) and the real engine. */
export async function startTestEmulator(
  options: EmulatorOptions = {},
  keys?: KeyDir,
): Promise<RunningEmulator> {
  return startEmulator({
    sampleData: false,
    users: [
      {
        name: 'alice',
        password: ALICE_PASSWORD,
        oauthAccessTokens: [ALICE_OAUTH],
        programmaticAccessTokens: [ALICE_PAT],
        ...(keys ? { rsaPublicKey: keys.registered.publicPem } : {}),
        defaultRole: 'ANALYST',
        roles: ['REPORTER'],
        defaultWarehouse: 'COMPUTE_WH',
      },
      { name: 'BOB', password: 'bob-secret', disabled: true },
    ],
    ...options,
  });
}

/** A raw HTTP answer. */
export interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
  json: Record<string, unknown> | undefined;
}

/** Sends a raw request to the emulator (fetch, no driver). */
export async function raw(
  emulator: RunningEmulator,
  method: string,
  path: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  const res = await fetch(emulator.url + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, json };
}

/** A parameter the emulator sends back at login and with answers (TIMEZONE, ...). */
export interface LoginParameter {
  name: string;
  value: unknown;
}

/** What a raw login of ALICE may carry besides her name and password. */
export interface RawLoginOptions {
  /** The login request's query string (databaseName, schemaName, ...). */
  query?: Record<string, string>;
  /** More fields of the body's `data` (SESSION_PARAMETERS, CLIENT_APP_ID, ...). */
  data?: Record<string, unknown>;
}

/** A session opened over raw HTTP: its token and the parameters the login answer carried. */
export interface RawLogin {
  token: string;
  parameters: LoginParameter[];
}

/**
 * Logs ALICE in with a raw POST to /session/v1/login-request (no driver), for checks of the wire
 * answers themselves. Rejects, quoting the answer, when the login does not succeed.
 */
export async function rawLogin(emulator: RunningEmulator, options: RawLoginOptions = {}): Promise<RawLogin> {
  const search = options.query ? `?${new URLSearchParams(options.query).toString()}` : '';
  const answer = await raw(
    emulator,
    'POST',
    `/session/v1/login-request${search}`,
    JSON.stringify({
      data: {
        ACCOUNT_NAME: emulator.account,
        LOGIN_NAME: 'alice',
        PASSWORD: ALICE_PASSWORD,
        ...options.data,
      },
    }),
  );
  const data = answer.json?.data as Partial<RawLogin> | undefined;
  if (answer.json?.success !== true || typeof data?.token !== 'string') {
    throw new Error(`raw login failed: ${answer.text}`);
  }
  return { token: data.token, parameters: data.parameters ?? [] };
}

/** The Authorization header of requests made in the session of `token`. */
export function sessionHeader(token: string): Record<string, string> {
  return { Authorization: `Snowflake Token="${token}"` };
}

/**
 * Posts one query-request in the session of `token` (body: sqlText, bindings, parameters,
 * describeOnly, ...; `search`: the query string, e.g. `?requestId=r-1`) and returns the raw answer.
 */
export async function rawQueryRequest(
  emulator: RunningEmulator,
  token: string,
  body: Record<string, unknown>,
  search = '',
): Promise<RawAnswer> {
  return raw(
    emulator,
    'POST',
    `/queries/v1/query-request${search}`,
    JSON.stringify(body),
    sessionHeader(token),
  );
}
