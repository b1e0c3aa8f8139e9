// pm2 ecosystem for smcp in production: `npx pm2 start ecosystem.config.js --env production`.
// pm2 loads this file with require(); in a "type": "module" package only a named `apps` export works
// (module.exports and export default do not).
//
// Read when pm2 loads the file (start, or reload/restart naming this file):
//   SMCP_PORT, SMCP_HOST  where smcp listens (default 8000 on 127.0.0.1)
//   SMCP_PM2_LOG_DIR      where pm2 writes smcp's stdout/stderr (default: $PM2_HOME/logs)
// pm2 reads this file as plain JavaScript, outside the build, so the port and host fallbacks below
// repeat the defaults of --port and --host declared in smcp's option table
// (src/config/options/network.ts); test/config/option-table.test.ts keeps them equal.
import { homedir } from 'node:os';
import process from 'node:process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const port = process.env.SMCP_PORT || '8000';
const host = process.env.SMCP_HOST || '127.0.0.1';
const logDir = process.env.SMCP_PM2_LOG_DIR || join(process.env.PM2_HOME || join(homedir(), '.pm2'), 'logs');

export const apps = [
  {
    name: 'smcp',
    cwd: root,
    script: join(root, 'bin', 'smcp'),
    // --log-split: info lines to stdout (pm2's out log), warnings and errors to stderr (its error log).
    args: ['start', '--foreground', '--log-split', '--port', port, '--host', host],
    // The node running the pm2 command runs smcp too, not whichever `node` the pm2 daemon finds first.
    interpreter: process.execPath,
    // One process: one pidfile, one admin socket, one state writer. Scale out with --stateless instances.
    exec_mode: 'fork',
    instances: 1,
    autorestart: true,
    // Exit 2 is a usage or settings error that a restart cannot fix; exit 0 is a stop smcp was asked
    // for (SIGINT/SIGTERM from outside pm2, or the admin API). Anything else is a crash: restart.
    stop_exit_codes: [0, 2],
    // smcp sends 'ready' once it listens; pm2 waits for it before calling the app online.
    wait_ready: true,
    listen_timeout: 15000,
    // pm2 sends SIGINT, then SIGKILL after kill_timeout: longer than smcp's 30 s drain deadline
    // (start --drain-timeout), so in-flight calls finish first.
    kill_timeout: 35000,
    // One file per stream without pm2's "-<id>" suffix. No `time` prefix: smcp's log lines are
    // JSON with their own "time" field, and a prefix would break JSON-lines readers.
    merge_logs: true,
    out_file: join(logDir, 'smcp-out.log'),
    error_file: join(logDir, 'smcp-error.log'),
    env: {
      NODE_ENV: 'development',
    },
    env_production: {
      NODE_ENV: 'production',
    },
  },
];
