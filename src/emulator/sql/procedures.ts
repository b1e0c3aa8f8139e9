/**
 * SQL stored procedures: CREATE [OR REPLACE] PROCEDURE … LANGUAGE SQL AS '<Snowflake Scripting
 * block>', DROP PROCEDURE and CALL. A procedure's body is parsed (and so checked) when it is
 * created and runs in the caller's session when called (EXECUTE AS CALLER semantics for every
 * procedure: the emulator has no owner rights to switch to). Overloads are told apart by their
 * number of arguments. Other languages (JavaScript, Python, Java, Scala) are refused with 0A000.
 * Procedures live in the engine's memory, by database and schema, like everything else.
 */
import type { EmulatorSession, ResultSet, WireBinding } from '../engine-types.js';
import { EmulatorSqlError } from '../engine-types.js';
import { qualifiedName } from './object-names.js';
import type { StatementContext } from './context.js';
import { statusResult } from './result-set.js';
import { parseBlock, startsBlock, type ScriptBlock } from './script-parse.js';
import { Scope, ScriptRunner, type NestedRunner, type ScriptOutcome } from './script-run.js';
import { alreadyExists, syntaxError, unsupported } from './sql-errors.js';
import { closing, parseArgs, parseOptions, sqlOf, word, type ProcedureArg } from './procedure-clauses.js';
import { STATEMENT_TYPE } from './statement-types.js';
import {
  identName,
  isSignificant,
  quoteIdent,
  splitTopLevelCommas,
  tokenize,
  type Token,
} from './tokenizer.js';

/** A created procedure. */
export interface Procedure {
  database: string;
  schema: string;
  name: string;
  args: ProcedureArg[];
  /** RETURNS type text, or null for RETURNS TABLE. */
  returns: string | null;
  /** Columns of RETURNS TABLE (…) (possibly none), or null for a scalar procedure. */
  returnsTable: { name: string; type: string }[] | null;
  block: ScriptBlock;
  comment: string | null;
  createdOn: Date;
}

/** Nested CALLs allowed at once in one session (a runaway recursion ends here). */
const MAX_CALL_DEPTH = 32;
function unknownProcedure(name: string): EmulatorSqlError {
  return new EmulatorSqlError('002140', '42601', `SQL compilation error:\nUnknown function ${name}`);
}

function noSchema(action: string): EmulatorSqlError {
  return new EmulatorSqlError(
    '090106',
    '22000',
    `Cannot perform ${action}. This session does not have a current schema. Call 'USE SCHEMA', or use a qualified name.`,
  );
}

/** The SQL procedures of one engine. */
export class ProcedureStore {
  readonly #byName = new Map<string, Procedure[]>();
  readonly #depth = new Map<string, number>();

