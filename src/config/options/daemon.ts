/** The option table's Daemon group: how the daemon runs, logs and stops. */
import { z } from 'zod';
import type { OptionSpec } from './spec.js';

/** The commands that start a daemon. */
export const DAEMON_COMMANDS = ['start', 'restart'] as const;

/** Daemon options, in display order. */
export const DAEMON_OPTIONS = [
  {
    key: 'foreground',
    type: 'boolean',
    group: 'Daemon',
    commands: DAEMON_COMMANDS,
    default: false,
    help: 'run attached to the terminal (for pm2, systemd)',
    doc: 'Run attached (see `smcp start`).',
  },
  {
    // The background launcher starts the daemon with it: no terminal of its own to log to.
    key: 'daemonized',
    type: 'boolean',
    group: 'Daemon',
    commands: DAEMON_COMMANDS,
    default: false,
    hidden: true,
    help: 'started by smcp start in the background',
  },
  {
    key: 'log-level',
    type: 'string',
    group: 'Daemon',
    commands: ['start', 'restart', 'stdio'],
    metavar: 'L',
    default: 'info',
    perCommand: { stdio: { default: 'warn', help: 'stderr log level: debug, info, warn or error' } },
    help: 'log level: debug, info, warn or error',
    doc: 'Log level: debug, info, warn or error.',
    config: {
      expected: 'one of "debug", "info", "warn", "error"',
      schema: z.enum(['debug', 'info', 'warn', 'error']),
    },
  },
  {
    key: 'daemon',
    type: 'boolean',
    group: 'Daemon',
    commands: ['stdio'],
    default: true,
    help: 'relay to the running daemon when there is one (--no-daemon: always serve in-process)',
    doc:
      'When a daemon runs for the same user and settings (as `smcp status` finds it), `smcp stdio` ' +
      'relays its client to the daemon over loopback HTTP, so every desktop client shares its pool, ' +
      'guard, limits, status and log; with no daemon it serves in-process. `--no-daemon` always ' +
      'serves in-process, and so do flags that choose what to serve (a `--connection` other than ' +
      "the daemon's, a limit).",
  },
  {
    key: 'log-split',
    type: 'boolean',
    group: 'Daemon',
    commands: DAEMON_COMMANDS,
    default: false,
    help: 'with --foreground: info lines to stdout, warnings and errors to stderr (pm2, systemd)',
    doc:
      'With `--foreground`: debug and info lines go to stdout, warnings and errors to stderr, so ' +
      'pm2 and systemd file them apart (the ecosystem file sets it). Without it every line goes to ' +
      'stderr.',
  },
  {
    key: 'drain-timeout',
    type: 'number',
    group: 'Daemon',
    commands: DAEMON_COMMANDS,
    metavar: 'S',
    default: 30,
    help: 'seconds in-flight calls may finish when the daemon stops',
    doc:
      'Seconds calls in flight may finish when the daemon stops or drains. Under pm2, ' +
      '`kill_timeout` must stay above it.',
    config: { expected: 'a number of seconds, 0 or more', schema: z.number().min(0) },
  },
  {
    key: 'wait-timeout',
    type: 'number',
    group: 'Daemon',
    commands: DAEMON_COMMANDS,
    metavar: 'S',
    default: 30,
    help: 'seconds to wait for a background daemon to become ready',
    doc: 'Seconds `smcp start` waits for the background daemon to become ready.',
  },
] as const satisfies readonly OptionSpec[];
