/**
 * A first-come-first-served gate in front of the driver's pool: at most `limit` callers hold a
 * slot (borrowing or holding a connection) at once, the rest wait in a queue that smcp owns. The
 * driver's pool (generic-pool) cannot withdraw a waiting request, so an aborted or timed-out wait
 * there would keep counting as pending and later take a connection nobody wants; here a waiter
 * that gives up leaves the queue at once and holds nothing.
 */

import { SmcpError } from '../errors.js';

interface Waiter {
  grant(): void;
  fail(err: SmcpError): void;
}

/** A counting semaphore with a bounded FIFO queue, abortable waits and a wait timeout. */
export class SlotGate {
  private held = 0;
  private readonly queue = new Set<Waiter>();
  private closedWith: SmcpError | undefined;

  /**
   * @param limit slots available at once (≥ 1)
   * @param maxWaiting callers allowed to queue; beyond it `take` fails at once with POOL_EXHAUSTED
   */
  constructor(
    readonly limit: number,
    readonly maxWaiting: number,
  ) {}

  /** Slots held now. */
  get inUse(): number {
    return this.held;
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.queue.size;
  }

  /**
   * Resolves once the caller holds a slot (give it back with `give()` exactly once). Rejects,
   * holding nothing, with QUERY_CANCELLED when `signal` aborts, POOL_EXHAUSTED after `timeoutMs`
   * or when the queue is full, and with the close error after `close()`.
   */
  take(signal: AbortSignal | undefined, timeoutMs: number): Promise<void> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    if (signal?.aborted) {
      return Promise.reject(new SmcpError('QUERY_CANCELLED', 'the request was cancelled before it started'));
    }
    if (this.held < this.limit && this.queue.size === 0) {
      this.held++;
      return Promise.resolve();
    }
    if (this.queue.size >= this.maxWaiting) {
      return Promise.reject(
        new SmcpError(
          'POOL_EXHAUSTED',
          `too many requests (${this.queue.size}) are waiting for a connection`,
        ),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const settle = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.queue.delete(waiter);
      };
      const waiter: Waiter = {
        grant: () => {
          settle();
          resolve();
        },
        fail: (err) => {
          settle();
          reject(err);
        },
      };
      const onAbort = (): void =>
        waiter.fail(
          new SmcpError('QUERY_CANCELLED', 'the request was cancelled while waiting for a connection'),
        );
      const timer = setTimeout(
        () => waiter.fail(new SmcpError('POOL_EXHAUSTED', 'no Snowflake connection became free in time')),
        timeoutMs,
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.add(waiter);
    });
  }

  /** Returns a slot; the longest waiter (if any) gets it. */
  give(): void {
    if (this.held > 0) this.held--;
    for (const waiter of this.queue) {
      if (this.held >= this.limit) break;
      this.held++;
      waiter.grant();
    }
  }

  /** Fails every waiter and every later `take` with `err`. Slots held stay held until given back. */
  close(err: SmcpError): void {
    this.closedWith ??= err;
    for (const waiter of [...this.queue]) waiter.fail(err);
  }
}
