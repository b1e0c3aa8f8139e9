/**
 * Several named Snowflake connections behind one tool registry: each call runs on the connection
 * its `connection` argument names (the first one by default), under that connection's settings
 * (write switches, row/byte caps, timeouts can differ: production read-only, a dev account
 * writable). A query id remembers the connection that ran it, so fetch_results and query_status
 * find their result without being told.
 */
import { SmcpError } from '../errors.js';
import type { McpSettings } from './settings.js';
import type { QueryClient } from './tool-types.js';

/** What list_connections says of one connection (no secrets). */
// A type alias (not an interface) so it is a plain record for the listing helpers.
export type ConnectionFacts = {
  readonly name: string;
  readonly backend: 'snowflake' | 'emulator';
  readonly account: string | null;
  readonly role: string | null;
  readonly warehouse: string | null;
  readonly database: string | null;
  readonly healthy: boolean;
  readonly allowWrite: boolean;
  readonly default: boolean;
};

/** One connection as the directory holds it. */
export interface DirectoryEntry {
  readonly name: string;
  readonly client: QueryClient;
  readonly settings: McpSettings;
  /** Facts for list_connections, read at call time (health changes). */
  readonly facts: () => Omit<ConnectionFacts, 'name' | 'allowWrite' | 'default'>;
}

/** Query ids remembered per directory: enough for the results a daemon keeps, bounded. */
const MAX_REMEMBERED_QUERIES = 100_000;

/** The connections of one daemon; the first is the default. */
export class ConnectionDirectory {
  private readonly entries: ReadonlyMap<string, DirectoryEntry>;
  private readonly byQuery: Map<string, string>;

  /**
   * @param entries at least one; names unique (throws CONFIG_INVALID otherwise)
   * @param byQuery which connection ran each query id; pass the previous directory's to keep it
   *   across a reload (results read later still find their connection)
   */
  constructor(entries: readonly DirectoryEntry[], byQuery = new Map<string, string>()) {
    this.byQuery = byQuery;
    if (entries.length === 0)
      throw new SmcpError('CONFIG_INVALID', 'no connection to serve', { field: 'connections' });
    const map = new Map<string, DirectoryEntry>();
    for (const entry of entries) {
      if (map.has(entry.name)) {
        throw new SmcpError('CONFIG_INVALID', `connections: "${entry.name}" is named twice`, {
          field: 'connections',
        });
      }
      map.set(entry.name, { ...entry, client: this.recording(entry.name, entry.client) });
    }
    this.entries = map;
  }

  /** Connection names, the default first. */
  get names(): string[] {
    return [...this.entries.keys()];
  }

  /** The name calls use when they name none. */
  get defaultName(): string {
    return this.names[0];
  }

  /** True when there is more than one connection (then tools take a `connection` argument). */
  get several(): boolean {
    return this.entries.size > 1;
  }

  /**
   * The connection named `name` (the default when undefined). Throws CONNECTION_UNKNOWN naming
   * the connection (field `connection`) for a name not served, e.g. one a reload removed.
   */
  route(name: string | undefined): DirectoryEntry {
    const entry = this.entries.get(name ?? this.defaultName);
    if (entry) return entry;
    throw this.unknown(String(name));
  }

  /** The error for a connection name not served, listing those served. */
  unknown(name: string): SmcpError {
    return new SmcpError(
      'CONNECTION_UNKNOWN',
      `connection: no connection "${name}" is served; connections: ${this.names.join(', ')}`,
      { field: 'connection' },
    );
  }

  /** The connection that ran `queryId`, if this directory saw it. */
  connectionOf(queryId: string): string | undefined {
    return this.byQuery.get(queryId);
  }

  /** Settings of every connection (for listings that must hold for all of them). */
  allSettings(): McpSettings[] {
    return [...this.entries.values()].map((e) => e.settings);
  }

  /** list_connections' answer. */
  describe(): ConnectionFacts[] {
    return [...this.entries.values()].map((e, i) => ({
      name: e.name,
      ...e.facts(),
      allowWrite: e.settings.allowWrite,
      default: i === 0,
    }));
  }

  private remember(queryId: string | undefined, name: string): void {
    if (!queryId) return;
    if (this.byQuery.size >= MAX_REMEMBERED_QUERIES) {
      const oldest = this.byQuery.keys().next().value;
      if (oldest !== undefined) this.byQuery.delete(oldest);
    }
    this.byQuery.set(queryId, name);
  }

  /** `client` with every query id it hands out remembered as `name`'s. */
  private recording(name: string, client: QueryClient): QueryClient {
    return {
      query: async (request) => {
        try {
          const result = await client.query(request);
          this.remember(result.queryId, name);
          return result;
        } catch (err) {
          const queryId = (err as { details?: { queryId?: unknown } }).details?.queryId;
          this.remember(typeof queryId === 'string' ? queryId : undefined, name);
          throw err;
        }
      },
      getResult: (queryId, offset, limit, options) => client.getResult(queryId, offset, limit, options),
      queryStatus: (queryId) => client.queryStatus(queryId),
    };
  }
}
