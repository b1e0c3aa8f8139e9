/**
 * The daemon's logger: JSON lines to the rotating log file (so `smcp logs` works however the daemon
 * was started) and, when attached to a terminal or a supervisor, to stderr as well — or, with
 * `split`, debug and info lines to stdout and warnings and errors to stderr, which supervisors like
 * pm2 and systemd file apart (pm2's out and error logs).
 */
import { createJsonLogger, LOG_LEVELS } from '../daemon/json-logger.js';
import type { LogLevel } from '../daemon/json-logger.js';
import { openRotatingLog } from '../daemon/log-file.js';
import { SmcpError } from '../errors.js';
import type { Logger } from '../logger.js';

/** A logger and the file behind it. */
export interface DaemonLog {
  readonly logger: Logger;
  /** Closes the log file. */
  close(): void;
}

/** Opens `file` and builds the logger at `level`; throws USAGE for a bad level, CONFIG_INVALID for the file. */
export function foregroundLogger(file: string, level: string, alsoStderr: boolean, split = false): DaemonLog {
  if (!LOG_LEVELS.includes(level as LogLevel)) {
    throw new SmcpError('USAGE', `--log-level must be one of ${LOG_LEVELS.join(', ')}, got ${level}`, {
      field: '--log-level',
    });
  }
  const log = openRotatingLog({ file });
  const write = alsoStderr
    ? (line: string, lineLevel: LogLevel): void => {
        log.write(line);
        const quiet = lineLevel === 'debug' || lineLevel === 'info';
        (split && quiet ? process.stdout : process.stderr).write(line);
      }
    : (line: string): void => log.write(line);
  return { logger: createJsonLogger(write, level as LogLevel), close: () => log.close() };
}
