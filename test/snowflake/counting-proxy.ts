/**
 * A loopback HTTP proxy in front of the emulator that counts requests by path, so tests can see
 * which round trips the driver really made (heartbeats, logins, statements) without stubbing it.
 */
import { createServer, request } from 'node:http';
import type { Server } from 'node:http';
import { listenOnLoopback } from '../helpers/listen.js';

/** A started proxy. */
export interface CountingProxy {
  readonly port: number;
  /** Requests seen for a path (query string ignored), e.g. `/session/heartbeat`. */
  count(path: string): number;
  /** Forgets every count. */
  reset(): void;
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 (ephemeral port) forwarding every request to `target`. */
export async function startCountingProxy(target: { host: string; port: number }): Promise<CountingProxy> {
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const upstream = request(
      { host: target.host, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  const port = await listenOnLoopback(server);
  return {
    port,
    count: (path) => counts.get(path) ?? 0,
    reset: () => counts.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
