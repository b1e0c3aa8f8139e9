/** Adapts the MCP tool registry to the plain HTTP tool API the transports serve. */
import type { Tool } from '@modelcontextprotocol/server';
import type { ToolRegistry } from '../mcp/server-factory.js';
import type { ToolApi } from '../transports/contracts.js';

/** The ToolApi over `registry`: same tools, guard, limits and tracking as MCP calls. */
export function toolApiFor(registry: ToolRegistry): ToolApi {
  return {
    listTools: () => registry.listTools() as unknown as Tool[],
    callTool: async (name, args, identity, signal) =>
      await registry.callTool(name, args, identity, { signal }),
  };
}
