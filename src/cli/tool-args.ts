/**
 * Turns `key=value` words and an optional `--args` JSON object into a tool's arguments. Values
 * follow the tool's input schema: string properties stay text (`sql=1` is the text "1"), other
 * properties are read as JSON (`max_rows=5`, `columns=["A","B"]`), falling back to text.
 */
import { SmcpError } from '../errors.js';

/** The parts of a JSON schema this needs. */
export interface InputSchemaLike {
  properties?: Record<string, unknown>;
}

/** The JSON type(s) a property schema declares, if any. */
function typeOf(property: unknown): string | string[] | undefined {
  if (typeof property !== 'object' || property === null) return undefined;
  const type = (property as { type?: unknown }).type;
  return typeof type === 'string' || Array.isArray(type) ? (type as string | string[]) : undefined;
}

function parseValue(raw: string, type: string | string[] | undefined): unknown {
  const types = Array.isArray(type) ? type : type ? [type] : [];
  if (types.length === 1 && types[0] === 'string') return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** Builds the arguments object; throws USAGE naming the bad word or the --args value. */
export function buildToolArgs(
  pairs: readonly string[],
  argsJson: string | undefined,
  schema: InputSchemaLike,
): Record<string, unknown> {
  let args: Record<string, unknown> = {};
  if (argsJson !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(argsJson);
    } catch (err) {
      throw new SmcpError(
        'USAGE',
        `--args is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
        {
          field: '--args',
        },
      );
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new SmcpError('USAGE', '--args must be a JSON object', { field: '--args' });
    }
    args = { ...(parsed as Record<string, unknown>) };
  }
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      throw new SmcpError('USAGE', `expected key=value, got "${pair}"`, { field: pair });
    }
    const key = pair.slice(0, eq);
    args[key] = parseValue(pair.slice(eq + 1), typeOf(schema.properties?.[key]));
  }
  return args;
}