  #resolve(
    session: EmulatorSession,
    parts: string[],
    action: string,
    missing: () => EmulatorSqlError = () => noSchema(action),
  ): [string, string, string] {
    const name = parts.at(-1) ?? '';
    const schema = parts.length >= 2 ? parts.at(-2)! : session.schema;
    const database = parts.length >= 3 ? parts.at(-3)! : session.database;
    if (!database || !schema) throw missing();
    return [database, schema, name];
  }

  #key(database: string, schema: string, name: string): string {
    return `${database}\u0000${schema}\u0000${name}`;
  }

  /** The overload of `name` taking `count` arguments (some may have defaults). */
  #find(
    database: string,
    schema: string,
    name: string,
    count: number,
    named: boolean,
  ): Procedure | undefined {
    const list = this.#byName.get(this.#key(database, schema, name)) ?? [];
    return list.find((p) => {
      const required = p.args.filter((a) => a.defaultSql === null).length;
      return named ? count <= p.args.length : count >= required && count <= p.args.length;
    });
  }

  /** CREATE [OR REPLACE] [SECURE] PROCEDURE …; `schemaExists` checks the target schema. */
  async create(
    ctx: StatementContext,
    sig: Token[],
    schemaExists: (db: string, schema: string) => Promise<boolean>,
  ): Promise<ResultSet> {
    let i = 1;
    let orReplace = false;
    if (word(sig[i]) === 'OR' && word(sig[i + 1]) === 'REPLACE') {
      orReplace = true;
      i += 2;
    }
    while (['SECURE', 'TEMP', 'TEMPORARY'].includes(word(sig[i]))) i++;
    if (word(sig[i]) !== 'PROCEDURE') throw syntaxError(1, sig[i]?.start ?? 0, sig[i]?.text ?? '<EOF>');
    i++;
    let ifNotExists = false;
    if (word(sig[i]) === 'IF' && word(sig[i + 1]) === 'NOT' && word(sig[i + 2]) === 'EXISTS') {
      ifNotExists = true;
      i += 3;
    }
    const { parts, next } = qualifiedName(sig, i);
    if (parts.length === 0 || sig[next]?.text !== '(') {
      throw syntaxError(1, sig[next]?.start ?? 0, sig[next]?.text ?? '<EOF>');
    }
    const [database, schema, name] = this.#resolve(ctx.session, parts, 'CREATE PROCEDURE');
    const argsEnd = closing(sig, next);
    const args = parseArgs(sig.slice(next + 1, argsEnd - 1));
    const options = parseOptions(sig, argsEnd);
    const language = (options.language ?? 'SQL').toUpperCase();
    if (language !== 'SQL') {
      throw unsupported(
        `CREATE PROCEDURE … LANGUAGE ${language} (the emulator runs LANGUAGE SQL procedures only)`,
      );
    }
    if (options.body === null) throw syntaxError(1, sig.at(-1)?.start ?? 0, '<EOF> (expected AS)');
    const bodyTokens = tokenize(options.body);
    if (!startsBlock(bodyTokens)) {
      throw unsupported('a LANGUAGE SQL procedure body that is not a Snowflake Scripting block');
    }
    const block = parseBlock(bodyTokens);
    if (!(await schemaExists(database, schema))) {
      throw new EmulatorSqlError(
        '002003',
        '02000',
        `SQL compilation error:\nSchema '${database}.${schema}' does not exist or not authorized.`,
      );
    }
    const procedure: Procedure = {
      database,
      schema,
      name,
      args,
      returns: options.returns,
      returnsTable: options.returnsTable,
      block,
      comment: options.comment,
      createdOn: new Date(),
    };
    const key = this.#key(database, schema, name);
    const list = this.#byName.get(key) ?? [];
    const same = list.findIndex((p) => p.args.length === args.length);
    if (same >= 0) {
      if (ifNotExists) {
        return statusResult(`${name} already exists, statement succeeded.`, STATEMENT_TYPE.DDL);
      }
      if (!orReplace) throw alreadyExists('Object', name);
      list[same] = procedure;
    } else {
      list.push(procedure);
    }
    this.#byName.set(key, list);
    return statusResult(`Function ${name} successfully created.`, STATEMENT_TYPE.DDL);
  }

  /** DROP PROCEDURE [IF EXISTS] name(type, …). */
  drop(ctx: StatementContext, sig: Token[]): ResultSet {
    let i = 2;
    let ifExists = false;
    if (word(sig[i]) === 'IF' && word(sig[i + 1]) === 'EXISTS') {
      ifExists = true;
      i += 2;
    }
    const { parts, next } = qualifiedName(sig, i);
    if (parts.length === 0) throw syntaxError(1, sig[next]?.start ?? 0, sig[next]?.text ?? '<EOF>');
    const [database, schema, name] = this.#resolve(ctx.session, parts, 'DROP PROCEDURE');
    const count =
      sig[next]?.text === '(' ? splitTopLevelCommas(sig.slice(next + 1, closing(sig, next) - 1)).length : -1;
    const key = this.#key(database, schema, name);
    const list = this.#byName.get(key) ?? [];
    const index = count < 0 ? (list.length === 1 ? 0 : -1) : list.findIndex((p) => p.args.length === count);
    if (index < 0) {
      if (ifExists)
        return statusResult(
          'Drop statement executed successfully (PROCEDURE already dropped).',
          STATEMENT_TYPE.DDL,
        );
      throw new EmulatorSqlError(
        '002003',
        '02000',
        `SQL compilation error:\nProcedure '${database}.${schema}.${name}' does not exist or not authorized.`,
      );
    }
    list.splice(index, 1);
    if (list.length === 0) this.#byName.delete(key);
    return statusResult(`${name} successfully dropped.`, STATEMENT_TYPE.DDL);
  }

  /** For describeOnly: a query with the result columns of `CALL …`, or null when unknown. */
  callShape(session: EmulatorSession, tokens: Token[]): string | null {
    const sig = tokens.filter(isSignificant);
    const { parts, next } = qualifiedName(sig, 1);
    if (parts.length === 0 || sig[next]?.text !== '(') return null;
    // System functions called as procedures answer one text column named after them.
    if (parts.length === 1 && parts[0].startsWith('SYSTEM$'))
      return `SELECT CAST(NULL AS VARCHAR) AS ${quoteIdent(parts[0])}`;
    let resolved: [string, string, string];
    try {
      resolved = this.#resolve(session, parts, 'CALL');
    } catch {
      return null;
    }
    const argTokens = sig.slice(next + 1, closing(sig, next) - 1);
    const args = argTokens.length === 0 ? [] : splitTopLevelCommas(argTokens);
    const proc = this.#find(
      ...resolved,
      args.length,
      args.some((a) => a[1]?.text === '=>'),
    );
    if (!proc) return null;
    if (proc.returnsTable) {
      const cols = proc.returnsTable.map((c) => `CAST(NULL AS ${c.type}) AS ${quoteIdent(c.name)}`);
      return cols.length > 0 ? `SELECT ${cols.join(', ')}` : null;
    }
    return `SELECT CAST(NULL AS ${proc.returns ?? 'VARCHAR'}) AS ${quoteIdent(proc.name)}`;
  }

  /** CALL name(args): runs the procedure in the caller's statement and answers its result. */
  async call(
    ctx: StatementContext,
    sig: Token[],
    run: NestedRunner,
    bindings?: Record<string, WireBinding>,
  ): Promise<ResultSet> {
    const { parts, next } = qualifiedName(sig, 1);
    if (parts.length === 0 || sig[next]?.text !== '(') {
      throw syntaxError(1, sig[next]?.start ?? 0, sig[next]?.text ?? '<EOF>');
    }
    const end = closing(sig, next);
    if (end < sig.length) throw unsupported(`CALL … ${sig[end].text.toUpperCase()}`);
    // Without a current schema an unqualified procedure cannot exist: it is an unknown function.
    const [database, schema, name] = this.#resolve(ctx.session, parts, 'CALL', () =>
      unknownProcedure(parts.at(-1) ?? ''),
    );
    const argTokens = sig.slice(next + 1, end - 1);
    const given = argTokens.length === 0 ? [] : splitTopLevelCommas(argTokens);
    const named = given.length > 0 && given.every((a) => a[1]?.text === '=>');
    const proc = this.#find(database, schema, name, given.length, named);
    if (!proc) throw unknownProcedure(name);

    // Arguments: each given expression (or default) cast to the declared type, in one SELECT.
    const exprs = proc.args.map((arg, k) => {
      const found = named ? given.find((a) => identName(a[0]) === arg.name) : given[k];
      const sql = found ? sqlOf(named ? found.slice(2) : found) : arg.defaultSql;
      if (sql === null)
        throw new EmulatorSqlError(
          '002141',
          '42601',
          `SQL compilation error:\nMissing argument ${arg.name} of ${name}.`,
        );
      return `CAST((${sql}) AS ${arg.type}) AS ${quoteIdent(arg.name)}`;
    });
    const scope = new Scope();
    if (exprs.length > 0) {
      // The CALL's own `?` binds go to its arguments, in the order they are written.
      const values = await run(`SELECT ${exprs.join(', ')}`, bindings);
      try {
        const row = (await values.readRows(0, 1))[0] ?? [];
        proc.args.forEach((arg, k) =>
          scope.setScalar(arg.name, { column: values.columns[k], text: row[k] ?? null }),
        );
      } finally {
        values.close();
      }
    }

    const depth = (this.#depth.get(ctx.session.id) ?? 0) + 1;
    if (depth > MAX_CALL_DEPTH) {
      throw new EmulatorSqlError(
        '100183',
        'P0000',
        `Stored procedure call depth exceeded the limit of ${MAX_CALL_DEPTH}.`,
      );
    }
    this.#depth.set(ctx.session.id, depth);
    const runner = new ScriptRunner(run, ctx.signal);
    let keep: ResultSet | null = null;
    try {
      const outcome = await runner.runTop(proc.block, scope);
      const result = await procedureResult(proc, outcome, run);
      keep = result;
      return result;
    } finally {
      runner.closeAll(keep);
      if (depth === 1) this.#depth.delete(ctx.session.id);
      else this.#depth.set(ctx.session.id, depth - 1);
    }
  }
}

