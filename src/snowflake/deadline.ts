/**
 * The one time budget of a call: computed once when the call arrives (its timeout argument, the
 * server's ceiling, the drain deadline) and carried down, so every step — waiting for a pooled
 * connection, session setup and USE, the statement, a retry — gets only the time that remains,
 * instead of each step starting its own full timeout.
 */

/** Grace past a statement's own time limit before smcp stops waiting for Snowflake to enforce it. */
const ENFORCEMENT_GRACE_MS = 1000;

/** A point in (monotonic) time a call must be done by. */
export class Deadline {
  private constructor(private readonly at: number) {}

  /** A deadline `ms` from now. */
  static after(ms: number): Deadline {
    return new Deadline(performance.now() + Math.max(0, ms));
  }

  /** A deadline `seconds` from now (a statement timeout). */
  static afterSeconds(seconds: number): Deadline {
    return Deadline.after(seconds * 1000);
  }

  /** Milliseconds left (0 once passed). */
  remainingMs(): number {
    return Math.max(0, this.at - performance.now());
  }

  /** True once the deadline has passed. */
  get expired(): boolean {
    return performance.now() >= this.at;
  }

  /** The earlier of this deadline and `other`. */
  min(other: Deadline | undefined): Deadline {
    return other && other.at < this.at ? other : this;
  }

  /**
   * Snowflake's STATEMENT_TIMEOUT_IN_SECONDS for a statement started now: the whole seconds left,
   * at least 1 (Snowflake's smallest).
   */
  statementSeconds(): number {
    return Math.max(1, Math.ceil(this.remainingMs() / 1000));
  }

  /**
   * How long smcp waits for a statement started now before cancelling it itself: the time left
   * plus a short grace, so Snowflake's own timeout (with its error code) normally comes first.
   */
  waitMs(): number {
    return this.remainingMs() + ENFORCEMENT_GRACE_MS;
  }
}
