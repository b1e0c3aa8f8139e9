/**
 * What the security bench reads from the daemon besides its answers: `GET /status` sampled while
 * a phase runs (cheap: pool borrowed, requests in flight per transport), and, once a phase is
 * over, the greedy client's statements in the emulator's query history, from whose start and end
 * times the most that ran at once is computed (every instant, not only sampled ones; reading the
 * history copies up to 10,000 records inside the daemon, so it is never done while load is measured).
 */

/** One reading of `GET /status`. */
export interface StatusSample {
  readonly poolBorrowed: number;
  /** Requests in flight on 2025-era sessions (in this bench only the greedy client has one). */
  readonly sessionInFlight: number;
}

/** What the sampler saw over one or more phases. */
export interface SamplerFigures {
  readonly samples: number;
  readonly maxPoolBorrowed: number;
  readonly maxSessionInFlight: number;
}

/** Statements of one phase in the query history. */
export interface HistoryFigures {
  readonly statements: number;
  /** The most whose [START_TIME, END_TIME] overlapped. */
  readonly maxRunningAtOnce: number;
}

async function sampleStatus(base: string): Promise<StatusSample> {
  const res = await fetch(`${base}/status`, { signal: AbortSignal.timeout(10_000) });
  const status = (await res.json()) as { pool?: { borrowed?: number }; inFlight?: { transport: string }[] };
  return {
    poolBorrowed: status.pool?.borrowed ?? 0,
    sessionInFlight: (status.inFlight ?? []).filter((r) => r.transport === 'http').length,
  };
}

/** Samples `GET /status` every `everyMs` until stopped; resolves with every sample. */
export function startStatusSampler(base: string, everyMs: number): { stop: () => Promise<StatusSample[]> } {
  const samples: StatusSample[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const due = performance.now() + everyMs;
      samples.push(await sampleStatus(base));
      await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return samples;
    },
  };
}

/** The maxima over `samples`. */
export function samplerFigures(samples: readonly StatusSample[]): SamplerFigures {
  return {
    samples: samples.length,
    maxPoolBorrowed: Math.max(0, ...samples.map((s) => s.poolBorrowed)),
    maxSessionInFlight: Math.max(0, ...samples.map((s) => s.sessionInFlight)),
  };
}

/** Epoch ms of a TIMESTAMP_LTZ as smcp returns it (ISO with up to 9 fraction digits). */
function epochMs(value: unknown): number {
  return Date.parse(String(value).replace(/(\.\d{3})\d+/, '$1'));
}

/**
 * The finished statements whose text holds `marker` (a column alias unique to one phase), read
 * through the plain tool API, and the most that ran at once. Throws when the read fails.
 */
export async function statementsInHistory(base: string, marker: string): Promise<HistoryFigures> {
  const sql =
    'SELECT START_TIME, END_TIME FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY()) ' +
    `WHERE QUERY_TEXT LIKE '%${marker}%' AND EXECUTION_STATUS <> 'RUNNING'`;
  const res = await fetch(`${base}/mcp/tools/call`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'execute_query', arguments: { sql } }),
    signal: AbortSignal.timeout(30_000),
  });
  const answer = (await res.json()) as { structuredContent?: { rows?: unknown[][] }; isError?: boolean };
  const rows = answer.structuredContent?.rows;
  if (res.status !== 200 || answer.isError || !rows)
    throw new Error(
      `reading the query history failed (${res.status}): ${JSON.stringify(answer).slice(0, 300)}`,
    );
  // Ends sort before starts at the same instant: a connection handed on is not two at once.
  const events = rows
    .flatMap(([start, end]) => [
      { at: epochMs(start), delta: 1 },
      { at: epochMs(end), delta: -1 },
    ])
    .sort((a, b) => a.at - b.at || a.delta - b.delta);
  let running = 0;
  let most = 0;
  for (const e of events) {
    running += e.delta;
    most = Math.max(most, running);
  }
  return { statements: rows.length, maxRunningAtOnce: most };
}
