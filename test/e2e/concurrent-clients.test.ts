import { expect } from 'chai';
import type { E2eServer } from './helpers.js';
import {
  connectHttp,
  connectSse,
  connectWebSocket,
  modernRequest,
  startE2eServer,
  tabular,
} from './helpers.js';

/** One client of the crowd: how it connects, runs SQL and leaves. */
interface CrowdClient {
  readonly label: string;
  query(sql: string): Promise<unknown[][]>;
  close(): Promise<void>;
}

const CALLS_PER_CLIENT = 3;

describe('e2e: 50 concurrent clients over mixed transports', function () {
  let server: E2eServer;

  before(async () => {
    server = await startE2eServer();
  });
  after(async () => {
    expect(await server.stop()).to.equal(0);
  });

  async function open(kind: string, index: number): Promise<CrowdClient> {
    const label = `${kind}#${index}`;
    const args = (sql: string): { name: string; arguments: Record<string, unknown> } => ({
      name: 'execute_query',
      arguments: { sql },
    });
    if (kind === 'http') {
      const { client } = await connectHttp(server.base, label);
      return {
        label,
        query: async (sql) => tabular(await client.callTool(args(sql))).rows,
        close: () => client.close(),
      };
    }
    if (kind === 'stateless') {
      let id = 0;
      return {
        label,
        query: async (sql) => {
          const { status, body } = await modernRequest(server.base, 'tools/call', args(sql), ++id);
          if (status !== 200 || !body.result)
            throw new Error(`${label}: HTTP ${status} ${JSON.stringify(body)}`);
          return tabular(body.result).rows;
        },
        close: () => Promise.resolve(),
      };
    }
    const client =
      kind === 'sse' ? await connectSse(server.base, label) : await connectWebSocket(server.base, label);
    return {
      label,
      query: async (sql) => tabular(await client.callTool(args(sql))).rows,
      close: () => client.close(),
    };
  }

  it('gives every client exactly its own answers, none failing', async () => {
    const kinds = [
      ...Array<string>(15).fill('http'),
      ...Array<string>(15).fill('stateless'),
      ...Array<string>(10).fill('sse'),
      ...Array<string>(10).fill('websocket'),
    ];
    const clients = await Promise.all(kinds.map((kind, i) => open(kind, i)));
    try {
      const outcomes = await Promise.allSettled(
        clients.map(async (client, c) => {
          const answers: unknown[][][] = [];
          for (let k = 0; k < CALLS_PER_CLIENT; k++) {
            answers.push(await client.query(`SELECT ${c} AS C, ${k} AS K, '${client.label}' AS WHO`));
          }
          return answers;
        }),
      );
      const failures = outcomes.flatMap((o, c) =>
        o.status === 'rejected' ? [`${clients[c].label}: ${String(o.reason)}`] : [],
      );
      expect(failures).to.deep.equal([]);
      outcomes.forEach((o, c) => {
        const answers = (o as PromiseFulfilledResult<unknown[][][]>).value;
        const wanted = Array.from({ length: CALLS_PER_CLIENT }, (_, k) => [[c, k, clients[c].label]]);
        expect(answers, clients[c].label).to.deep.equal(wanted);
      });
    } finally {
      await Promise.allSettled(clients.map((c) => c.close()));
    }
  });
});
