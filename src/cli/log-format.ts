/**
 * Pure helpers of `smcp logs`: parse the daemon's JSON log lines ({time, level, msg, ...fields}),
 * format them for people, and filter by level. Lines that are not JSON objects (crash output, a
 * stack trace) are kept and shown as they are.
 */
import { LOG_LEVELS } from '../daemon/json-logger.js';
import type { LogLevel } from '../daemon/json-logger.js';

/** One parsed log line. */
export interface LogRecord {
  readonly time?: string;
  readonly level?: string;
  readonly msg?: string;
  /** Every other key, in the order written. */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Parses one line; undefined when it is not a JSON object (crash output, blank, partial). */
export function parseLogLine(line: string): LogRecord | undefined {
  const text = line.trim();
  if (!text.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { time, level, msg, ...fields } = value as Record<string, unknown>;
  return {
    ...(typeof time === 'string' ? { time } : {}),
    ...(typeof level === 'string' ? { level } : {}),
    ...(msg !== undefined ? { msg: typeof msg === 'string' ? msg : JSON.stringify(msg) } : {}),
    fields,
  };
}

/** The level named by `value` (any case), or undefined when it names none. */
export function toLogLevel(value: string): LogLevel | undefined {
  const lower = value.trim().toLowerCase();
  return (LOG_LEVELS as readonly string[]).includes(lower) ? (lower as LogLevel) : undefined;
}

/**
 * A line filter keeping records at or above `threshold`. Lines that are not log records, and
 * records with a level smcp does not know, are kept: hiding crash output would hide the news.
 */
export function atOrAbove(threshold: LogLevel): (line: string) => boolean {
  const min = LOG_LEVELS.indexOf(threshold);
  return (line) => {
    const level = parseLogLine(line)?.level;
    if (level === undefined) return true;
    const index = (LOG_LEVELS as readonly string[]).indexOf(level.toLowerCase());
    return index < 0 || index >= min;
  };
}

/** A field value as text: bare when unambiguous, quoted when it has spaces, compact JSON when nested. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"'=]+$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // Values come from JSON.parse: what is left is null, an array or an object.
  return JSON.stringify(value) ?? 'undefined';
}

/** `2026-11-24T02:50:12.123Z` → `2026-11-24 02:50:12.123` (times are UTC as the daemon wrote them). */
function formatTime(time: string | undefined): string {
  if (time === undefined) return '-'.padEnd(23);
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d+)?)Z$/.exec(time);
  return match ? `${match[1]} ${match[2]}` : time;
}

const COLORS: Record<string, string> = {
  debug: '\x1b[2m',
  info: '\x1b[32m',
  warn: '\x1b[33m',
  error: '\x1b[31m',
};
const RESET = '\x1b[0m';

/** Options of {@link formatLogLine}. */
export interface FormatOptions {
  /** Colour the level with ANSI escapes (only for a terminal, and not when NO_COLOR is set). */
  readonly color?: boolean;
}

/**
 * One log line for people: `2026-11-24 02:50:12.123 INFO  message key=value …`. Lines that are
 * not log records come back unchanged.
 */
export function formatLogLine(line: string, options: FormatOptions = {}): string {
  const record = parseLogLine(line);
  if (!record) return line;
  const level = (record.level ?? '-').toUpperCase().padEnd(5);
  const color = options.color ? COLORS[(record.level ?? '').toLowerCase()] : undefined;
  const parts = [formatTime(record.time), color ? `${color}${level}${RESET}` : level];
  if (record.msg !== undefined) parts.push(record.msg);
  for (const [key, value] of Object.entries(record.fields)) parts.push(`${key}=${formatValue(value)}`);
  return parts.join(' ');
}

/** True when output to `stream` should be coloured: a terminal, and NO_COLOR unset or empty. */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}
