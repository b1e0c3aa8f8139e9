/**
 * Draining: stop taking new sessions and requests (HTTP 503 with Retry-After, /readyz not ready,
 * WebSocket upgrades refused), let calls in flight finish until a deadline, then cancel what still
 * runs (in Snowflake, through each call's AbortSignal) and end every session with a close code
 * that says why. One drain per daemon: later requests join the running one.
 */
import type { DrainOutcome } from '../admin/protocol.js';
import type { Logger } from '../logger.js';
import { Deadline } from '../snowflake/deadline.js';
import type { Runtime } from './runtime.js';

/** How long cancelled calls get to wind down before sessions are closed anyway. */
const CANCEL_GRACE_MS = 5000;

/** Drives the drain of one runtime. */
export class DrainController {
  private running: Promise<DrainOutcome> | undefined;
  private outcome: DrainOutcome | null = null;

  constructor(
    private readonly runtime: Runtime,
    private readonly logger: Logger,
  ) {}

  /** True once a drain has begun (the daemon takes no new work). */
  get started(): boolean {
    return this.running !== undefined;
  }

  /** True once the drain has finished. */
  get finished(): boolean {
    return this.outcome !== null && this.outcome.finishedAt !== null;
  }

  /** The drain so far (null before one starts). */
  get last(): DrainOutcome | null {
    return this.outcome;
  }

  /**
   * Drains with `timeoutSeconds` for in-flight calls (0 cancels them at once); resolves when every
   * call has ended and every session is closed. A second call while one runs joins it; a call with
   * a shorter deadline cuts it short.
   */
  drain(timeoutSeconds: number): Promise<DrainOutcome> {
    if (this.running) {
      this.shorten(timeoutSeconds);
      return this.running;
    }
    this.running = this.run(timeoutSeconds);
    return this.running;
  }

  private cutShort: ((value: void) => void) | undefined;
  private deadline: Deadline | undefined;

  private shorten(timeoutSeconds: number): void {
    const sooner = Deadline.afterSeconds(timeoutSeconds);
    if (this.deadline && sooner.min(this.deadline) !== sooner) return;
    this.deadline = sooner;
    this.runtime.tracker.setDrainDeadline(sooner);
    setTimeout(() => this.cutShort?.(), sooner.remainingMs()).unref();
  }

  private async run(timeoutSeconds: number): Promise<DrainOutcome> {
    const { runtime, logger } = this;
    const startedAt = new Date().toISOString();
    const inFlightAtStart = runtime.tracker.activeCount;
    this.outcome = { startedAt, finishedAt: null, timeoutSeconds, inFlightAtStart, cancelled: 0 };
    logger.info('draining', { timeoutSeconds, inFlight: inFlightAtStart });
    runtime.drain();
    this.deadline = Deadline.afterSeconds(timeoutSeconds);
    // Calls that start from now on (a session's message already in the pipe) share the deadline.
    runtime.tracker.setDrainDeadline(this.deadline);
    const deadlinePassed = new Promise<void>((resolve) => {
      this.cutShort = resolve;
      setTimeout(resolve, this.deadline?.remainingMs()).unref();
    });
    await Promise.race([runtime.tracker.whenIdle(), deadlinePassed]);
    let cancelled = 0;
    if (runtime.tracker.activeCount > 0) {
      cancelled = runtime.tracker.cancelAll('the server is draining: the deadline passed');
      logger.warn('drain deadline passed: cancelling calls still running', { cancelled });
      const grace = new Promise<void>((resolve) => setTimeout(resolve, CANCEL_GRACE_MS).unref());
      await Promise.race([runtime.tracker.whenIdle(), grace]);
    }
    await runtime.http.closeSessions();
    this.outcome = { ...this.outcome, finishedAt: new Date().toISOString(), cancelled };
    logger.info('drained', { inFlightAtStart, cancelled });
    return this.outcome;
  }
}