/** The answer of a CALL: the returned value as a one-column row named after the procedure, or the table. */
async function procedureResult(
  proc: Procedure,
  outcome: ScriptOutcome,
  run: NestedRunner,
): Promise<ResultSet> {
  if (proc.returnsTable) {
    if (outcome.kind === 'table') return outcome.result;
    if (outcome.kind === 'value') {
      throw new EmulatorSqlError(
        '000603',
        'P0000',
        `Procedure ${proc.name} RETURNS TABLE but returned a value; use RETURN TABLE(<resultset>).`,
      );
    }
    const cols = proc.returnsTable.map((c) => `CAST(NULL AS ${c.type}) AS ${quoteIdent(c.name)}`);
    return run(
      cols.length > 0
        ? `SELECT ${cols.join(', ')} WHERE FALSE`
        : `SELECT NULL AS ${quoteIdent(proc.name)} WHERE FALSE`,
    );
  }
  if (outcome.kind === 'table') {
    outcome.result.close();
    throw new EmulatorSqlError(
      '000603',
      'P0000',
      `Procedure ${proc.name} returns ${proc.returns ?? 'a value'}, not a table.`,
    );
  }
  const value = outcome.kind === 'value' ? outcome.sql : 'NULL';
  return run(`SELECT CAST((${value}) AS ${proc.returns ?? 'VARCHAR'}) AS ${quoteIdent(proc.name)}`);
}

/** Runs an anonymous block (or EXECUTE IMMEDIATE of one): its RETURN value as "anonymous block". */
export async function runAnonymousBlock(
  ctx: StatementContext,
  tokens: readonly Token[],
  run: NestedRunner,
): Promise<ResultSet> {
  const block = parseBlock(tokens);
  const runner = new ScriptRunner(run, ctx.signal);
  let keep: ResultSet | null = null;
  try {
    const outcome = await runner.runTop(block, new Scope());
    const result =
      outcome.kind === 'table'
        ? outcome.result
        : await run(
            `SELECT ${outcome.kind === 'value' ? outcome.sql : 'CAST(NULL AS VARCHAR)'} AS "anonymous block"`,
          );
    keep = result;
    return result;
  } finally {
    runner.closeAll(keep);
  }
}
