/**
 * Runs parsed Snowflake Scripting blocks. Every SQL statement and expression runs through the
 * caller's statement (same session, connection, abort signal and timeout). Variables are typed
 * values: an expression runs as `SELECT <expr>` and keeps the type Snowflake gives it; a variable
 * goes back into SQL as a typed literal (`:name` in statements, the bare name in expressions).
 */
import type { ResultSet, WireBinding } from '../engine-types.js';
import { EmulatorSqlError } from '../engine-types.js';
import type { ScriptBlock, ScriptHandler, ScriptStatement } from './script-parse.js';
import { Scope, splitInto, substitute } from './script-scope.js';
import { booleanValue, integerValue, isTrue, textValue, type ScalarValue } from './script-values.js';
import { objectNotFound } from './sql-errors.js';
import { STATEMENT_TYPE } from './statement-types.js';
import { tokenize, type Token } from './tokenizer.js';

export { Scope } from './script-scope.js';

/**
 * Runs one Snowflake SQL statement in the calling statement, with `bindings` for its `?` binds;
 * the caller closes the result.
 */
export type NestedRunner = (sql: string, bindings?: Record<string, WireBinding>) => Promise<ResultSet>;

/** How a block ended: by falling off its end, RETURN <expr> (as SQL text) or RETURN TABLE(…). */
export type ScriptOutcome =
  { kind: 'none' } | { kind: 'value'; sql: string } | { kind: 'table'; result: ResultSet };

/** BREAK, CONTINUE and RETURN unwind as throws; they are never seen outside the runner. */
class BreakSignal extends Error {}
class ContinueSignal extends Error {}
class ReturnSignal extends Error {
  constructor(readonly outcome: ScriptOutcome) {
    super('RETURN');
  }
}

/** A user exception raised by RAISE, with its declared number and message. */
class RaisedException extends EmulatorSqlError {
  constructor(
    readonly exceptionName: string,
    readonly number: number,
    readonly text: string,
  ) {
    super(String(number), 'P0001', `Uncaught exception of type '${exceptionName}': ${text}`);
  }
}

/** Codes that end the whole statement: handlers never catch them. */
const UNCATCHABLE = new Set(['000604', '000630']);
/** Loop iterations between yields to the event loop (a tight loop must not starve the server). */
const YIELD_EVERY = 256;

/** The running of one block tree: what it opened, and how to reach SQL. */
export class ScriptRunner {
  /** RESULTSETs opened by the script, closed at its end unless one is its answer. */
  private readonly opened = new Set<ResultSet>();
  private iterations = 0;
  /** The error a bare RAISE re-raises (the one the running handler caught). */
  private raising: EmulatorSqlError | null = null;

  constructor(
    private readonly run: NestedRunner,
    private readonly signal: AbortSignal,
  ) {}

  /** Runs `block` with `scope` as the enclosing scope. */
  async runTop(block: ScriptBlock, scope: Scope): Promise<ScriptOutcome> {
    try {
      await this.block(block, scope);
      return { kind: 'none' };
    } catch (err) {
      if (err instanceof ReturnSignal) return err.outcome;
      if (err instanceof BreakSignal || err instanceof ContinueSignal) return { kind: 'none' };
      throw err;
    }
  }

  /** Closes every RESULTSET the script opened except `keep`. */
  closeAll(keep: ResultSet | null): void {
    for (const result of this.opened) if (result !== keep) result.close();
    this.opened.clear();
  }

  /** Runs `SELECT <expr>` (cast to `type` when given) and returns its single value. */
  async evaluate(expr: readonly Token[], scope: Scope, type: string | null = null): Promise<ScalarValue> {
    const text = substitute(expr, scope, true).trim();
    const result = await this.run(type ? `SELECT CAST((${text}) AS ${type}) AS V` : `SELECT ${text} AS V`);
    try {
      const rows = await result.readRows(0, 1);
      return { column: result.columns[0], text: rows[0]?.[0] ?? null };
    } finally {
      result.close();
    }
  }

