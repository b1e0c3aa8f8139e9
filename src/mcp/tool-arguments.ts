/**
 * Checks a tool call's arguments against the tool's (strict) input schema, the same way for every
 * path (MCP tools/call, the plain HTTP tool API, the admin socket, `smcp call`). An argument the
 * tool does not take is refused, never ignored: a misspelt `max_row` or `timeout` would otherwise
 * let the caller believe in a bound that was never applied. The refusal names the argument, the
 * nearest one the tool takes (spelling, case, or a synonym agents often reach for) and the full
 * list; a bad value names the argument and what was expected.
 */
import type { z } from 'zod';
import { SmcpError } from '../errors.js';
import type { Tool } from './tool-types.js';

/**
 * Names callers use for an argument smcp spells differently, by normalized form (lower case, no
 * `_`/`-`). A suggestion is made only when the tool takes the target.
 */
const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  limit: ['max_rows'],
  maxrows: ['limit'],
  rows: ['max_rows', 'limit'],
  maxresults: ['max_rows', 'limit'],
  rowlimit: ['max_rows', 'limit'],
  timeout: ['timeout_s'],
  timeoutseconds: ['timeout_s'],
  timeoutsecs: ['timeout_s'],
  query: ['sql'],
  statement: ['sql'],
  db: ['database'],
  databasename: ['database'],
  schemaname: ['schema'],
  table: ['view'],
  tablename: ['table', 'view'],
  view: ['table'],
  viewname: ['view', 'table'],
  id: ['query_id'],
  filter: ['where'],
  order: ['order_by'],
  sort: ['order_by'],
  sortby: ['order_by'],
  pattern: ['like'],
  name: ['like'],
  start: ['offset'],
  output: ['format'],
  outputformat: ['format'],
};

function normalize(name: string): string {
  return name.toLowerCase().replace(/[_\-\s]/g, '');
}

/** Edit distance with adjacent transpositions (optimal string alignment): `databse` → `database` is 1. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2][j - 2] + 1);
      }
      d[i][j] = best;
    }
  }
  return d[rows - 1][cols - 1];
}

/**
 * The argument of `known` that `unknown` most likely meant: the same name in another case or
 * separator style, then a known synonym, then the closest spelling within a third of its length
 * (at least 1, at most 3 edits). Undefined when nothing is close.
 */
export function nearestName(unknown: string, known: readonly string[]): string | undefined {
  const target = normalize(unknown);
  const same = known.find((name) => normalize(name) === target);
  if (same) return same;
  const synonym = SYNONYMS[target]?.find((name) => known.includes(name));
  if (synonym) return synonym;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of known) {
    const candidate = normalize(name);
    const limit = Math.min(3, Math.max(1, Math.floor(Math.max(candidate.length, target.length) / 3)));
    const distance = editDistance(target, candidate);
    if (distance <= limit && distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

/** The arguments a tool takes, in schema order. */
export function argumentNames(tool: Tool): string[] {
  return Object.keys(tool.inputSchema.shape);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `'x' (did you mean 'y'?)`, or `'x'` alone. */
function describeUnknown(name: string, known: readonly string[]): string {
  const near = nearestName(name, known);
  return near ? `'${name}' (did you mean '${near}'?)` : `'${name}'`;
}

/** `sql: expected string, received number` for each issue of a failed parse. */
function describeIssues(issues: readonly z.core.$ZodIssue[], args: Record<string, unknown>): string {
  return issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      if (issue.path.length === 1 && args[path] === undefined) return `missing required argument '${path}'`;
      return path ? `'${path}': ${issue.message}` : issue.message;
    })
    .join('; ');
}

/**
 * Returns `args` parsed by the input schema of `tool` (called `name` by the client). Throws
 * SmcpError USAGE, with `field` the first offending argument, for arguments that are not an
 * object, arguments the tool does not take, and values that do not fit.
 */
export function parseToolArguments(tool: Tool, name: string, args: unknown): Record<string, unknown> {
  const given = args ?? {};
  if (!isPlainObject(given)) {
    throw new SmcpError('USAGE', `the arguments of ${name} must be a JSON object`, { field: 'arguments' });
  }
  const known = argumentNames(tool);
  const unknown = Object.keys(given).filter((key) => !Object.hasOwn(tool.inputSchema.shape, key));
  if (unknown.length > 0) {
    const takes = known.length > 0 ? `${name} takes: ${known.join(', ')}` : `${name} takes no arguments`;
    const noun = unknown.length === 1 ? 'argument' : 'arguments';
    throw new SmcpError(
      'USAGE',
      `unknown ${noun} ${unknown.map((key) => describeUnknown(key, known)).join(', ')}; ${takes}`,
      { field: unknown[0] },
    );
  }
  const parsed = tool.inputSchema.safeParse(given);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.map(String).join('.') || 'arguments';
    throw new SmcpError(
      'USAGE',
      `invalid arguments for ${name}: ${describeIssues(parsed.error.issues, given)}`,
      { field },
    );
  }
  return parsed.data;
}
