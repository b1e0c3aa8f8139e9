/** bench/results/mcp.json: each MCP bench writes its own section and keeps the others'. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const DIR = new URL('./results/', import.meta.url);
const FILE = new URL('./results/mcp.json', import.meta.url);

/** Sets `section` of bench/results/mcp.json to `value`, keeping the other sections. */
export function writeSection(section: string, value: unknown): void {
  mkdirSync(DIR, { recursive: true });
  let current: Record<string, unknown> = {};
  if (existsSync(FILE)) {
    try {
      current = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, unknown>;
    } catch {
      current = {};
    }
  }
  current[section] = value;
  writeFileSync(FILE, `${JSON.stringify(current, null, 2)}\n`);
}
