/**
 * Sessions as Snowflake keeps them, on pooled DuckDB connections. Statements normally borrow any
 * pooled connection, but a session with an open transaction (BEGIN / START TRANSACTION, or DML
 * while AUTOCOMMIT is off) or with temporary tables holds one connection of its own: its
 * uncommitted rows and its temporary tables (DuckDB TEMP tables, private to their connection) live
 * there, so no other session sees them. Its statements then run one at a time on that connection.
 *
 * Bounded: at most `maxHeld` sessions hold a connection (held ones are taken out of the pool, which
 * keeps its size); COMMIT/ROLLBACK hands a connection without temporary tables back, and a session
 * that ends (logout, expiry) rolls back and gives its connection up — disconnected when it had
 * temporary tables, which drops them. As in Snowflake, DDL commits an open transaction first, and a
 * failed statement undoes only itself, leaving the transaction open (statement-rollback.ts).
 */
import type { EmulatorSession, ResultSet } from '../engine-types.js';
import { EmulatorSqlError } from '../engine-types.js';
import type { ConnectionPool, PooledConnection } from './pool.js';
import { PreparedCache } from './prepared-cache.js';
import { statusResult } from './result-set.js';
import { STATEMENT_TYPE } from './statement-types.js';
import { identName, isSignificant } from './tokenizer.js';
import type { Token } from './tokenizer.js';

/** Sessions holding a connection at most, by default. */
export const DEFAULT_MAX_HELD = 32;

interface Held {
  pooled: PooledConnection;
  /** A transaction is open on the connection. */
  txn: boolean;
  /** Qualified keys (DB.SCHEMA.NAME) of the session's temporary tables. */
  temps: Set<string>;
  /** The statement holding the connection now finishes with this. */
  tail: Promise<void>;
  /** Statements queued or running on the connection. */
  users: number;
  ended: boolean;
}

/** The connection one statement runs on; `release` once the statement is done. */
export interface Lease {
  readonly pooled: PooledConnection;
  /** The connection is the session's own (a transaction or temporary tables). */
  readonly held: boolean;
  release(): void;
}

const DDL_FIRST = new Set(['CREATE', 'DROP', 'ALTER', 'GRANT', 'REVOKE', 'COMMENT', 'UNDROP']);
const DML_FIRST = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'TRUNCATE']);
const TEMP_WORDS = new Set(['TEMP', 'TEMPORARY', 'VOLATILE']);

/** True for BEGIN [WORK | TRANSACTION] [NAME n] and START TRANSACTION (not a script block). */
export function isBegin(words: readonly string[]): boolean {
  if (words[0] === 'START') return words[1] === 'TRANSACTION';
  if (words[0] !== 'BEGIN') return false;
  const next = words[1];
  return next === undefined || next === ';' || next === 'WORK' || next === 'TRANSACTION' || next === 'NAME';
}

/** True for CREATE [OR REPLACE] [LOCAL | GLOBAL] TEMP|TEMPORARY|VOLATILE TABLE. */
export function isCreateTemp(words: readonly string[]): boolean {
  if (words[0] !== 'CREATE') return false;
  let i = 1;
  if (words[i] === 'OR' && words[i + 1] === 'REPLACE') i += 2;
  if (words[i] === 'LOCAL' || words[i] === 'GLOBAL') i++;
  return TEMP_WORDS.has(words[i] ?? '') && words[i + 1] === 'TABLE';
}

function autocommitOff(session: EmulatorSession): boolean {
  return (session.params.get('AUTOCOMMIT') ?? 'TRUE').toUpperCase() === 'FALSE';
}

function tableKey(parts: readonly string[]): string {
  return parts.join('.');
}

/** The connections sessions hold for their transactions and temporary tables. */
export class SessionConnections {
  readonly #held = new Map<string, Held>();

  constructor(
    private readonly pool: ConnectionPool,
    private readonly maxHeld = DEFAULT_MAX_HELD,
  ) {}

