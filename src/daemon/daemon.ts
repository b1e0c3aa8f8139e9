/**
 * The daemon: the serving runtime plus what makes it a well-behaved background process — an
 * exclusive pidfile, the admin API on a 0600 Unix socket, its run history in the state file,
 * signals (SIGTERM/SIGINT drain and exit, a second one forces, SIGHUP reloads), pm2 readiness,
 * and a drain that loses no call in flight. `smcp start` runs it attached (`--foreground`, for pm2
 * and systemd) or detached.
 */
import type { ReloadAnswer, ShutdownRequest } from '../admin/protocol.js';
import { startAdminServer } from '../admin/server.js';
import type { AdminServer } from '../admin/server.js';
import { ensureRuntimeDir } from '../config/paths.js';
import type { DaemonFiles } from '../config/paths.js';
import type { Logger } from '../logger.js';
import { openStateStore } from '../state/state-store.js';
import type { StateStore } from '../state/state-store.js';
import { adminRoutes } from './admin-routes.js';
import { DrainController } from './drain.js';
import { removeEndpointFile, writeEndpointFile } from './endpoint-file.js';
import { acquirePidfile } from './pidfile.js';
import { inConfigFile, reloadAnswer } from './reload-request.js';
import type { ReloadRequest } from './reload-request.js';
import { startRuntime } from './runtime.js';
import type { Runtime, RuntimeOptions } from './runtime.js';

/** What runDaemon needs. */
export interface DaemonOptions extends RuntimeOptions {
  readonly files: DaemonFiles;
  readonly logger: Logger;
  readonly version: string;
  /** The `smcp start` arguments, reported by status and reused by `smcp restart`. */
  readonly args: readonly string[];
  /** Seconds in-flight calls may finish after a stop signal (the default for stop and drain). */
  readonly drainTimeoutSeconds: number;
  /**
   * Reads the connection list, every connection's settings, config.toml's settings and SQL tools
   * again (SIGHUP, `smcp reload`). Throws SmcpError naming the file, field or connection when they
   * cannot be served.
   */
  readonly resolveAgain: () => ReloadRequest;
}

/** A daemon that is up: listening on TCP and on its admin socket. */
export interface RunningDaemon {
  readonly runtime: Runtime;
  /** Resolves with the exit code once the daemon has stopped and cleaned up. */
  readonly stopped: Promise<number>;
  /** Drains (up to `timeoutSeconds`, 0 = cancel at once) and stops. */
  stop(request: ShutdownRequest, reason: string): Promise<number>;
}

/**
 * Starts the daemon. Throws SmcpError — DAEMON_RUNNING when another one runs, CONFIG_INVALID for
 * unusable dirs or sockets, whatever the runtime throws — after undoing what it had started.
 */
export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  const { files, logger } = options;
  ensureRuntimeDir(dirOf(files.pidfile));
  const pidfile = acquirePidfile(files.pidfile);
  let state: StateStore | undefined;
  let runtime: Runtime | undefined;
  let admin: AdminServer | undefined;
  try {
    state = await openStateStore(files.stateFile, logger);
    await state.markCrashedRuns(process.pid);
    runtime = await startRuntime(options).catch((err: unknown) => {
      throw inConfigFile(err, files.configFile);
    });
    const drain = new DrainController(runtime, logger);
    const lifecycle = lifecycleOf(
      options,
      runtime,
      drain,
      state,
      () => pidfile.release(),
      () => admin,
    );
    admin = await startAdminServer({
      socketPath: files.socket,
      routes: adminRoutes({
        ...options,
        runtime,
        drain,
        stop: lifecycle.stop,
        reload: lifecycle.reload,
        history: () => state?.runs(50) ?? [],
      }),
      logger,
    });
    await state.recordStart({
      pid: process.pid,
      version: options.version,
      startedAt: new Date(runtime.startedAt).toISOString(),
      host: runtime.http.host,
      port: runtime.http.port,
      backend: runtime.dataPath.backend,
      connection: runtime.dataPath.connection.connectionName.value,
    });
    lifecycle.publish();
    logger.info('daemon ready', {
      pid: process.pid,
      url: `${runtime.http.url}/mcp`,
      socket: files.socket,
      backend: runtime.dataPath.backend,
    });
    return { runtime, stopped: lifecycle.stopped, stop: lifecycle.stop };
  } catch (err) {
    removeEndpointFile(files.endpoint);
    await admin?.close();
    await runtime?.close();
    pidfile.release();
    throw err;
  }
}

/** Loopback address a local process reaches the listener on, or undefined for a specific other address. */
function loopbackHost(host: string): string | undefined {
  if (host === '127.0.0.1' || host === 'localhost' || host === '0.0.0.0') return '127.0.0.1';
  if (host === '::1' || host === '::' || host === '[::1]') return '[::1]';
  return undefined;
}

/**
 * Writes the endpoint file `smcp stdio` bridges through (again after a reload that changed the
 * default connection, which decides whose `smcp stdio --connection` is relayed). A daemon bound to
 * one non-loopback address publishes none: bridges talk to 127.0.0.1 only, so their clients are
 * served in-process instead.
 */
