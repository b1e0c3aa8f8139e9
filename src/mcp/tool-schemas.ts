/**
 * A tool's JSON schemas and listing, made the way the MCP SDK makes them (its Standard Schema
 * converter, JSON Schema 2020-12, objects typed `object`), once per registry and frozen; and the
 * check of an answer against the output schema. The one place both are computed, so no path can
 * list or check a tool differently from another.
 */
import type { StandardSchemaV1, Tool as McpTool } from '@modelcontextprotocol/server';
import type { z } from 'zod';
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

/**
 * A listed schema without what only costs context: the `$schema` dialect tag, and for output
 * JavaScript's safe-integer bounds, and for output schemas also descriptions and
 * `additionalProperties: false`.
 * Every tools/list a client reads is paid for on every model turn; an answer that fits the strict
 * zod schema (which smcp checks) fits this one too.
 */
function compact(schema: unknown, output: boolean): unknown {
  if (Array.isArray(schema)) return schema.map((item) => compact(item, output));
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$schema') continue;
    if (output && (key === 'description' || key === 'required' || key === 'enum')) continue;
    if (key === UNLISTED) continue;
    if (output && key === 'additionalProperties' && value === false) continue;
    // Safe-integer bounds (zod's z.int()) say nothing a client needs, in input or output.
    if ((key === 'minimum' || key === 'maximum') && Math.abs(value as number) === Number.MAX_SAFE_INTEGER)
      continue;
    // An output array says only what its items are (object, array, …): row and column shapes are
    // told by the tool descriptions and checked by smcp itself.
    if (output && key === 'items' && typeof value === 'object' && value !== null && 'type' in value) {
      out[key] = { type: (value as { type: unknown }).type };
      continue;
    }
    // Property names are data, not schema keywords: copy them as they are, but for the ones marked
    // unlisted (optional extras a tool description names).
    out[key] = key === 'properties' ? listedProperties(value, output) : compact(value, output);
  }
  return out;
}

/** The JSON Schema keyword `unlisted()` adds (zod copies `meta` into the JSON schema). */
const UNLISTED = 'x-smcp-unlisted';

/**
 * Marks an optional output property to leave out of the listing: an answer may carry it (output
 * schemas are open), the tool's description says what it is, and no client pays for it in context.
 */
export function unlisted<T extends z.ZodType>(schema: T): T {
  return schema.meta({ [UNLISTED]: true });
}

function listedProperties(value: unknown, output: boolean): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => !(typeof v === 'object' && v !== null && UNLISTED in v))
      .map(([k, v]) => [k, compact(v, output)]),
  );
}

/**
 * The hints that say something: MCP's defaults are readOnly false, destructive true, idempotent
 * false, openWorld true, and destructive and idempotent only mean something for a tool that writes.
 */
function meaningfulHints(hints: ToolHints): Partial<ToolHints> {
  return {
    readOnlyHint: hints.readOnlyHint,
    ...(hints.readOnlyHint
      ? {}
      : { destructiveHint: hints.destructiveHint, idempotentHint: hints.idempotentHint }),
    ...(hints.openWorldHint ? {} : { openWorldHint: false }),
  };
}

/** The frozen listing of `tool` under its public `name`. */
export function toolListing(tool: Tool, name: string, hints: ToolHints): McpTool {
  return deepFreeze({
    name,
    title: tool.title,
    description: tool.description,
    inputSchema: compact(toJsonSchema(tool.inputSchema, 'input'), false),
    annotations: meaningfulHints(hints),
    outputSchema: compact(toJsonSchema(tool.outputSchema, 'output'), true),
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
