/**
 * A fair gate in front of the driver's pool: at most `limit` callers hold a slot (borrowing or
 * holding a connection) at once, and at most `perClient` of them belong to one client, so one
 * client's long statements can never take every connection. Waiters queue per client; a freed
 * slot goes to the waiting client that holds the fewest (round-robin among equals; first come,
 * first served within a client). The
 * driver's pool (generic-pool) cannot withdraw a waiting request, so an aborted or timed-out wait
 * there would keep counting as pending and later take a connection nobody wants; here a waiter
 * that gives up leaves the queue at once and holds nothing.
 */

import { SmcpError } from '../errors.js';

interface Waiter {
  grant(): void;
  fail(err: SmcpError): void;
}

/** A counting semaphore with per-client shares, bounded fair queues, abortable waits and a wait timeout. */
export class SlotGate {
  private held = 0;
  private readonly heldBy = new Map<string, number>();
  /** Waiters per client; the Map's order is the round-robin order (a served client moves last). */
  private readonly queues = new Map<string, Set<Waiter>>();
  private queued = 0;
  private closedWith: SmcpError | undefined;

  /**
   * @param limit slots available at once (≥ 1)
   * @param maxWaiting callers allowed to queue; beyond it `take` fails at once with POOL_EXHAUSTED
   * @param perClient slots one client may hold at once (default: all of them)
   */
  constructor(
    readonly limit: number,
    readonly maxWaiting: number,
    readonly perClient: number = limit,
  ) {}

  /** Slots held now. */
  get inUse(): number {
    return this.held;
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.queued;
  }

  /**
   * Resolves once the caller holds a slot for `client` (give it back with `give(client)` exactly
   * once). Rejects, holding nothing, with QUERY_CANCELLED when `signal` aborts, POOL_EXHAUSTED
   * after `timeoutMs` or when the queue is full, and with the close error after `close()`.
   */
  take(signal: AbortSignal | undefined, timeoutMs: number, client = ''): Promise<void> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    if (signal?.aborted) {
      return Promise.reject(new SmcpError('QUERY_CANCELLED', 'the request was cancelled before it started'));
    }
    // Straight in only when no one who could use a slot is already waiting for one.
    if (this.held < this.limit && this.mayHold(client) && !this.someoneEligibleWaits()) {
      this.hold(client);
      return Promise.resolve();
    }
    if (this.queued >= this.maxWaiting) {
      return Promise.reject(
        new SmcpError('POOL_EXHAUSTED', `too many requests (${this.queued}) are waiting for a connection`),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const settle = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.dequeue(client, waiter);
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
      let queue = this.queues.get(client);
      if (!queue) this.queues.set(client, (queue = new Set()));
      queue.add(waiter);
      this.queued++;
    });
  }

  /** Returns a slot `client` held; waiting clients get free slots in turn. */
  give(client = ''): void {
    if (this.held > 0) this.held--;
    const mine = (this.heldBy.get(client) ?? 1) - 1;
    if (mine <= 0) this.heldBy.delete(client);
    else this.heldBy.set(client, mine);
    this.dispatch();
  }

  /** Fails every waiter and every later `take` with `err`. Slots held stay held until given back. */
  close(err: SmcpError): void {
    this.closedWith ??= err;
    for (const queue of [...this.queues.values()]) for (const waiter of [...queue]) waiter.fail(err);
  }

  private mayHold(client: string): boolean {
    return (this.heldBy.get(client) ?? 0) < this.perClient;
  }

  private someoneEligibleWaits(): boolean {
    for (const client of this.queues.keys()) if (this.mayHold(client)) return true;
    return false;
  }

  private hold(client: string): void {
    this.held++;
    this.heldBy.set(client, (this.heldBy.get(client) ?? 0) + 1);
  }

  /**
   * Grants free slots to the waiting clients still under their share: the one holding the fewest
   * slots first, ties in round-robin order.
   */
  private dispatch(): void {
    while (this.held < this.limit) {
      let next: string | undefined;
      let fewest = Number.POSITIVE_INFINITY;
      for (const client of this.queues.keys()) {
        const held = this.heldBy.get(client) ?? 0;
        if (held < this.perClient && held < fewest) {
          next = client;
          fewest = held;
        }
      }
      if (next === undefined) return;
      const queue = this.queues.get(next)!;
      const waiter = queue.values().next().value!;
      this.hold(next);
      waiter.grant(); // leaves its queue (settle → dequeue)
      // Served: to the back of the line, if it still waits for more.
      const rest = this.queues.get(next);
      if (rest) {
        this.queues.delete(next);
        this.queues.set(next, rest);
      }
    }
  }

  private dequeue(client: string, waiter: Waiter): void {
    const queue = this.queues.get(client);
    if (!queue?.delete(waiter)) return;
    this.queued--;
    if (queue.size === 0) this.queues.delete(client);
  }
}
