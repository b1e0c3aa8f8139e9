import { expect } from 'chai';
import express from 'express';
import type { Request, Response } from 'express';
import { IncomingMessage, ServerResponse, createServer } from 'node:http';
import type { Server } from 'node:http';
import { expressShapedClasses } from '../../src/transports/express-shaped.js';

interface Seen {
  readonly bornWithAppPrototypes: boolean;
  readonly nodeInstances: boolean;
  readonly appOfRequest: boolean;
}

/** A server whose app records what its requests looked like when express handed them over. */
async function serve(adopt: boolean): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const shaped = expressShapedClasses();
  const app = express();
  const seen: Seen[] = [];
  const server = createServer({
    IncomingMessage: shaped.IncomingMessage,
    ServerResponse: shaped.ServerResponse,
  });
  // Captured before express's own prototype swap: what Node built.
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    seen.push({
      bornWithAppPrototypes:
        Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response,
      nodeInstances: req instanceof IncomingMessage && res instanceof ServerResponse,
      appOfRequest: false,
    });
  });
  app.get('/who', (req: Request, res: Response) => {
    seen[seen.length - 1] = { ...seen[seen.length - 1], appOfRequest: req.app === app };
    res.status(201).set('X-Probe', 'yes').json({ path: req.path, method: req.method });
  });
  if (adopt) shaped.adopt(app);
  server.on('request', app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, url: `http://127.0.0.1:${port}`, seen };
}

describe('express-shaped request and response classes', () => {
  for (const adopt of [true, false]) {
    it(`serves express's request and response methods ${adopt ? 'with' : 'before'} adopting the app`, async () => {
      const { server, url, seen } = await serve(adopt);
      try {
        for (let i = 0; i < 3; i++) {
          const res = await fetch(`${url}/who?x=1`);
          expect(res.status).to.equal(201);
          expect(res.headers.get('x-probe')).to.equal('yes');
          expect(await res.json()).to.deep.equal({ path: '/who', method: 'GET' });
        }
        expect(seen).to.have.length(3);
        for (const s of seen) {
          expect(s.nodeInstances).to.equal(true);
          expect(s.appOfRequest).to.equal(true);
          // Adopted: Node builds them with the app's prototypes, so express's swap is a no-op.
          expect(s.bornWithAppPrototypes).to.equal(adopt);
        }
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  }

  it('leaves an object that is not an express app as it is', () => {
    const shaped = expressShapedClasses();
    const notAnApp = { request: {}, response: {} };
    shaped.adopt(notAnApp);
    expect(notAnApp.request).to.deep.equal({});
    expect(Object.getPrototypeOf(shaped.IncomingMessage.prototype)).to.equal(IncomingMessage.prototype);
  });
});
