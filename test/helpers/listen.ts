/**
 * Binds a test or benchmark server to an ephemeral port on 127.0.0.1 (never beyond loopback).
 */
import type { AddressInfo, Server } from 'node:net';

/** Listens on 127.0.0.1 with a port the system picks; resolves with that port. */
export async function listenOnLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
