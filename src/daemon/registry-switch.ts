/**
 * The tool registry the server factory, the tool API and the admin routes hold, forwarding to the
 * registry of the connections served now: a reload that adds, removes or changes connections
 * builds a new registry (its `connection` argument lists other names) and puts it in place here,
 * so open MCP sessions keep working and see the new tools on their next request. Servers built by
 * the factory are remembered while open, so they can be told that the tool listing changed.
 */
import type { McpServer } from '@modelcontextprotocol/server';
import type { Logger } from '../logger.js';
import type { ToolRegistry } from '../mcp/server-factory.js';

/** A ToolRegistry over whichever registry is current. */
export class RegistrySwitch implements ToolRegistry {
  private registry: ToolRegistry;
  private readonly servers = new Set<McpServer>();

  constructor(initial: ToolRegistry) {
    this.registry = initial;
  }

  /** The registry calls go to now. */
  get current(): ToolRegistry {
    return this.registry;
  }

  listTools: ToolRegistry['listTools'] = () => this.registry.listTools();
  find: ToolRegistry['find'] = (name) => this.registry.find(name);
  outputSchemaOf: ToolRegistry['outputSchemaOf'] = (name) => this.registry.outputSchemaOf(name);
  publicName: ToolRegistry['publicName'] = (canonical) => this.registry.publicName(canonical);
  hints: ToolRegistry['hints'] = (tool) => this.registry.hints(tool);
  callTool: ToolRegistry['callTool'] = (name, args, identity, options) =>
    this.registry.callTool(name, args, identity, options);
  invoke: ToolRegistry['invoke'] = (tool, args, identity, options) =>
    this.registry.invoke(tool, args, identity, options);
  unknownTool: ToolRegistry['unknownTool'] = (name) => this.registry.unknownTool(name);
  runInContext: ToolRegistry['runInContext'] = (label, identity, options, work) =>
    this.registry.runInContext(label, identity, options, work);

  /** Remembers `server` until it closes, for {@link RegistrySwitch.replace}'s notification. */
  track(server: McpServer): McpServer {
    this.servers.add(server);
    const previous = server.server.onclose;
    server.server.onclose = () => {
      this.servers.delete(server);
      previous?.();
    };
    return server;
  }

  /**
   * Makes `next` current. When its tool listing differs from the current one (names, schemas such as
   * the `connection` argument's names, annotations), every open server sends
   * notifications/tools/list_changed. Returns whether the listing changed.
   */
  replace(next: ToolRegistry, logger: Logger): boolean {
    const before = JSON.stringify(this.registry.listTools());
    this.registry = next;
    if (JSON.stringify(next.listTools()) === before) return false;
    for (const server of this.servers) {
      // A server of a stateless request or one not yet initialized has nobody to tell.
      if (!server.isConnected()) continue;
      // The low-level server's promise, so a transport that went away meanwhile is no rejection
      // left unhandled.
      server.server
        .sendToolListChanged()
        .catch((err: unknown) =>
          logger.debug('could not announce the new tool listing', { error: String(err) }),
        );
    }
    return true;
  }
}
