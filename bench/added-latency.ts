/**
 * Issue 3's added latency per call (target ≤ 1 ms p50): execute_query SELECT 1 through MCP (one
 * client, sequential, a 2025-11-25 session over Streamable HTTP) minus client.query SELECT 1 inside
 * the smcp process (the server child's `direct` op), in interleaved blocks so drift hits both alike.
 */
import { Agent } from 'node:http';
import { poster, resultFor } from './load-gen.js';
import { percentile, round } from './measure.js';
import { SELECT1_TOOL, endSession, sessionPlan } from './mcp-plans.js';
import type { ServerProc } from './server-proc.js';

/** What measureAddedLatency reports. */
export interface AddedLatency {
  readonly calls: number;
  readonly viaMcp: { p50Ms: number; p99Ms: number };
  readonly clientQuery: { p50Ms: number; p99Ms: number };
  readonly addedP50Ms: number;
  readonly targetAddedP50Ms: number;
  readonly met: boolean;
}

/** Measures `calls` calls each way against an smcp server child (mode `smcp`). */
export async function measureAddedLatency(server: ServerProc, calls: number): Promise<AddedLatency> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const post = poster(`${server.url}/mcp`, agent);
  const plan = await sessionPlan(SELECT1_TOOL, post);
  const viaMcp: number[] = [];
  const direct: number[] = [];
  const blocks = 10;
  const perBlock = Math.ceil(calls / blocks);
  let id = 10;
  try {
    for (let i = 0; i < 50; i++) resultFor(await post('POST', plan.headers, plan.body(++id)), id);
    await server.ask({ op: 'direct', n: 50 });
    for (let b = 0; b < blocks; b++) {
      for (let i = 0; i < perBlock; i++) {
        const t0 = performance.now();
        const answer = await post('POST', plan.headers, plan.body(++id));
        const ms = performance.now() - t0;
        const verdict = resultFor(answer, id);
        if (typeof verdict === 'string' || !SELECT1_TOOL.check(verdict.result))
          throw new Error(`latency call failed: ${typeof verdict === 'string' ? verdict : 'wrong result'}`);
        viaMcp.push(ms);
      }
      const reply = await server.ask<{ samples?: number[]; error?: string }>({ op: 'direct', n: perBlock });
      if (!reply.samples) throw new Error(`direct query failed: ${reply.error}`);
      direct.push(...reply.samples);
    }
    await endSession(plan, post);
  } finally {
    agent.destroy();
  }
  const mcpP50 = percentile(viaMcp, 50);
  const directP50 = percentile(direct, 50);
  const added = round(mcpP50 - directP50, 3);
  return {
    calls: viaMcp.length,
    viaMcp: { p50Ms: round(mcpP50, 3), p99Ms: round(percentile(viaMcp, 99), 3) },
    clientQuery: { p50Ms: round(directP50, 3), p99Ms: round(percentile(direct, 99), 3) },
    addedP50Ms: added,
    targetAddedP50Ms: 1,
    met: added <= 1,
  };
}
