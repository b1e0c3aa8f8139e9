/**
 * The status page in a real headless Chromium (Debian's chromium, driven by playwright-core, which
 * never downloads a browser) against the real daemon with a bearer token: the login link trades
 * the token for a cookie, the page shows the same numbers as `/status`, lists a slow call in
 * flight, and its Cancel button cancels the statement in the emulator exactly as a client's own
 * cancel does. A foreign Origin or Host, or a missing token, is refused as on /mcp; the page works
 * under its strict CSP (no violation is logged) and cannot be framed. Takes a screenshot, kept as
 * docs/status-page.png (the README's) when SMCP_UPDATE_SCREENSHOT=1, else in the browser's temp profile.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import type { E2eServer, ToolAnswer } from './helpers.js';
import { runSmcp } from '../helpers/cli.js';
import { answer, eventually, HISTORY_SQL, startE2eServer, tabular, textOf } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'status-page-token-4b1f9e27c0d8';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const SLOW_SQL = 'SELECT SYSTEM$WAIT(50)';
const README_SCREENSHOT = join(ROOT, 'docs', 'status-page.png');

/** Runs scripts/ensure-chromium.sh; the reason it gives when Chromium cannot be had. */
function ensureChromium(): string | undefined {
  const run = spawnSync('bash', [join(ROOT, 'scripts', 'ensure-chromium.sh')], {
    encoding: 'utf8',
    timeout: 15 * 60_000,
  });
  if (run.status === 0) return undefined;
  const said = `${run.stderr ?? ''}`.trim().split('\n').pop();
  return said || `scripts/ensure-chromium.sh failed (${run.error?.message ?? `exit ${run.status}`})`;
}

/** Status and catalogue code of an answer (JSON-RPC refusals carry it in error.data.code). */
async function refusal(res: Response): Promise<{ status: number; code: unknown }> {
  const body = (await res.json()) as { error?: { code?: unknown; data?: { code?: unknown } } };
  const code = typeof body.error?.code === 'string' ? body.error.code : body.error?.data?.code;
  return { status: res.status, code };
}

/** GET `path` with a raw Host header (fetch may not set one). */
function getWithHost(base: string, path: string, host: string): Promise<number> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path, headers: { host, ...AUTH }, agent: false },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.once('error', reject);
    req.end();
  });
}

interface StatusDoc {
  status: string;
  sessions: Record<string, number>;
  connections: Record<string, number>;
  inFlight: { requestId: string; tool?: string }[];
}

async function status(base: string): Promise<StatusDoc> {
  const res = await fetch(`${base}/status`, { headers: AUTH });
  expect(res.status).to.equal(200);
  return (await res.json()) as StatusDoc;
}

/**
 * What the page shows in the places /status also answers (read through locators: functions sent
 * to page.evaluate would carry the test transpiler's helpers into the page).
 */
async function shown(page: Page): Promise<Omit<StatusDoc, 'inFlight'> & { inFlight: number }> {
  const text = async (id: string): Promise<string> => (await page.locator(`#${id}`).textContent()) ?? '';
  const sessions: Record<string, number> = {};
  for (const dd of await page.locator('#sessions dd[data-key]').all()) {
    sessions[(await dd.getAttribute('data-key')) ?? ''] = Number(await dd.textContent());
  }
  return {
    status: await text('state'),
    sessions,
    connections: {
      http: Number(await text('conn-http')),
      sse: Number(await text('conn-sse')),
      websocket: Number(await text('conn-websocket')),
    },
    inFlight: Number(await text('in-flight-count')),
  };
}