function publishEndpoint(
  files: DaemonFiles,
  runtime: Runtime,
  token: string | undefined,
  logger: Logger,
): void {
  const host = loopbackHost(runtime.http.host);
  if (!host) return;
  try {
    writeEndpointFile(files.endpoint, {
      pid: process.pid,
      mcp: `http://${host}:${runtime.http.port}/mcp`,
      connection: runtime.dataPath.connection.connectionName.value,
      ...(token ? { token } : {}),
    });
  } catch (err) {
    logger.warn('could not write the endpoint file: smcp stdio serves in-process', { error: String(err) });
  }
}

function dirOf(file: string): string {
  return file.slice(0, file.lastIndexOf('/')) || '/';
}

/** The stop, reload and signal handling of one running daemon. */
function lifecycleOf(
  options: DaemonOptions,
  runtime: Runtime,
  drain: DrainController,
  state: StateStore,
  releasePidfile: () => void,
  admin: () => AdminServer | undefined,
): {
  stopped: Promise<number>;
  stop: (request: ShutdownRequest, reason: string) => Promise<number>;
  reload: () => Promise<ReloadAnswer>;
  /** Writes the endpoint file for the connection served now. */
  publish: () => void;
} {
  const { logger } = options;
  let resolveStopped: (code: number) => void = () => {};
  const stopped = new Promise<number>((resolve) => (resolveStopped = resolve));
  let stopping: Promise<number> | undefined;

  const stop = (request: ShutdownRequest, reason: string): Promise<number> => {
    const timeout = request.force ? 0 : (request.timeoutSeconds ?? options.drainTimeoutSeconds);
    if (stopping) {
      // A second stop request while draining: honour a shorter deadline.
      void drain.drain(timeout);
      return stopping;
    }
    stopping = (async () => {
      logger.info('stopping', { reason, timeoutSeconds: timeout });
      const outcome = await drain.drain(timeout);
      await admin()?.close();
      await runtime.close();
      await state
        .recordStop(process.pid, { reason, exitCode: 0 })
        .catch((err: unknown) => logger.warn('could not record the stop', { error: String(err) }));
      removeSignalHandlers();
      removeEndpointFile(options.files.endpoint);
      releasePidfile();
      logger.info('stopped', { reason, cancelled: outcome.cancelled });
      resolveStopped(0);
      return 0;
    })();
    return stopping;
  };

  // The default connection the endpoint file names now.
  let published: string | undefined;
  const publish = (): void => {
    published = runtime.dataPath.connection.connectionName.value;
    publishEndpoint(options.files, runtime, options.http.token, logger);
  };

  const reloadNow = async (): Promise<ReloadAnswer> => {
    let answer: ReloadAnswer;
    try {
      const request = options.resolveAgain();
      answer = reloadAnswer(await runtime.reload(request, options.drainTimeoutSeconds * 1000), request);
      request.applied?.();
    } catch (err) {
      const named = inConfigFile(err, options.files.configFile);
      logger.error('reload failed; the previous connections, settings and tools keep serving', {
        error: String(named),
      });
      throw named;
    }
    if (published !== undefined && published !== answer.connection) publish();
    logger.info('reloaded', {
      changed: answer.changed,
      backend: answer.backend,
      connection: answer.connection,
      connections: answer.connections.map((c) => `${c.name}:${c.change}`).join(','),
      settings: answer.settings.join(','),
      needsRestart: answer.needsRestart.join(','),
    });
    return answer;
  };
  // One reload at a time (SIGHUP and `smcp reload` may come together): each plans against what
  // the one before it put in place.
  let reloading: Promise<unknown> = Promise.resolve();
  const reload = (): Promise<ReloadAnswer> => {
    const run = reloading.then(reloadNow, reloadNow);
    reloading = run.catch(() => undefined);
    return run;
  };

  let signalsSeen = 0;
  const onStopSignal = (signal: NodeJS.Signals): void => {
    signalsSeen++;
    if (signalsSeen === 1) {
      void stop({}, `signal:${signal}`);
      return;
    }
    // A second signal: the operator does not want to wait for the drain.
    logger.warn('second stop signal: cancelling calls in flight and exiting now', { signal });
    void stop({ force: true }, `signal:${signal}`);
    setTimeout(() => {
      removeEndpointFile(options.files.endpoint);
      releasePidfile();
      process.exit(1);
    }, 2000).unref();
  };
  const onHangup = (): void => {
    // Already logged by reload.
    reload().catch(() => undefined);
  };
  // pm2's shutdown_with_message sends this instead of a signal.
  const onMessage = (message: unknown): void => {
    if (message === 'shutdown') onStopSignal('SIGTERM');
  };
  process.on('SIGTERM', onStopSignal);
  process.on('SIGINT', onStopSignal);
  process.on('SIGHUP', onHangup);
  process.on('message', onMessage);
  const removeSignalHandlers = (): void => {
    process.off('SIGTERM', onStopSignal);
    process.off('SIGINT', onStopSignal);
    process.off('SIGHUP', onHangup);
    process.off('message', onMessage);
  };
  return { stopped, stop, reload, publish };
}
