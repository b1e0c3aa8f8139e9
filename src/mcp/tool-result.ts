/**
 * The answer of a tool call in MCP's CallToolResult shape, shared by MCP tools/call, the plain HTTP
 * tool API and `smcp call`. Expected failures are results too (isError: true, text
 * "<CODE>: message", structuredContent.error with code and Snowflake's details), never thrown
 * protocol errors: the model sees them and can correct its call.
 */
import { toSmcpError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import type { ToolOutput } from './tool-types.js';

/** One text block of a tool result. */
export interface TextBlock {
  readonly type: 'text';
  readonly text: string;
}

/** The structured part of a failed call. */
export interface ToolErrorInfo {
  readonly code: ErrorCode;
  readonly message: string;
  readonly snowflakeCode?: string;
  readonly sqlState?: string;
  readonly queryId?: string;
  /** For guard refusals: which statement (1-based; 0 = the text as a whole) was refused. */
  readonly statementIndex?: number;
  readonly field?: string;
}

/** A tool call's result (compatible with the SDK's CallToolResult). */
export interface ToolResult {
  [key: string]: unknown;
  content: TextBlock[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/** The successful result for `output`. */
export function successResult(output: ToolOutput): ToolResult {
  return {
    content: output.text.map((text) => ({ type: 'text', text })),
    structuredContent: output.structured,
  };
}

/** The error result for anything thrown (non-SmcpErrors become INTERNAL). */
export function errorResult(err: unknown): ToolResult {
  const error = toSmcpError(err);
  const d = error.details;
  // Guard refusals (StatementRefusedError) say which statement was refused.
  const index: unknown = (error as { statementIndex?: unknown }).statementIndex;
  const info: ToolErrorInfo = {
    code: error.code,
    message: error.message,
    ...(d.snowflakeCode ? { snowflakeCode: d.snowflakeCode } : {}),
    ...(d.sqlState ? { sqlState: d.sqlState } : {}),
    ...(d.queryId ? { queryId: d.queryId } : {}),
    ...(d.field ? { field: d.field } : {}),
    ...(typeof index === 'number' ? { statementIndex: index } : {}),
  };
  return {
    content: [{ type: 'text', text: `${error.code}: ${error.message}` }],
    structuredContent: { error: info },
    isError: true,
  };
}
