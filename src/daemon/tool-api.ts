/** Adapts the MCP tool registry to the plain HTTP tool API the transports serve. */
import type { ToolRegistry } from '../mcp/server-factory.js';
import type { ToolApi } from '../transports/contracts.js';

/** The ToolApi over `registry`: same tools, guard, limits and tracking as MCP calls. */
export function toolApiFor(registry: ToolRegistry): ToolApi {
  return {
    listTools: () => registry.listTools(),
    callTool: async (name, args, identity, signal, context) =>
      await registry.callTool(name, args, identity, { signal, ...(context ? { context } : {}) }),
  };
}