  /** True when `pooled` is the session's own connection (results then never keep it, see runSelect). */
  holds(session: EmulatorSession, pooled: PooledConnection): boolean {
    return this.#held.get(session.id)?.pooled === pooled;
  }

  /** True while the session's transaction is open. */
  inTransaction(session: EmulatorSession): boolean {
    return this.#held.get(session.id)?.txn === true;
  }

  /**
   * The connection for statement `words` of `session`: the session's own when it holds one (after
   * its earlier statements are done), a new own one when the statement opens a transaction or
   * creates a temporary table, else a pooled one.
   */
  async acquire(session: EmulatorSession, words: readonly string[]): Promise<Lease> {
    let held = this.#held.get(session.id);
    if (!held) {
      const needs =
        isBegin(words) || isCreateTemp(words) || (autocommitOff(session) && DML_FIRST.has(words[0] ?? ''));
      if (!needs) {
        const pooled = await this.pool.acquire();
        return { pooled, held: false, release: () => this.pool.release(pooled) };
      }
      held = await this.#hold(session);
    }
    const h = held;
    h.users++;
    const previous = h.tail;
    let unlock!: () => void;
    h.tail = new Promise<void>((resolve) => (unlock = resolve));
    await previous;
    return {
      pooled: h.pooled,
      held: true,
      release: () => {
        h.users--;
        if (h.users === 0 && !h.txn && h.temps.size === 0 && !h.ended) this.#letGo(session.id, h, false);
        unlock();
      },
    };
  }

