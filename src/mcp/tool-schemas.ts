/**
 * A tool's JSON schemas and listing, made the way the MCP SDK makes them (its Standard Schema
 * converter, JSON Schema 2020-12, objects typed `object`), once per registry and frozen; and the
 * check of an answer against the output schema. The one place both are computed, so no path can
 * list or check a tool differently from another.
 */
import type { StandardSchemaV1, Tool as McpTool } from '@modelcontextprotocol/server';
import type { Tool, ToolHints } from './tool-types.js';

/** The JSON Schema dialect the SDK converts tool schemas to (what tools/list has always shown). */
const JSON_SCHEMA_TARGET = 'draft-2020-12';

type Converter = (options: { target: string }) => Record<string, unknown>;

/** A zod schema's JSON Schema as the SDK emits it (objects typed `object`, no library options). */
function toJsonSchema(
  schema: Tool['inputSchema'] | Tool['outputSchema'],
  io: 'input' | 'output',
): Record<string, unknown> {
  const convert = (schema['~standard'] as unknown as { jsonSchema: Record<typeof io, Converter> }).jsonSchema[
    io
  ];
  const json = convert({ target: JSON_SCHEMA_TARGET });
  if (io === 'output' && json.type !== undefined) return json;
  if (json.type !== undefined && json.type !== 'object')
    throw new Error(`tool schemas must describe objects, got ${JSON.stringify(json.type)}`);
  return { type: 'object', ...json };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** The frozen listing of `tool` under its public `name`. */
export function toolListing(tool: Tool, name: string, hints: ToolHints): McpTool {
  return deepFreeze({
    name,
    title: tool.title,
    description: tool.description,
    inputSchema: toJsonSchema(tool.inputSchema, 'input'),
    annotations: { title: tool.title, ...hints },
    outputSchema: toJsonSchema(tool.outputSchema, 'output'),
  }) as McpTool;
}

/** Issues as the SDK words them: `path.to.field: message, …`. */
function formatIssues(issues: readonly StandardSchemaV1.Issue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path?.map((p) => String(typeof p === 'object' ? p.key : p)).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join(', ');
}

/** Why `structured` does not fit `tool`'s output schema, or undefined when it does. */
export async function outputProblem(tool: Tool, structured: unknown): Promise<string | undefined> {
  if (structured === undefined) return 'no structured content';
  const result = await tool.outputSchema['~standard'].validate(structured);
  return result.issues && result.issues.length > 0 ? formatIssues(result.issues) : undefined;
}
