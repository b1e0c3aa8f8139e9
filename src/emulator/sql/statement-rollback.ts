/**
 * Statement-level rollback inside an explicit transaction, as Snowflake does it: a statement that
 * fails inside BEGIN … COMMIT undoes only its own effects; the transaction stays open with the
 * effects of the statements before it, and COMMIT keeps them.
 *
 * DuckDB has no savepoints, and a statement that fails while running (a constraint, a conversion)
 * marks its whole transaction aborted until ROLLBACK (errors found while binding do not). So the
 * statements of the open transaction that changed data are kept, and after a failure that aborted
 * the transaction it is rolled back, begun again and those statements run again in order: the
 * transaction is then where it was before the failed statement.
 *
 * A second run must not change the data silently: a statement whose values differ from run to run
 * (RANDOM(), UUID_STRING(), CURRENT_TIMESTAMP, a sequence…) is never run again, nor are statements
 * after another session changed data since the transaction's first change (they could read other
 * values), and a statement whose second run answers other counts than its first is not kept. In both cases, and when a statement fails on its second run, the whole transaction is
 * rolled back and closed instead, and the failure says so and why.
 */
import type { EmulatorSession, ResultSet, WireBinding } from '../engine-types.js';
import { EmulatorSqlError } from '../engine-types.js';
import { StatementContext } from './context.js';
import type { EngineServices } from './engine-services.js';
import type { PooledConnection } from './pool.js';
import { RESULT_OVERHEAD_BYTES } from './engine-services.js';
import { dispatchStatement } from './statement-dispatch.js';
import type { Token } from './tokenizer.js';
import { firstVolatileWord } from './volatile-words.js';

/** A statement of an open transaction, as it was run. */
export interface TransactionStatement {
  tokens: Token[];
  words: string[];
  bindings: Record<string, WireBinding> | undefined;
  text: string;
}

/** A logged statement with what its first run answered (its counts), compared on a second run. */
interface LoggedStatement {
  statement: TransactionStatement;
  answer: string;
  volatile: string | undefined;
}

/** The counts a data-changing statement answered, as comparable text. */
async function answerOf(result: ResultSet): Promise<string> {
  return JSON.stringify(await result.readRows(0, Math.min(result.rowCount, 16)));
}

/** Statements that change data and so are run again after a failure (DDL commits first anyway). */
const CHANGES_DATA = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'TRUNCATE', 'CALL', 'EXECUTE']);

function changesData(words: readonly string[]): boolean {
  return CHANGES_DATA.has(words[0] ?? '') && !(words[1] ?? '').startsWith('SYSTEM$');
}

/** The code of a failure after which the whole transaction was rolled back. */
const ABANDONED = '000603';

/** The data-changing statements of each session's open transaction. */
export class TransactionLogs {
  readonly #logs = new Map<string, LoggedStatement[]>();
  /** Data-changing statements that succeeded, of every session (the emulator's own count). */
  #writes = 0;
  /** For each logged transaction: #writes before its first logged statement. */
  readonly #writesBefore = new Map<string, number>();

  constructor(private readonly services: EngineServices) {}

  /**
   * Runs `statement` of `session` on `pooled` through `run`; when it fails inside the session's
   * open transaction, puts the transaction back to where it was before the statement.
   */
  async run(
    session: EmulatorSession,
    pooled: PooledConnection,
    statement: TransactionStatement,
    signal: AbortSignal,
    run: () => Promise<ResultSet>,
  ): Promise<ResultSet> {
    const conns = this.services.sessionConns;
    if (!conns.inTransaction(session)) this.forget(session.id);
    let result: ResultSet;
    try {
      result = await run();
    } catch (err) {
      if (conns.inTransaction(session) && conns.holds(session, pooled)) {
        await this.#restore(session, pooled, signal).catch((abandoned: unknown) => {
          const failed = err instanceof Error ? err.message : String(err);
          const message = abandoned instanceof Error ? abandoned.message : String(abandoned);
          throw new EmulatorSqlError(ABANDONED, 'XX000', `${message} The statement failed with: ${failed}`);
        });
      }
      throw err;
    }
    if (!changesData(statement.words)) return result;
    this.#writes += 1;
    if (conns.inTransaction(session) && conns.holds(session, pooled)) {
      const log = this.#logs.get(session.id) ?? [];
      if (log.length === 0) this.#writesBefore.set(session.id, this.#writes - 1);
      log.push({ statement, answer: await answerOf(result), volatile: firstVolatileWord(statement.words) });
      this.#logs.set(session.id, log);
    }
    return result;
  }

  /** The session ended: its log goes. */
  forget(sessionId: string): void {
    this.#logs.delete(sessionId);
    this.#writesBefore.delete(sessionId);
  }

  async #restore(session: EmulatorSession, pooled: PooledConnection, signal: AbortSignal): Promise<void> {
    try {
      await pooled.conn.run('SELECT 1');
      return; // the failure did not abort DuckDB's transaction: nothing of it was applied
    } catch {
      // aborted: roll back and run the transaction's statements again
    }
    const log = this.#logs.get(session.id) ?? [];
    // Any other session's write since the transaction's first change may change what its
    // statements read (a count check alone misses changed values), so none is run again then.
    const others = this.#writes - (this.#writesBefore.get(session.id) ?? this.#writes) - log.length;
    if (log.length > 0 && others > 0) {
      await this.#abandon(
        session,
        pooled,
        'another session changed data while it was open, so running its earlier statements again could give other data than they gave, and the failed statement cannot be undone alone',
      );
    }
    const volatile = log.find((entry) => entry.volatile !== undefined)?.volatile;
    if (volatile !== undefined) {
      await this.#abandon(
        session,
        pooled,
        `an earlier statement of it uses ${volatile}, whose values a second run would change, so the failed statement cannot be undone alone`,
      );
    }
    await pooled.conn.run('ROLLBACK');
    await pooled.conn.run('BEGIN TRANSACTION');
    for (const { statement, answer } of log) {
      const ctx = new StatementContext(
        session,
        pooled,
        this.services.catalog,
        signal,
        this.services.account,
        statement.text,
      );
      try {
        const result = await dispatchStatement(this.services, ctx, {
          tokens: statement.tokens,
          words: statement.words,
          bindings: statement.bindings,
          queryId: `replay-${session.id}`,
          overheadBytes: RESULT_OVERHEAD_BYTES,
          results: undefined,
        });
        const again = await answerOf(result).finally(() => result.close());
        if (again !== answer) {
          await this.#abandon(
            session,
            pooled,
            `an earlier statement of it changed other rows when applied again after the failed statement (${answer} then ${again})`,
          );
        }
      } catch (err) {
        if (err instanceof EmulatorSqlError && err.code === ABANDONED) throw err;
        const why = err instanceof Error ? err.message : String(err);
        await this.#abandon(
          session,
          pooled,
          `after a failed statement, an earlier statement of it could not be applied again (${why})`,
        );
      }
    }
  }

  /** Rolls the whole transaction back and closes it, then throws why (never returns). */
  async #abandon(session: EmulatorSession, pooled: PooledConnection, why: string): Promise<never> {
    this.#logs.delete(session.id);
    this.#writesBefore.delete(session.id);
    // ROLLBACK through the session's connections, which then count the transaction as closed.
    await this.services.sessionConns.control(session, pooled, ['ROLLBACK']).catch(() => undefined);
    throw new EmulatorSqlError(ABANDONED, 'XX000', `The transaction was rolled back: ${why}.`);
  }
}