  private async block(block: ScriptBlock, outer: Scope): Promise<void> {
    const scope = new Scope(outer);
    try {
      await this.list(block.declarations, scope);
      await this.list(block.body, scope);
    } catch (err) {
      const handler = this.handlerFor(block.handlers, err);
      if (!handler) throw err;
      const sqlErr = err as EmulatorSqlError;
      const inner = new Scope(scope);
      inner.setScalar(
        'SQLCODE',
        integerValue(Number.isFinite(Number(sqlErr.code)) ? Number(sqlErr.code) : null),
      );
      inner.setScalar('SQLERRM', textValue(err instanceof RaisedException ? err.text : sqlErr.message));
      inner.setScalar('SQLSTATE', textValue(sqlErr.sqlState));
      const before = this.raising;
      this.raising = sqlErr;
      try {
        await this.list(handler.body, inner);
      } finally {
        this.raising = before;
      }
    }
  }

  private handlerFor(handlers: readonly ScriptHandler[], err: unknown): ScriptHandler | undefined {
    if (!(err instanceof EmulatorSqlError) || UNCATCHABLE.has(err.code) || this.signal.aborted)
      return undefined;
    return handlers.find((h) =>
      h.names.some((n) =>
        err instanceof RaisedException
          ? n === err.exceptionName || n === 'OTHER'
          : n === 'OTHER' || n === 'STATEMENT_ERROR' || n === 'EXPRESSION_ERROR',
      ),
    );
  }

  private async list(statements: readonly ScriptStatement[], scope: Scope): Promise<void> {
    for (const statement of statements) await this.statement(statement, scope);
  }

