/**
 * Every refusal and error reaches every client with smcp's error code and the reason: the same
 * failing calls (a refused DELETE, a missing table, a syntax error, a bad value, a misspelt
 * argument, an unknown tool) against the real `smcp start` on the embedded emulator, through the
 * v1 and v2 TypeScript SDK clients, two generations of the MCP Inspector CLI (each checks
 * structuredContent against the tool's output schema, as clients may), the plain HTTP tool API
 * and `smcp call` through the daemon's admin socket.
 */
import { expect } from 'chai';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1HttpTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { findModernNode } from '../helpers/node-lts.js';
import type { NodeRuntime } from '../helpers/node-lts.js';
import { runSmcp } from '../helpers/cli.js';
import type { CliRun } from '../helpers/cli.js';
import {
  INSPECTOR_VERSIONS,
  LOOPBACK_GUARD_MARK,
  inspectorCallTool,
  installInspector,
  runGuarded,
} from '../helpers/inspector.js';
import type { Inspector } from '../helpers/inspector.js';
import type { E2eServer } from './helpers.js';
import { connectHttp, modernRequest, startE2eServer } from './helpers.js';

/** How a case fails: a tool error result, a request the tool cannot take, or no such tool. */
type Kind = 'result' | 'arguments' | 'tool';

interface ErrorCase {
  readonly title: string;
  readonly kind: Kind;
  readonly tool: string;
  readonly args: Record<string, string | number>;
  readonly code: string;
  /** The reason as the text must say it. */
  readonly reason: RegExp;
}

const CASES: readonly ErrorCase[] = [
  {
    title: 'a refused DELETE',
    kind: 'result',
    tool: 'execute_query',
    args: { sql: 'DELETE FROM SAMPLE_DB.SALES.ORDERS' },
    code: 'STATEMENT_REFUSED',
    reason: /DML \(DELETE\); smcp is read-only/,
  },
  {
    title: 'a missing table',
    kind: 'result',
    tool: 'execute_query',
    args: { sql: 'SELECT * FROM SAMPLE_DB.SALES.NO_SUCH_TABLE' },
    code: 'NOT_FOUND',
    reason: /Object 'NO_SUCH_TABLE' does not exist/,
  },
  {
    title: 'a SQL syntax error',
    kind: 'result',
    tool: 'execute_query',
    args: { sql: 'SELECT * FROM SAMPLE_DB.SALES.ORDERS WHERE' },
    code: 'SQL_SYNTAX',
    reason: /syntax error line 1 at position \d+/,
  },
  {
    title: 'an invalid argument value',
    kind: 'arguments',
    tool: 'execute_query',
    args: { sql: 'SELECT 1', max_rows: 0 },
    code: 'USAGE',
    reason: /invalid arguments for execute_query: 'max_rows': /,
  },
  {
    title: 'a misspelt argument',
    kind: 'arguments',
    tool: 'list_tables',
    args: { databse: 'SAMPLE_DB' },
    code: 'USAGE',
    reason:
      /unknown argument 'databse' \(did you mean 'database'\?\); list_tables takes: database, schema, like/,
  },
  {
    title: 'an unknown tool',
    kind: 'tool',
    tool: 'no_such_tool',
    args: {},
    code: 'NOT_FOUND',
    reason: /unknown tool "no_such_tool"; tools: list_databases, /,
  },
];

/** What a client's tool call gives its user: the result, or the error it threw. */
interface Shown {
  readonly result?: {
    isError?: boolean;
    content?: { type: string; text?: string }[];
    structuredContent?: unknown;
    _meta?: Record<string, unknown>;
  };
  readonly thrown?: string;
  readonly thrownCode?: unknown;
}

function textOfShown(shown: Shown): string {
  if (shown.thrown !== undefined) return shown.thrown;
  return (shown.result?.content ?? []).map((block) => block.text ?? '').join('\n');
}

