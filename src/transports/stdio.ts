/**
 * MCP over stdio (`smcp stdio`): one McpServer for the process's stdin/stdout through the SDK's
 * connection entry, so both protocol eras work. Nothing but protocol is written to `output`; the
 * caller must keep logs off stdout. Requests run in a request context and are tracked.
 */
import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport, serveStdio } from '@modelcontextprotocol/server/stdio';
import { RequestTracker } from '../mcp/request-tracker.js';
import { TrackedTransport } from './tracked-transport.js';
import type { ServerFactory } from './contracts.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';

/** Options of {@link runStdio}. */
export interface StdioOptions {
  /** Where messages come from; default `process.stdin`. */
  input?: Readable;
  /** Where messages go; default `process.stdout`. */
  output?: Writable;
  /** Where requests are counted; a private tracker by default. */
  tracker?: RequestTracker;
  logger?: Logger;
}

/** The running stdio server. */
export interface StdioHandle {
  /** Resolves when the connection has ended (input closed or `close()` called). */
  readonly closed: Promise<void>;
  /** Ends the connection and closes the server. Idempotent. */
  close(): Promise<void>;
}

/** Serves MCP on stdio until the input ends. */
export function runStdio(factory: ServerFactory, options: StdioOptions = {}): StdioHandle {
  const logger = options.logger ?? silentLogger;
  const tracker = options.tracker ?? new RequestTracker();
  let markClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  const closeTracking = tracker.openSession('stdio');
  const tracked = new TrackedTransport(
    new StdioServerTransport(options.input, options.output),
    { transport: 'stdio', clientId: 'stdio', owner: 'local' },
    {
      tracker,
      onClosed: () => {
        closeTracking();
        markClosed();
      },
    },
  );
  const handle = serveStdio(() => factory(tracked.identity), {
    transport: tracked,
    onerror: (error) => logger.debug('stdio session error', { error: error.message }),
  });
  let closing: Promise<void> | undefined;
  return {
    closed,
    close: () => {
      closing ??= handle.close().then(() => closed);
      return closing;
    },
  };
}
