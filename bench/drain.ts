/**
 * Drain under load (issue 5: requests lost must be 0): the real daemon (`smcp start --port 0`, an
 * isolated home, the embedded emulator), N official v2 SDK clients over Streamable HTTP each with a
 * long-ish execute_query (SYSTEM$WAIT) in flight, then `smcp drain --json` while they run. Counts
 * the calls that completed with the right answer and those lost (an error, a wrong answer, no
 * answer), and checks that a session opened after the drain is refused (503, "the server is draining"), not hung.
 * N stays at the daemon's per-client concurrency limit (16 by default; every bench client is
 * 127.0.0.1): beyond it calls would be refused before the drain, which is not what is measured.
 */
import { spawnSync } from 'node:child_process';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { benchHome, SMCP_BIN } from './bench-home.js';
import { round } from './measure.js';

/** What runDrain reports. */
export interface DrainResult {
  readonly callsInFlight: number;
  readonly callSeconds: number;
  readonly inFlightAtDrainStart: number;
  readonly completed: number;
  readonly lost: number;
  readonly lostSamples: string[];
  readonly cancelledByDeadline: number;
  readonly drainWallMs: number;
  readonly refusedAfterDrain: boolean;
  readonly met: boolean;
}

/** Runs the scenario with `calls` calls of `waitMs` each; stops the daemon it started. */
export async function runDrain(calls: number, waitMs: number): Promise<DrainResult> {
  const home = benchHome('smcp-bench-drain-');
  const smcp = (args: string[], timeout = 60_000) => {
    const run = spawnSync(process.execPath, [SMCP_BIN, ...args], {
      env: home.env,
      encoding: 'utf8',
      timeout,
    });
    if (run.status !== 0) throw new Error(`smcp ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
    return run.stdout;
  };
  const clients: Client[] = [];
  try {
    smcp(['start', '--port', '0', '--drain-timeout', '60']);
    const status = () =>
      JSON.parse(smcp(['status', '--json'])) as { endpoints: { mcp: string }; inFlight: unknown[] };
    const url = new URL(status().endpoints.mcp);
    for (let i = 0; i < calls; i++) {
      const client = new Client({ name: `drain-${i}`, version: '1' });
      await client.connect(new StreamableHTTPClientTransport(url));
      clients.push(client);
    }
    const outcomes = clients.map((client, i) =>
      client
        .callTool(
          {
            name: 'execute_query',
            arguments: { sql: `SELECT SYSTEM$WAIT(${waitMs}, 'MILLISECONDS') AS W${i}` },
          },
          { timeout: 120_000 },
        )
        .then(
          (r) =>
            (r as { isError?: boolean }).isError ? `tool error: ${JSON.stringify(r).slice(0, 200)}` : 'ok',
          (e: unknown) => `failed: ${String(e)}`,
        ),
    );
    // Drain only once every call is in the daemon's hands.
    const deadline = Date.now() + 10_000;
    let inFlight = 0;
    while ((inFlight = status().inFlight.length) < calls && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 25));
    const t0 = performance.now();
    const drained = JSON.parse(smcp(['drain', '--json'], 120_000)) as {
      inFlightAtStart: number;
      cancelled: number;
    };
    const drainWallMs = performance.now() - t0;
    const verdicts = await Promise.all(outcomes);
    const lostSamples = verdicts.filter((v) => v !== 'ok');
    let refusedAfterDrain = false;
    try {
      const late = new Client({ name: 'late', version: '1' });
      await late.connect(new StreamableHTTPClientTransport(url));
      await late.close();
    } catch (error) {
      // The SDK error carries the daemon's JSON-RPC body, not the status code.
      refusedAfterDrain = /draining|503/i.test(String(error));
    }
    const lost = lostSamples.length;
    return {
      callsInFlight: calls,
      callSeconds: waitMs / 1000,
      inFlightAtDrainStart: drained.inFlightAtStart,
      completed: calls - lost,
      lost,
      lostSamples: lostSamples.slice(0, 3),
      cancelledByDeadline: drained.cancelled,
      drainWallMs: round(drainWallMs, 0),
      refusedAfterDrain,
      met: lost === 0 && inFlight === calls,
    };
  } finally {
    await Promise.allSettled(clients.map((c) => c.close()));
    spawnSync(process.execPath, [SMCP_BIN, 'stop', '--force', '--timeout', '0'], {
      env: home.env,
      timeout: 30_000,
    });
    home.remove();
  }
}