/** An SDK client's view of a failed call: an isError result without structuredContent, or a protocol error. */
function expectSdkShows(shown: Shown, c: ErrorCase): void {
  const text = textOfShown(shown);
  expect(text, c.title).to.contain(`${c.code}: `).and.match(c.reason);
  expect(text, c.title).to.not.match(/does not match the tool's output schema/);
  if (c.kind === 'tool') {
    expect(shown.thrownCode, c.title).to.equal(-32602);
    return;
  }
  expect(shown.result?.isError, c.title).to.equal(true);
  expect(shown.result?.structuredContent, c.title).to.equal(undefined);
  expect(text, c.title).to.match(/\nHint: \S/);
  expect(shown.result?._meta?.['smcp/error'], c.title).to.include({ code: c.code });
}

async function capture(call: () => Promise<unknown>): Promise<Shown> {
  try {
    return { result: (await call()) as Shown['result'] };
  } catch (err) {
    return {
      thrown: err instanceof Error ? err.message : String(err),
      thrownCode: (err as { code?: unknown }).code,
    };
  }
}

describe('e2e: error results every client can read', function () {
  this.timeout(60_000);
  let server: E2eServer;

  before(async function () {
    this.timeout(60_000);
    server = await startE2eServer();
  });
  after(async () => {
    expect(await server?.stop()).to.equal(0);
  });

  it('shows code, reason and hint through the v1 SDK client (which checks output schemas)', async () => {
    const client = new V1Client({ name: 'e2e-v1', version: '1' });
    await client.connect(new V1HttpTransport(new URL(`${server.base}/mcp`)));
    try {
      // Listing first is what makes the v1 client check structuredContent against output schemas.
      const { tools } = await client.listTools();
      expect(tools.find((t) => t.name === 'execute_query')?.outputSchema).to.have.property('type', 'object');
      for (const c of CASES) {
        expectSdkShows(await capture(() => client.callTool({ name: c.tool, arguments: c.args })), c);
      }
    } finally {
      await client.close();
    }
  });

  it('shows code, reason and hint through the v2 SDK client', async () => {
    const { client } = await connectHttp(server.base, 'e2e-v2');
    try {
      await client.listTools();
      for (const c of CASES) {
        expectSdkShows(await capture(() => client.callTool({ name: c.tool, arguments: c.args })), c);
      }
    } finally {
      await client.close();
    }
  });

  it('answers stateless 2026-07-28 requests the same way', async () => {
    let id = 0;
    for (const c of CASES) {
      const { status, body } = await modernRequest(
        server.base,
        'tools/call',
        { name: c.tool, arguments: c.args },
        ++id,
      );
      expect(status, c.title).to.equal(200);
      if (c.kind === 'tool') {
        expect(body.error?.code, c.title).to.equal(-32602);
        expect(body.error?.message, c.title).to.contain(`${c.code}: `).and.match(c.reason);
        continue;
      }
      expectSdkShows({ result: body.result }, c);
    }
  });

  it('answers the plain HTTP tool API with the error code and reason', async () => {
    for (const c of CASES) {
      const res = await fetch(`${server.base}/mcp/tools/call`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: c.tool, arguments: c.args }),
      });
      const body = (await res.json()) as {
        isError?: boolean;
        structuredContent?: unknown;
        content?: { text: string }[];
        error: { code: string; message: string; hint?: string; field?: string };
      };
      expect(res.status, c.title).to.equal({ result: 200, arguments: 400, tool: 404 }[c.kind]);
      expect(body.error.code, c.title).to.equal(c.code);
      expect(body.error.message, c.title).to.match(c.reason);
      if (c.kind === 'result') {
        expect(body.isError, c.title).to.equal(true);
        expect(body.structuredContent, c.title).to.equal(undefined);
        expect(body.error.hint, c.title).to.be.a('string').and.not.empty;
        expect(body.content?.[0]?.text, c.title).to.contain(`${c.code}: `);
      }
    }
  });

  it('prints code and reason from smcp call through the daemon: exit 1 for tool errors, 2 for usage', async () => {
    const runs = await Promise.all(
      CASES.map((c) =>
        runSmcp(
          ['call', c.tool, ...Object.entries(c.args).map(([key, value]) => `${key}=${value}`), '--json'],
          server.home.env,
        ),
      ),
    );
    CASES.forEach((c, i) => {
      const run = runs[i];
      expect(run.stderr, c.title)
        .to.match(c.reason)
        .and.not.match(/\n\s+at /);
      if (c.kind === 'result') {
        expect(run.code, c.title).to.equal(1);
        expect(run.stderr, c.title).to.contain(`smcp: ${c.code}: `).and.contain('smcp: Hint: ');
        expect((JSON.parse(run.stdout) as { error: { code: string } }).error.code, c.title).to.equal(c.code);
      } else {
        expect(run.code, c.title).to.equal(2);
        // One line naming what was wrong (and, for an argument, the nearest valid one).
        expect(run.stderr.trim().split('\n'), c.title).to.have.length(1);
        expect(run.stdout, c.title).to.equal('');
      }
    });
  });

  describe('through the MCP Inspector CLI', function () {
    let node: NodeRuntime;

    before(function () {
      // First run: Node 22 and the Inspectors come from npm (later runs use test/.cache).
      this.timeout(600_000);
      node = findModernNode();
    });

    it('keeps the Inspector on loopback: the guard refuses and reports anything else', async () => {
      const probe = await runGuarded(node, [
        '-e',
        "require('node:net').connect(80, '192.0.2.1').on('error', () => {}); require('node:dns').lookup('example.com', () => {});",
      ]);
      expect(probe.stderr).to.contain(`${LOOPBACK_GUARD_MARK} connection to 192.0.2.1:80`);
      expect(probe.stderr).to.contain(`${LOOPBACK_GUARD_MARK} DNS lookup of example.com`);
    });

    for (const version of INSPECTOR_VERSIONS) {
      it(`shows code and reason in Inspector ${version}, and stays on loopback`, async function () {
        this.timeout(600_000);
        const inspector: Inspector = await installInspector(version);
        const url = `${server.base}/mcp`;
        const runs: CliRun[] = [];
        // One at a time: each run is a Node process, and the machine may have two cores.
        for (const c of CASES) runs.push(await inspectorCallTool(inspector, node, url, c.tool, c.args));
        CASES.forEach((c, i) => {
          const run = runs[i];
          const shown = `${run.stdout}\n${run.stderr}`;
          expect(run.stderr, `${c.title}: ${shown}`).to.not.contain(LOOPBACK_GUARD_MARK);
          expect(shown, c.title).to.not.match(/does not match|must have required property/);
          if (c.kind === 'tool' && !version.startsWith('1.')) {
            // Inspector 2 looks the tool up in tools/list itself and never sends the call.
            expect(shown, c.title).to.match(/no_such_tool' not found/);
            return;
          }
          expect(shown, `${c.title}: ${shown}`).to.contain(`${c.code}: `).and.match(c.reason);
          if (c.kind !== 'tool') expect(shown, c.title).to.contain('Hint: ');
        });
      });
    }
  });
});
