/**
 * Snowflake's SQL errors (code, SQLSTATE, message text) and the mapping of DuckDB's errors onto
 * them. Messages follow Snowflake's wording so clients matching on them behave the same.
 */
import { EmulatorSqlError } from '../engine-types.js';
import { formatMismatchError } from './date-format-parse.js';
import { withSnowflakeTypeNames } from './decfloat.js';

/** 002003 / 42S02: the object is missing or not visible to the role. */
export function objectNotFound(kind: string, name: string): EmulatorSqlError {
  return new EmulatorSqlError(
    '002003',
    '42S02',
    `SQL compilation error:\n${kind} '${name}' does not exist or not authorized.`,
  );
}

/** 002043 / 02000: USE of a missing object. */
export function useNotFound(): EmulatorSqlError {
  return new EmulatorSqlError(
    '002043',
    '02000',
    'SQL compilation error:\nObject does not exist, or operation cannot be performed.',
  );
}

/** 000904 / 42000: unknown column. */
export function invalidIdentifier(name: string): EmulatorSqlError {
  return new EmulatorSqlError(
    '000904',
    '42000',
    `SQL compilation error: error line 1 at position 7\ninvalid identifier '${name}'`,
  );
}

/** 001003 / 42000: the text does not parse. */
export function syntaxError(line: number, position: number, near: string): EmulatorSqlError {
  return new EmulatorSqlError(
    '001003',
    '42000',
    `SQL compilation error:\nsyntax error line ${line} at position ${position} unexpected '${near}'.`,
  );
}

/** 000008 / 0A000: more statements than MULTI_STATEMENT_COUNT allows. */
export function statementCountMismatch(actual: number, desired: number): EmulatorSqlError {
  return new EmulatorSqlError(
    '000008',
    '0A000',
    `Actual statement count ${actual} did not match the desired statement count ${desired}.`,
  );
}

/** 000630 / 57014: STATEMENT_TIMEOUT_IN_SECONDS reached. */
export function statementTimeout(seconds: number): EmulatorSqlError {
  return new EmulatorSqlError(
    '000630',
    '57014',
    `Statement reached its statement or warehouse timeout of ${seconds} second(s) and was canceled.`,
  );
}

/** 000604 / 57014: the client cancelled the statement. */
export function statementCancelled(): EmulatorSqlError {
  return new EmulatorSqlError('000604', '57014', 'SQL execution canceled');
}

/** 000606 / 57P03: no usable warehouse. */
export function noWarehouse(): EmulatorSqlError {
  return new EmulatorSqlError(
    '000606',
    '57P03',
    "No active warehouse selected in the current session.  Select an active warehouse with the 'use warehouse' command.\n",
  );
}

/** 090105 / 22000: no current database for a statement that needs one. */
export function noCurrentDatabase(): EmulatorSqlError {
  return new EmulatorSqlError(
    '090105',
    '22000',
    "Cannot perform SHOW <object>. This session does not have a current database. Call 'USE DATABASE', or use a qualified name.",
  );
}

/** 002002 / 42710: the object already exists. */
export function alreadyExists(kind: string, name: string): EmulatorSqlError {
  return new EmulatorSqlError(
    '002002',
    '42710',
    `SQL compilation error:\nObject '${name}' already exists.`.replace('Object', kind),
  );
}

/** 001008 / 22023: an invalid parameter value. */
export function invalidParameter(name: string, value: string): EmulatorSqlError {
  return new EmulatorSqlError(
    '001008',
    '22023',
    `SQL compilation error:\ninvalid value [${value}] for parameter '${name}'`,
  );
}

/** 002003-style unsupported feature. */
export function unsupported(what: string): EmulatorSqlError {
  return new EmulatorSqlError('002040', '0A000', `SQL compilation error:\nUnsupported feature '${what}'.`);
}

/**
 * 000603 / XX000: a big result's stream yielded other rows than its count said. The count is trusted
 * only when no write ran meanwhile, so this should never happen; if it does, the result is not
 * served half-right.
 */
export function resultChanged(counted: number, seen: number): EmulatorSqlError {
  const got = seen < counted ? `only ${seen}` : `more than ${counted}`;
  return new EmulatorSqlError(
    '000603',
    'XX000',
    `The result changed while it was produced: ${counted} rows were counted, but the statement yielded ${got}. Run it again.`,
  );
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? text).trim();
}

