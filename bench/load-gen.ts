/**
 * A small keep-alive HTTP load generator for MCP: N concurrent clients, each on its own
 * keep-alive socket, each sending the next request as soon as the previous answer is complete.
 * Every response is timed (sub-millisecond, unlike autocannon's histogram) and its body checked:
 * plain JSON or SSE-framed (`event: message` / `data: …`), the JSON-RPC response with the sent id
 * must carry a result the caller's `check` accepts. Used instead of autocannon so every response
 * is verified and timed without another dependency.
 */
import { Agent, request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { readResponse } from '../test/helpers/read-response.js';

/** What one client sends: headers and a JSON-RPC body for request id `id`. */
export interface ClientPlan {
  readonly headers: Record<string, string>;
  readonly body: (id: number) => string;
}

/** A load run. */
export interface LoadSpec {
  /** Full endpoint URL, e.g. http://127.0.0.1:1234/mcp. */
  readonly url: string;
  readonly connections: number;
  readonly durationMs: number;
  /** Per-client set-up (e.g. initialize a session); its requests are not counted. */
  readonly plan: (client: number, post: Poster) => Promise<ClientPlan>;
  /** Accepts the JSON-RPC `result` of a correct answer. */
  readonly check: (result: unknown) => boolean;
  /** Per-client tear-down (e.g. DELETE the session). */
  readonly teardown?: (plan: ClientPlan, post: Poster) => Promise<void>;
}

/** What a run measured. */
export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly errorSamples: string[];
  readonly elapsedMs: number;
  readonly rps: number;
  /** Per-response latencies in ms (successful responses only). */
  readonly latencies: number[];
}

/** What runLoad measured: a LoadResult plus how often each HTTP status other than 200 answered. */
export interface HttpLoadResult extends LoadResult {
  /** Answers per HTTP status other than 200 (e.g. `{ "429": 3 }`); transport failures are not in it. */
  readonly statuses: Readonly<Record<string, number>>;
}

/** One HTTP exchange's outcome. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

/** Sends one request on the shared keep-alive agent. */
export type Poster = (method: string, headers: Record<string, string>, body?: string) => Promise<HttpAnswer>;

/** Creates a Poster for `url` over `agent`. */
export function poster(url: string, agent: Agent): Poster {
  const target = new URL(url);
  return (method, headers, body) =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method,
          headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (res) => void readResponse(res).then(resolve, reject),
      );
      req.on('error', reject);
      req.end(body);
    });
}

/** The JSON-RPC messages in a body: one JSON document, or the `data:` payloads of SSE events. */
export function rpcMessages(answer: HttpAnswer): unknown[] {
  const type = String(answer.headers['content-type'] ?? '');
  if (!type.includes('text/event-stream')) return [JSON.parse(answer.text) as unknown];
  const out: unknown[] = [];
  for (const event of answer.text.split(/\r?\n\r?\n/)) {
    const data = event
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).trimStart())
      .join('\n');
    if (data) out.push(JSON.parse(data) as unknown);
  }
  return out;
}

/** The result of the response to `id`, or a string saying what was wrong. */
export function resultFor(answer: HttpAnswer, id: number): { result: unknown } | string {
  if (answer.status !== 200) return `HTTP ${answer.status}: ${answer.text.slice(0, 200)}`;
  let messages: unknown[];
  try {
    messages = rpcMessages(answer);
  } catch {
    return `unparsable body: ${answer.text.slice(0, 200)}`;
  }
  for (const m of messages) {
    if (typeof m !== 'object' || m === null) continue;
    const msg = m as { id?: unknown; result?: unknown; error?: unknown };
    if (msg.id !== id) continue;
    if (msg.error !== undefined) return `JSON-RPC error: ${JSON.stringify(msg.error).slice(0, 200)}`;
    return { result: msg.result };
  }
  return `no response for id ${id}: ${answer.text.slice(0, 200)}`;
}

/** Runs the load and returns what it measured. Every socket it opened is closed again. */
export async function runLoad(spec: LoadSpec): Promise<HttpLoadResult> {
  const agent = new Agent({
    keepAlive: true,
    maxSockets: spec.connections,
    maxFreeSockets: spec.connections,
  });
  const post = poster(spec.url, agent);
  const plans = await Promise.all(Array.from({ length: spec.connections }, (_, i) => spec.plan(i, post)));
  const statuses: Record<string, number> = {};
  const result = await closedLoop(plans.length, spec.durationMs, async (i, id) => {
    const plan = plans[i];
    let verdict: { result: unknown } | string;
    try {
      const answer = await post('POST', plan.headers, plan.body(id));
      if (answer.status !== 200) statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      verdict = resultFor(answer, id);
    } catch (error) {
      return `transport: ${String(error)}`;
    }
    if (typeof verdict === 'string') return verdict;
    return spec.check(verdict.result)
      ? undefined
      : `wrong result: ${JSON.stringify(verdict.result).slice(0, 200)}`;
  });
  if (spec.teardown) await Promise.allSettled(plans.map((p) => spec.teardown!(p, post)));
  agent.destroy();
  return { ...result, statuses };
}

/**
 * Runs `clients` closed loops until `durationMs` has passed: each calls `attempt(client, n)` (n
 * counts that client's attempts from 2, usable as a JSON-RPC id), which resolves undefined for a
 * correct answer or a short description of what was wrong. Latencies are kept for correct answers.
 */
export async function closedLoop(
  clients: number,
  durationMs: number,
  attempt: (client: number, n: number) => Promise<string | undefined>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let requests = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const loop = async (client: number): Promise<void> => {
    for (let n = 2; performance.now() < deadline; n++) {
      const t0 = performance.now();
      const wrong = await attempt(client, n);
      const ms = performance.now() - t0;
      requests++;
      if (wrong === undefined) {
        latencies.push(ms);
        continue;
      }
      errors++;
      if (errorSamples.length < 5) errorSamples.push(wrong);
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, i) => loop(i)));
  const elapsedMs = performance.now() - started;
  return { requests, errors, errorSamples, elapsedMs, rps: (requests * 1000) / elapsedMs, latencies };
}
