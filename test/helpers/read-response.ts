/**
 * Reads a node:http response to its end, for tests and benchmarks that use node:http directly
 * (free Host headers, their own agents).
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** A response read to its end. */
export interface ReadResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

/** Resolves with status, headers and the body as text once `res` ends; rejects on a stream error. */
export function readResponse(res: IncomingMessage): Promise<ReadResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () =>
      resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString() }),
    );
    res.on('error', reject);
  });
}