describe('e2e: status page in a headless browser', function () {
  this.timeout(180_000);
  let server: E2eServer | undefined;
  let client: Client | undefined;
  let browser: BrowserContext | undefined;
  let profile: string | undefined;

  before(async function () {
    // Installing Chromium with apt-get on a fresh machine takes minutes; the test itself does not.
    this.timeout(16 * 60_000);
    const missing = ensureChromium();
    if (missing) {
      console.log(`      skipping the status page browser test: no headless Chromium (${missing})`);
      this.skip();
    }
    server = await startE2eServer([], 30_000, { SMCP_TOKEN: TOKEN });
    client = new Client({ name: 'status-page-client', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.base}/mcp`), { requestInit: { headers: AUTH } }),
    );
    profile = mkdtempSync(join(tmpdir(), 'smcp-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 800 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  after(async () => {
    await browser?.close().catch(() => {});
    if (profile) rmSync(profile, { recursive: true, force: true });
    await client?.close().catch(() => {});
    await server?.stop();
  });

  it('refuses a missing token, a foreign Origin and a foreign Host as /mcp does', async () => {
    const base = server!.base;
    for (const path of ['/', '/ui', '/ui/state', '/ui/app.js']) {
      const page = await refusal(await fetch(`${base}${path}`));
      const mcp = await refusal(await fetch(`${base}/mcp`, { method: 'POST' }));
      expect(page, `${path} without token`).to.deep.equal({ status: 401, code: 'UNAUTHORIZED' });
      expect(mcp.status, '/mcp without token').to.equal(401);
      const wrong = await fetch(`${base}${path}`, { headers: { authorization: 'Bearer not-the-token' } });
      expect(wrong.status, `${path} with a wrong token`).to.equal(401);
      const foreign = await fetch(`${base}${path}`, { headers: { ...AUTH, origin: 'http://evil.example' } });
      expect(await refusal(foreign), `${path} from a foreign Origin`).to.deep.equal({
        status: 403,
        code: 'FORBIDDEN',
      });
      expect(await getWithHost(base, path, 'evil.example:80'), `${path} for a foreign Host`).to.equal(403);
    }
    // The cookie the page uses is good on the page's paths only.
    const cookie = { cookie: `smcp_ui=${TOKEN}` };
    expect((await fetch(`${base}/ui/state`, { headers: cookie })).status).to.equal(200);
    expect((await fetch(`${base}/status`, { headers: cookie })).status).to.equal(401);
    expect((await fetch(`${base}/mcp`, { method: 'POST', headers: cookie })).status).to.equal(401);
    // A cancel without the page's CSRF token, or from another origin, is refused before it is read.
    const post = (headers: Record<string, string>): Promise<Response> =>
      fetch(`${base}/ui/cancel`, {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ requestId: 'x' }),
      });
    expect(await refusal(await post({ origin: base }))).to.deep.equal({ status: 403, code: 'FORBIDDEN' });
    expect(await refusal(await post({ 'x-smcp-csrf': '1.abc' }))).to.deep.equal({
      status: 403,
      code: 'FORBIDDEN',
    });
  });

  it('shows what /status says, lists a slow call and cancels it in Snowflake from the browser', async () => {
    const base = server!.base;
    // Some history for the recent calls, the sparkline and the refusals.
    for (const rows of [1, 50, 500]) {
      tabular(
        await client!.callTool({
          name: 'execute_query',
          arguments: { sql: `SELECT ID FROM SAMPLE_DB.SALES.EVENTS ORDER BY ID LIMIT ${rows}` },
        }),
      );
    }
    const refused = answer(
      await client!.callTool({
        name: 'execute_query',
        arguments: { sql: 'DROP TABLE SAMPLE_DB.SALES.EVENTS' },
      }),
    );
    expect(refused.isError).to.equal(true);

    const slow = client!.callTool(
      { name: 'execute_query', arguments: { sql: SLOW_SQL } },
      { timeout: 170_000 },
    ) as Promise<ToolAnswer>;
    const slowSettled = slow.then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    );
    const requestId = await eventually(async () => {
      const call = (await status(base)).inFlight.find((r) => r.tool === 'execute_query');
      return call?.requestId;
    });

    const page = await browser!.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} for ${r.url()}`);
    });
    const response = await page.goto(`${base}/ui?token=${TOKEN}`);
    // The login link leaves the address bar at once; the cookie carries the token from then on.
    expect(new URL(page.url()).pathname + new URL(page.url()).search).to.equal('/ui');
    const csp = response!.headers()['content-security-policy'];
    expect(csp).to.include("default-src 'self'").and.include("frame-ancestors 'none'");
    expect(csp).not.to.include('unsafe-inline');
    expect(response!.headers()['x-frame-options']).to.equal('DENY');

    const row = page.locator(`#in-flight tr[data-request-id="${requestId}"]`);
    await row.waitFor({ timeout: 20_000 });
    expect(await row.locator('td').first().textContent()).to.equal('execute_query');
    // The page's numbers are /status's: polled until both have seen the same moment.
    const agreed = await eventually(async () => {
      const [doc, onPage] = await Promise.all([status(base), shown(page)]);
      const expected = { ...doc, inFlight: doc.inFlight.length };
      const same =
        onPage.status === expected.status &&
        onPage.inFlight === expected.inFlight &&
        JSON.stringify(onPage.sessions) === JSON.stringify(expected.sessions) &&
        JSON.stringify(onPage.connections) === JSON.stringify(expected.connections);
      return same ? onPage : undefined;
    }, 20_000);
    expect(agreed.status).to.equal('serving');
    expect(agreed.inFlight).to.equal(1);
    expect(agreed.sessions.http).to.equal(1);
    await page.locator('#recent tr').first().waitFor();
    expect(await page.locator('#recent tr').count()).to.be.at.least(4);
    expect(await page.locator('#refusals dd[data-key="ddl"]').textContent()).to.equal('1');
    expect(await page.locator('#spark-line').getAttribute('points')).to.match(
      /^[\d.]+,[\d.]+( [\d.]+,[\d.]+)+$/,
    );
    // The README's picture changes only on request, so a test run leaves the checkout clean.
    const screenshot =
      process.env.SMCP_UPDATE_SCREENSHOT === '1'
        ? README_SCREENSHOT
        : join(profile ?? tmpdir(), 'status-page.png');
    await page.screenshot({ path: screenshot, fullPage: true });

    await row.locator('button.cancel').click();
    const settled = await slowSettled;
    expect(settled, 'the client gets an answer, not a dropped request').to.have.property('result');
    const result = (settled as { result: ToolAnswer }).result;
    expect(result.isError).to.equal(true);
    expect(textOf(result)).to.match(/^QUERY_CANCELLED: /);
    // The statement is gone from the emulator, cancelled as a client's own cancel leaves it.
    const history = await eventually(async () => {
      const rows = tabular(
        await client!.callTool({ name: 'execute_query', arguments: { sql: HISTORY_SQL } }),
      ).rows;
      const found = rows.find((r) => r[0] === SLOW_SQL);
      return found && found[1] !== 'RUNNING' ? { status: found[1], errorCode: found[2] } : undefined;
    }, 20_000);
    expect(history).to.deep.equal({ status: 'FAILED_WITH_ERROR', errorCode: '000604' });
    await row.waitFor({ state: 'detached', timeout: 20_000 });
    expect(problems, 'console errors (a CSP violation would show here)').to.deep.equal([]);
    await page.close();
  });

  it('keeps showing the daemon while it drains, as draining', async () => {
    const page = await browser!.newPage();
    try {
      await page.goto(`${server!.base}/ui?token=${TOKEN}`);
      await page.locator('#state[data-state="serving"]').waitFor({ timeout: 20_000 });
      const drained = await runSmcp(['drain', '--timeout', '0', '--json'], server!.home.env, 60_000);
      expect(drained.code, drained.stderr).to.equal(0);
      await page.locator('#state[data-state="draining"]').waitFor({ timeout: 20_000 });
      expect((await status(server!.base)).status).to.equal('draining');
      expect(await page.locator('#state').textContent()).to.equal('draining');
    } finally {
      await page.close();
    }
  });
});