/** Maps an error thrown by DuckDB onto Snowflake's code, SQLSTATE and wording. */
export function mapDuckError(err: unknown, sqlText: string): EmulatorSqlError {
  if (err instanceof EmulatorSqlError) return err;
  const raw = withSnowflakeTypeNames(err instanceof Error ? err.message : String(err));
  // Streams and prepared statements wrap the parser's error in this prefix.
  const message = firstLine(raw).replace(/^Failed to extract statements: /, '');
  const kindMatch = /^([A-Za-z ]+) Error: (.*)$/s.exec(message);
  const kind = kindMatch?.[1] ?? '';
  const detail = kindMatch?.[2] ?? message;
  if (kind === 'Catalog') {
    const m =
      /(Table|View|Schema|Catalog|Table Function|Function|Macro Function|Scalar Function) with name "?([^"!]+?)"? does not exist/i.exec(
        detail,
      );
    if (m) {
      const what = (m[1] ?? '').toLowerCase();
      const name = (m[2] ?? '').toUpperCase();
      if (what.includes('function') || what.includes('macro')) {
        return new EmulatorSqlError('002140', '42601', `SQL compilation error:\nUnknown function ${name}`);
      }
      if (what === 'schema') return objectNotFound('Schema', name);
      if (what === 'catalog') return objectNotFound('Database', name);
      return objectNotFound('Object', name);
    }
    if (/already exists/i.test(detail)) {
      const n = /"([^"]+)"|name ([^ ]+)/.exec(detail);
      return new EmulatorSqlError(
        '002002',
        '42710',
        `SQL compilation error:\nObject '${(n?.[1] ?? n?.[2] ?? '').toUpperCase()}' already exists.`,
      );
    }
    return new EmulatorSqlError('002003', '42S02', `SQL compilation error:\n${detail}`);
  }
  if (kind === 'Parser') {
    const near = /at or near "([^"]*)"/.exec(detail)?.[1] ?? /at end of input/.exec(detail)?.[0] ?? '';
    const { line, position } = locate(sqlText, near);
    return syntaxError(line, position, near === 'at end of input' ? '<EOF>' : near);
  }
  if (kind === 'Binder') {
    const col = /Referenced column "([^"]+)" not found/.exec(detail) ?? /column "([^"]+)"/i.exec(detail);
    if (col) return invalidIdentifier((col[1] ?? '').toUpperCase());
    const fn = /No function matches the given name and argument types '([A-Za-z_0-9]+)\(/.exec(detail);
    if (fn) {
      return new EmulatorSqlError(
        '001044',
        '42P13',
        `SQL compilation error: error line 1 at position 7\nInvalid argument types for function '${(fn[1] ?? '').toUpperCase()}'`,
      );
    }
    return new EmulatorSqlError('002141', '42601', `SQL compilation error:\n${detail}`);
  }
  if (/^Division by zero/i.test(detail)) return new EmulatorSqlError('100051', '22012', 'Division by zero');
  // Raised by the emulator's own checks (sum-range.ts) through error(), an Invalid Input error.
  if (/^Number out of representable range/.test(detail))
    return new EmulatorSqlError('100046', '22003', detail);
  if (kind === 'Conversion' || kind === 'Invalid Input') {
    const num = /Could not convert string '([^']*)' to (INT|DECIMAL|DOUBLE|FLOAT|UINT|HUGE)/i.exec(detail);
    if (num)
      return new EmulatorSqlError('100038', '22018', `Numeric value '${num[1] ?? ''}' is not recognized`);
    const date =
      /(date|timestamp|time) field value out of range: "([^"]*)"|invalid (date|timestamp) field format: "([^"]*)"/i.exec(
        detail,
      );
    if (date)
      return new EmulatorSqlError('100040', '22007', `Date '${date[2] ?? date[4] ?? ''}' is not recognized`);
    const mismatch = formatMismatchError(detail);
    if (mismatch) return mismatch;
    const timestamp = /^Timestamp '(.*)' is not recognized$/s.exec(detail);
    if (timestamp)
      return new EmulatorSqlError('100035', '22007', `Timestamp '${timestamp[1] ?? ''}' is not recognized`);
    if (/Malformed JSON/i.test(detail))
      return new EmulatorSqlError('100069', '22P02', `Error parsing JSON: ${detail}`);
    return new EmulatorSqlError('100038', '22018', detail);
  }
  if (kind === 'Out of Range')
    return new EmulatorSqlError('100046', '22003', `Number out of representable range: ${detail}`);
  if (/Division by zero/i.test(detail)) return new EmulatorSqlError('100051', '22012', 'Division by zero');
  if (kind === 'Constraint') return new EmulatorSqlError('100072', '22000', detail);
  if (kind === 'Interrupt' || /INTERRUPT/i.test(kind)) return statementCancelled();
  if (kind === 'Not implemented') return unsupported(detail);
  return new EmulatorSqlError('100000', 'XX000', `SQL execution error: ${detail}`);
}

/** Line (1-based) and position (0-based, as Snowflake counts) of the first occurrence of `near`. */
function locate(sqlText: string, near: string): { line: number; position: number } {
  const index = near && near !== 'at end of input' ? sqlText.indexOf(near) : sqlText.length;
  const at = index < 0 ? 0 : index;
  const before = sqlText.slice(0, at);
  const line = before.split('\n').length;
  const lastNl = before.lastIndexOf('\n');
  return { line, position: at - (lastNl + 1) };
}