  private async tick(): Promise<void> {
    if (this.signal.aborted)
      throw this.signal.reason instanceof Error ? this.signal.reason : new Error('aborted');
    if (++this.iterations % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  private async statement(s: ScriptStatement, scope: Scope): Promise<void> {
    switch (s.kind) {
      case 'sql':
        return this.sql(s.tokens, scope);
      case 'assign': {
        const existing = scope.get(s.name);
        const type = s.type ?? (existing?.kind === 'scalar' ? existing.type : null);
        const value = await this.evaluate(
          s.expr ?? tokenize('NULL'),
          scope,
          type ?? (s.expr ? null : 'VARCHAR'),
        );
        if (s.type !== null) scope.declare(s.name, { kind: 'scalar', value, type });
        else scope.assign(s.name, { kind: 'scalar', value, type });
        return;
      }
      case 'resultset': {
        let result: ResultSet | null = null;
        if (s.query) {
          result = await this.run(substitute(s.query, scope, false));
          this.opened.add(result);
        }
        scope.assign(s.name, { kind: 'resultset', result });
        return;
      }
      case 'cursor':
        scope.declare(s.name, { kind: 'cursor', query: s.query });
        return;
      case 'exception':
        scope.declare(s.name, { kind: 'exception', code: s.code, message: s.message });
        return;
      case 'if': {
        for (const branch of s.branches) {
          if (isTrue(await this.evaluate(branch.cond, scope)))
            return this.list(branch.body, new Scope(scope));
        }
        return this.list(s.otherwise, new Scope(scope));
      }
      case 'for-range':
        return this.forRange(s, scope);
      case 'for-rows':
        return this.forRows(s, scope);
      case 'while':
        while (isTrue(await this.evaluate(s.cond, scope))) {
          if (await this.iteration(s.body, scope)) break;
        }
        return;
      case 'repeat':
        for (;;) {
          if (await this.iteration(s.body, scope)) break;
          if (isTrue(await this.evaluate(s.cond, scope))) break;
        }
        return;
      case 'loop':
        for (;;) if (await this.iteration(s.body, scope)) break;
        return;
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
      case 'return':
        return this.returning(s, scope);
      case 'raise': {
        if (s.name === null) {
          if (this.raising) throw this.raising;
          throw new EmulatorSqlError(
            '000603',
            'P0001',
            'RAISE without an exception outside an exception handler.',
          );
        }
        const declared = scope.get(s.name);
        if (declared?.kind !== 'exception') throw objectNotFound('Exception', s.name);
        throw new RaisedException(s.name, declared.code, declared.message);
      }
      case 'block':
        return this.block(s.block, scope);
      case 'null':
        return;
    }
  }

  /** One loop iteration; true when the loop must stop (BREAK). */
  private async iteration(
    body: readonly ScriptStatement[],
    scope: Scope,
    inner = new Scope(scope),
  ): Promise<boolean> {
    await this.tick();
    try {
      await this.list(body, inner);
    } catch (err) {
      if (err instanceof BreakSignal) return true;
      if (err instanceof ContinueSignal) return false;
      throw err;
    }
    return false;
  }

  private async forRange(s: Extract<ScriptStatement, { kind: 'for-range' }>, scope: Scope): Promise<void> {
    const from = BigInt(Math.trunc(Number((await this.evaluate(s.from, scope)).text ?? 'NaN')));
    const to = BigInt(Math.trunc(Number((await this.evaluate(s.to, scope)).text ?? 'NaN')));
    const step = s.reverse ? -1n : 1n;
    for (let i = s.reverse ? to : from; s.reverse ? i >= from : i <= to; i += step) {
      const inner = new Scope(scope);
      inner.setScalar(s.name, integerValue(i));
      if (await this.iteration(s.body, scope, inner)) break;
    }
  }

  private async forRows(s: Extract<ScriptStatement, { kind: 'for-rows' }>, scope: Scope): Promise<void> {
    const source = scope.get(s.source);
    let result: ResultSet;
    let owned = false;
    if (source?.kind === 'cursor') {
      result = await this.run(substitute(source.query, scope, false));
      owned = true;
    } else if (source?.kind === 'resultset' && source.result) {
      result = source.result;
    } else {
      throw objectNotFound('Cursor or RESULTSET', s.source);
    }
    try {
      const page = 1000;
      for (let offset = 0; offset < result.rowCount; offset += page) {
        const rows = await result.readRows(offset, page);
        for (const row of rows) {
          const inner = new Scope(scope);
          inner.declare(s.name, { kind: 'row', columns: result.columns, row });
          if (await this.iteration(s.body, scope, inner)) return;
        }
      }
    } finally {
      if (owned) result.close();
    }
  }

  private returning(s: Extract<ScriptStatement, { kind: 'return' }>, scope: Scope): never {
    if (s.table !== null) {
      const source = scope.get(s.table);
      if (source?.kind !== 'resultset' || !source.result) throw objectNotFound('RESULTSET', s.table);
      throw new ReturnSignal({ kind: 'table', result: source.result });
    }
    if (!s.expr) throw new ReturnSignal({ kind: 'none' });
    throw new ReturnSignal({ kind: 'value', sql: substitute(s.expr, scope, true).trim() });
  }

  /** A SQL statement, with `SELECT … INTO :a, :b` and the DML counters SQLROWCOUNT/SQLFOUND. */
  private async sql(tokens: Token[], scope: Scope): Promise<void> {
    const { rest, into } = splitInto(tokens);
    const result = await this.run(substitute(rest, scope, false));
    try {
      if (into.length > 0) {
        const row = (await result.readRows(0, 1))[0];
        into.forEach((name, k) => {
          const column = result.columns[k];
          if (!column)
            throw new EmulatorSqlError(
              '002141',
              '42601',
              `SQL compilation error:\nThe number of INTO variables does not match the number of columns.`,
            );
          scope.assign(name, { kind: 'scalar', value: { column, text: row?.[k] ?? null }, type: null });
        });
      }
      const id = result.statementTypeId;
      if (id >= STATEMENT_TYPE.DML && id < STATEMENT_TYPE.SCL) {
        const row = (await result.readRows(0, 1))[0] ?? [];
        const count = row.reduce((sum, v) => sum + BigInt(/^\d+$/.test(v ?? '') ? v! : '0'), 0n);
        scope.assign('SQLROWCOUNT', { kind: 'scalar', value: integerValue(count), type: null });
        scope.assign('SQLFOUND', { kind: 'scalar', value: booleanValue(count > 0n), type: null });
        scope.assign('SQLNOTFOUND', { kind: 'scalar', value: booleanValue(count === 0n), type: null });
      }
    } finally {
      result.close();
    }
  }
}
