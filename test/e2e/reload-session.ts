/**
 * What the e2e reload tests share: a daemon serving a test emulator's named connections (through
 * connections.toml and smcp's config.toml in temp homes), one real MCP SDK client whose session
 * stays open across every reload and counts `notifications/tools/list_changed`, and `smcp reload`.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { expect } from 'chai';
import type { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { startTestEmulator } from '../emulator/server/harness.js';
import { runSmcp } from '../helpers/cli.js';
import { connectionHomes } from './connection-homes.js';
import type { E2eServer } from './helpers.js';
import { connectHttp, startE2eServer } from './helpers.js';

/** The running daemon, its client session and how to change and reload its config.toml. */
export interface ReloadSession {
  readonly emulator: RunningEmulator;
  readonly server: E2eServer;
  readonly client: Client;
  readonly transport: StreamableHTTPClientTransport;
  /** The session id at start: every reload must keep it. */
  readonly sessionId: string;
  /** The daemon's environment, its settings homes included (for `smcp` commands and paths). */
  readonly env: NodeJS.ProcessEnv;
  /** How many `notifications/tools/list_changed` the session has received. */
  listChanged(): number;
  /** Writes smcp's config.toml (0600). */
  writeConfig(text: string): void;
  /** Runs `smcp reload` (with `--json` when asked). */
  reload(json?: boolean): ReturnType<typeof runSmcp>;
  /** Closes the client, stops the daemon and the emulator, removes the homes. */
  close(): Promise<void>;
}

/**
 * Starts an emulator, writes `accounts(emulator)` as connections.toml and `config` as config.toml
 * under a temp directory named after `prefix`, starts the daemon and opens a session as `clientName`.
 */
export async function openReloadSession(
  prefix: string,
  accounts: (emulator: RunningEmulator) => string,
  config: string,
  clientName: string,
): Promise<ReloadSession> {
  const emulator = await startTestEmulator();
  const homes = connectionHomes(prefix, accounts(emulator));
  const writeConfig = (text: string): void => writeFileSync(homes.configFile, text, { mode: 0o600 });
  writeConfig(config);
  const extra = { SNOWFLAKE_HOME: homes.snowflakeHome, XDG_CONFIG_HOME: homes.configHome };
  const server = await startE2eServer([], 60_000, extra);
  const env = { ...server.home.env, ...extra };
  const { client, transport } = await connectHttp(server.base, clientName);
  let listChanged = 0;
  client.setNotificationHandler('notifications/tools/list_changed', () => {
    listChanged++;
  });
  const sessionId = transport.sessionId;
  expect(sessionId).to.be.a('string');
  return {
    emulator,
    server,
    client,
    transport,
    sessionId: sessionId!,
    env,
    listChanged: () => listChanged,
    writeConfig,
    reload: (json = false) => runSmcp(['reload', ...(json ? ['--json'] : [])], env, 60_000),
    close: async () => {
      await client.close();
      await server.stop();
      await emulator.close();
      rmSync(homes.dir, { recursive: true, force: true });
    },
  };
}
