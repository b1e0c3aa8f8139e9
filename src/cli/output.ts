/**
 * The CLI's only way to the terminal: plain lines to stdout, diagnostics to stderr, and one clear
 * line (never a stack trace) for errors smcp expects.
 */
import { basename } from 'node:path';
import { isSmcpError, toSmcpError } from '../errors.js';
import { escapeJsonControls } from '../mcp/control-chars.js';

/** Writes one line to stdout. */
export function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Writes a block of text to stdout as it is, ending it with a newline if it has none. */
export function sayText(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Writes one line to stderr. */
export function warn(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * Writes a value as pretty JSON to stdout. DEL and C1 controls, which JSON allows raw, are written
 * as \u escapes: the same JSON value, and no raw control byte reaches a terminal.
 */
export function sayJson(value: unknown): void {
  process.stdout.write(`${escapeJsonControls(JSON.stringify(value, null, 2))}\n`);
}

/**
 * Reports an error and returns the exit code to use. Expected errors print `smcp: <message>` plus
 * the field or file they concern; unexpected ones add the stack only when SMCP_DEBUG is set.
 */
export function reportError(err: unknown): number {
  const error = toSmcpError(err);
  // Name the file and field unless the message already does.
  const { file, field } = error.details;
  const named = file !== undefined && error.message.includes(basename(file));
  const fieldNamed = file === undefined && field !== undefined && error.message.includes(`'${field}'`);
  const where = named || fieldNamed ? '' : [file, field].filter(Boolean).join(': ');
  const suffix = where ? ` (${where})` : '';
  warn(`smcp: ${error.message}${suffix} [${error.code}]`);
  if (!isSmcpError(err) && process.env.SMCP_DEBUG && err instanceof Error && err.stack) warn(err.stack);
  return error.exitCode;
}