  async #hold(session: EmulatorSession): Promise<Held> {
    if (this.#held.size >= this.maxHeld) {
      throw new EmulatorSqlError(
        '000625',
        '57014',
        `Too many sessions hold an open transaction or temporary tables (at most ${this.maxHeld} in the emulator); commit, roll back or log out one first.`,
      );
    }
    // The slot's connection is taken out; the pool puts a fresh one in and keeps its size.
    const slot = await this.pool.acquire();
    let conn;
    try {
      conn = await this.pool.detach(slot);
    } finally {
      this.pool.release(slot);
    }
    const again = this.#held.get(session.id);
    if (again) {
      this.pool.recycle(conn);
      return again;
    }
    const held: Held = {
      pooled: { conn, searchPath: '', prepared: new PreparedCache() },
      txn: false,
      temps: new Set(),
      tail: Promise.resolve(),
      users: 0,
      ended: false,
    };
    this.#held.set(session.id, held);
    return held;
  }

  /** Gives the connection up: back to the pool, or disconnected when temporary tables were on it. */
  #letGo(sessionId: string, held: Held, hadTemps: boolean): void {
    this.#held.delete(sessionId);
    held.pooled.prepared.clear();
    if (!hadTemps) {
      this.pool.recycle(held.pooled.conn);
      return;
    }
    try {
      held.pooled.conn.disconnectSync();
    } catch {
      // already gone with the instance
    }
  }

  /**
   * Before a statement that is not BEGIN/COMMIT/ROLLBACK: DDL commits an open transaction first
   * (as Snowflake's DDL does); DML with AUTOCOMMIT off opens one; CREATE TEMPORARY TABLE notes the
   * table as the session's.
   */
  async beforeStatement(
    session: EmulatorSession,
    pooled: PooledConnection,
    words: readonly string[],
    tokens: readonly Token[],
  ): Promise<void> {
    const held = this.#held.get(session.id);
    if (!held || held.pooled !== pooled) return;
    const first = words[0] ?? '';
    const ddl =
      DDL_FIRST.has(first) && !(first === 'ALTER' && words[1] === 'SESSION' && !words.includes('AUTOCOMMIT'));
    if (held.txn && ddl) {
      await pooled.conn.run('COMMIT');
      held.txn = false;
    }
    if (!held.txn && autocommitOff(session) && DML_FIRST.has(first)) {
      await pooled.conn.run('BEGIN TRANSACTION');
      held.txn = true;
    }
    if (isCreateTemp(words)) held.temps.add(this.#tempKey(session, tokens));
  }

  #tempKey(session: EmulatorSession, tokens: readonly Token[]): string {
    const sig = tokens.filter(isSignificant);
    const at = sig.findIndex((t) => t.kind === 'word' && t.text.toUpperCase() === 'TABLE');
    let i = at + 1;
    if ((sig[i]?.text ?? '').toUpperCase() === 'IF') i += 3;
    const parts: string[] = [];
    while (sig[i] && (sig[i].kind === 'word' || sig[i].kind === 'quoted')) {
      parts.push(identName(sig[i]));
      if (sig[i + 1]?.text !== '.') break;
      i += 2;
    }
    const full =
      parts.length >= 3 ? parts : [session.database ?? '', session.schema ?? 'PUBLIC', ...parts].slice(-3);
    return tableKey(full);
  }

  /**
   * `db.schema.name` references to the session's temporary tables point at DuckDB's temp catalog
   * (tokens replaced one for one, so positions hold). Unqualified names find them there already.
   */
  resolveTemps(session: EmulatorSession, tokens: Token[]): Token[] {
    const held = this.#held.get(session.id);
    if (!held || held.temps.size === 0) return tokens;
    let out: Token[] | null = null;
    for (let i = 0; i + 4 < tokens.length; i++) {
      const [a, d1, b, d2, c] = tokens.slice(i, i + 5);
      if (!a || !b || !c || d1?.text !== '.' || d2?.text !== '.') continue;
      if (![a, b, c].every((t) => t.kind === 'word' || t.kind === 'quoted')) continue;
      if (i > 0 && tokens[i - 1]?.text === '.') continue;
      if (!held.temps.has(tableKey([identName(a), identName(b), identName(c)]))) continue;
      out ??= tokens.slice();
      out[i] = { kind: 'word', text: 'temp', start: a.start };
      out[i + 2] = { kind: 'word', text: 'main', start: b.start };
    }
    return out ?? tokens;
  }

  /** BEGIN / START TRANSACTION, COMMIT, ROLLBACK of `session` on `pooled`. */
  async control(
    session: EmulatorSession,
    pooled: PooledConnection,
    words: readonly string[],
  ): Promise<ResultSet> {
    const held = this.#held.get(session.id);
    const own = held !== undefined && held.pooled === pooled;
    if (words[0] === 'BEGIN' || words[0] === 'START') {
      // A BEGIN inside an open transaction is ignored, as in Snowflake.
      if (isBegin(words) && own && !held.txn) {
        await pooled.conn.run('BEGIN TRANSACTION');
        held.txn = true;
      }
      return statusResult('Statement executed successfully.', STATEMENT_TYPE.BEGIN);
    }
    const commit = words[0] === 'COMMIT';
    if (own && held.txn) {
      held.txn = false;
      await pooled.conn.run(commit ? 'COMMIT' : 'ROLLBACK');
    }
    return statusResult(
      'Statement executed successfully.',
      commit ? STATEMENT_TYPE.COMMIT : STATEMENT_TYPE.ROLLBACK,
    );
  }

  /**
   * The session ended: once its running statement is done, its transaction is rolled back and its
   * connection given up (with its temporary tables).
   */
  async end(sessionId: string): Promise<void> {
    const held = this.#held.get(sessionId);
    if (!held) return;
    held.ended = true;
    await held.tail;
    if (this.#held.get(sessionId) !== held) return;
    if (held.txn) await held.pooled.conn.run('ROLLBACK').catch(() => undefined);
    this.#letGo(sessionId, held, held.temps.size > 0);
  }

  /** Sessions holding a connection now. */
  get size(): number {
    return this.#held.size;
  }
}
