/**
 * The answer of a tool call in MCP's CallToolResult shape, shared by MCP tools/call, the plain HTTP
 * tool API and `smcp call`; the one place that decides what a failed call looks like.
 *
 * Expected failures are results (isError: true), never thrown protocol errors, so the model sees
 * them and can correct its call. An error result carries no structuredContent: the spec wants
 * structured content to match the tool's output schema, and clients that check it (SDK v1, the
 * MCP Inspector) would otherwise show only their own validation message instead of the reason.
 * Everything a reader needs is in the text (`CODE: message`, a `Hint:` line saying what to do,
 * and Snowflake's code, SQLSTATE and query id when there are any); the same facts, machine-
 * readable, sit in `_meta["smcp/error"]`.
 */
import { toSmcpError } from '../errors.js';
import type { ErrorCode, ScanRefusalDetails } from '../errors.js';
import { errorHint } from './tool-error-hints.js';
import type { ToolOutput } from './tool-types.js';

/** The `_meta` key of an error result's machine-readable details. */
export const ERROR_META_KEY = 'smcp/error';

/** One text block of a tool result. */
export interface TextBlock {
  readonly type: 'text';
  readonly text: string;
}

/** The machine-readable details of a failed call (`_meta["smcp/error"]`). */
export interface ToolErrorInfo {
  /** smcp's stable error code (see the error catalogue). */
  readonly code: ErrorCode;
  readonly message: string;
  /** What to do about it. */
  readonly hint: string;
  readonly snowflakeCode?: string;
  readonly sqlState?: string;
  readonly queryId?: string;
  /** For guard refusals: which statement (1-based; 0 = the text as a whole) was refused. */
  readonly statementIndex?: number;
  /** The argument that was wrong. */
  readonly field?: string;
  /** For cost guard refusals: the estimate, the budget and the setting that sets it. */
  readonly scan?: ScanRefusalDetails;
}

/** A tool call's result (compatible with the SDK's CallToolResult). */
export interface ToolResult {
  [key: string]: unknown;
  content: TextBlock[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  _meta?: Record<string, unknown>;
}

/** The successful result for `output`. */
export function successResult(output: ToolOutput): ToolResult {
  return {
    content: output.text.map((text) => ({ type: 'text', text })),
    structuredContent: output.structured,
  };
}

/** The details of `err` as an error result carries them (non-SmcpErrors become INTERNAL). */
export function toolErrorInfo(err: unknown, publicName?: (tool: string) => string): ToolErrorInfo {
  const error = toSmcpError(err);
  const d = error.details;
  // Guard refusals (StatementRefusedError) say which statement was refused.
  const index: unknown = (error as { statementIndex?: unknown }).statementIndex;
  return {
    code: error.code,
    message: error.message,
    hint: errorHint(error.code, publicName),
    ...(d.snowflakeCode ? { snowflakeCode: d.snowflakeCode } : {}),
    ...(d.sqlState ? { sqlState: d.sqlState } : {}),
    ...(d.queryId ? { queryId: d.queryId } : {}),
    ...(d.field ? { field: d.field } : {}),
    ...(d.scan ? { scan: d.scan } : {}),
    ...(typeof index === 'number' ? { statementIndex: index } : {}),
  };
}

/** The readable text of an error: `CODE: message`, `Hint: …`, and Snowflake's identifiers if any. */
export function errorText(info: ToolErrorInfo): string {
  const lines = [`${info.code}: ${info.message}`, `Hint: ${info.hint}`];
  const facts = [
    info.snowflakeCode ? `Snowflake error ${info.snowflakeCode}` : '',
    info.sqlState ? `SQLSTATE ${info.sqlState}` : '',
    info.queryId ? `query id ${info.queryId}` : '',
  ].filter(Boolean);
  if (facts.length > 0) lines.push(`(${facts.join(', ')})`);
  return lines.join('\n');
}

/**
 * The error result for anything thrown (non-SmcpErrors become INTERNAL); `publicName` names tools
 * in the hint as the client sees them.
 */
export function errorResult(err: unknown, publicName?: (tool: string) => string): ToolResult {
  const info = toolErrorInfo(err, publicName);
  return {
    content: [{ type: 'text', text: errorText(info) }],
    isError: true,
    _meta: { [ERROR_META_KEY]: info },
  };
}

/** The details an error result carries, or undefined for a success (or a result from elsewhere). */
export function errorInfoOf(result: ToolResult): ToolErrorInfo | undefined {
  if (!result.isError) return undefined;
  const info = result._meta?.[ERROR_META_KEY];
  return typeof info === 'object' && info !== null ? (info as ToolErrorInfo) : undefined;
}
