/** How `smcp call` and `smcp tools` print: readable on a terminal, JSON with --json or when piped. */
import { escapeControls } from '../mcp/control-chars.js';
import type { ToolListing } from '../mcp/tool-registry.js';
import { errorInfoOf } from '../mcp/tool-result.js';
import type { ToolResult } from '../mcp/tool-result.js';
import { SmcpError } from '../errors.js';
import { say, sayJson, warn } from './output.js';

/** True when output should be JSON: `--json` given, or stdout is not a terminal. */
export function wantsJson(json: boolean | undefined): boolean {
  return json ?? !process.stdout.isTTY;
}

/** Prints the tool list. */
export function printTools(tools: readonly ToolListing[], json: boolean | undefined): void {
  if (wantsJson(json)) {
    sayJson(tools);
    return;
  }
  const width = Math.max(...tools.map((t) => t.name.length));
  for (const tool of tools)
    say(`${tool.name.padEnd(width)}  ${(tool.description ?? '').split('\n')[0] ?? ''}`);
}

/**
/**
 * Text safe to print on a terminal: control characters that would act on it (ESC sequences, OSC 52
 * clipboard writes, BEL, C1 controls, a carriage return that overwrites the line) show as `\x1b`,
 * `\u009b`, …; tab, line feed and CR LF line ends stay.
 */
export function terminalText(text: string): string {
  return escapeControls(text.replace(/\r(?!\n)/g, '\\x0d'), '\t\n\r');
}

/**
 * Prints a tool result and returns the exit code: 0, or 1 when the tool reported an error. An
 * error's text (code, message, hint) goes to stderr; with JSON output, stdout gets
 * `{"error": {code, message, hint, …}}`, the same shape as smcp's other JSON errors. Text goes
 * through terminalText; JSON is exact (sayJson escapes what JSON allows raw).
 */
export function printToolResult(result: ToolResult, json: boolean | undefined): number {
  const text = terminalText(result.content.map((block) => block.text).join('\n'));
  if (result.isError) {
    for (const line of text.split('\n')) warn(`smcp: ${line}`);
    if (wantsJson(json)) sayJson({ error: errorInfoOf(result) ?? { code: 'INTERNAL', message: text } });
    return 1;
  }
  if (wantsJson(json)) sayJson(result.structuredContent ?? result);
  else say(text);
  return 0;
}

/** Finds `name` among `tools` or throws USAGE listing the tool names. */
export function findTool(tools: readonly ToolListing[], name: string): ToolListing {
  const listing = tools.find((t) => t.name === name);
  if (listing) return listing;
  throw new SmcpError('USAGE', `unknown tool "${name}"; tools: ${tools.map((t) => t.name).join(', ')}`, {
    field: 'tool',
  });
}
