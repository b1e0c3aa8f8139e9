/**
 * Waiting as a statement: GENERATOR(TIMELIMIT => s) takes its time limit, ended early only by the
 * statement's cancel or timeout.
 */
import { statementCancelled } from '../sql-errors.js';

/** Resolves after `ms`, or rejects with the abort's reason (000604, 000630) when `signal` aborts first. */
export function waitAbortably(signal: AbortSignal, ms: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason instanceof Error ? signal.reason : statementCancelled());
    };
    // setTimeout fires at once beyond 2^31 - 1 ms; that long (24.8 days) is forever here.
    const timer = setTimeout(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.min(ms, 2 ** 31 - 1),
    );
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}
