/**
 * One signal for a whole request (one or more statements): fires on the client's abort (000604)
 * or when STATEMENT_TIMEOUT_IN_SECONDS runs out (000630), whichever comes first.
 */
import { statementCancelled, statementTimeout } from './sql-errors.js';

/**
 * Runs `work` with a signal that aborts on `clientSignal` or after `timeoutSecs` (none when not a
 * positive number); the signal's reason is the EmulatorSqlError to answer with. Cleans up after.
 */
export async function withStatementSignal<T>(
  clientSignal: AbortSignal | undefined,
  timeoutSecs: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(statementCancelled());
  if (clientSignal?.aborted) onAbort();
  clientSignal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    Number.isFinite(timeoutSecs) && timeoutSecs > 0
      ? setTimeout(() => controller.abort(statementTimeout(timeoutSecs)), timeoutSecs * 1000)
      : null;
  try {
    return await work(controller.signal);
  } finally {
    if (timer) clearTimeout(timer);
    clientSignal?.removeEventListener('abort', onAbort);
  }
}
