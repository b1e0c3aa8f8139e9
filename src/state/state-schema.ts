/**
 * The shape of smcp's lowdb state file (`state.json` in the data dir), validated with zod on every
 * read: the daemon's run history (starts, stops, exit reasons, versions). A file that fails this
 * schema is treated as corrupt and moved aside, never half-trusted.
 */
import { z } from 'zod';

/** The layout version written to the file; a different one is refused as corrupt. */
export const STATE_VERSION = 1;

/** Runs kept in the history; older ones are dropped first. */
export const MAX_RUNS = 100;

/** Exit reason given to a run that has no recorded stop when a later daemon starts. */
export const CRASH_REASON = 'crash (no clean stop recorded)';

const isoTime = z.iso.datetime({ offset: true });

/** One daemon run: written at start, completed at a clean stop (or marked as a crash later). */
export const daemonRunSchema = z.object({
  /** Process id of the daemon. */
  pid: z.int().positive(),
  /** smcp version the daemon ran. */
  version: z.string().min(1),
  /** When it started (ISO 8601). */
  startedAt: isoTime,
  /** When it stopped cleanly (ISO 8601); absent while running or after a crash. */
  stoppedAt: isoTime.optional(),
  /** Why it stopped: `stop`, `signal:SIGTERM`, `signal:SIGINT`, `crash (…)`, … (free text). */
  exitReason: z.string().min(1).optional(),
  /** The process exit code of a clean stop. */
  exitCode: z.int().optional(),
  /** Address MCP was served on. */
  host: z.string(),
  /** TCP port MCP was served on. */
  port: z.int().min(0).max(65535),
  /** What served the data. */
  backend: z.enum(['snowflake', 'emulator']),
  /** Name of the Snowflake connection served (absent for the embedded emulator). */
  connection: z.string().optional(),
});

/** One daemon run as stored. */
export type DaemonRun = z.output<typeof daemonRunSchema>;

/** The whole state file. */
export const stateSchema = z.object({
  version: z.literal(STATE_VERSION),
  runs: z.array(daemonRunSchema),
});

/** The whole state file as stored. */
export type StateData = z.output<typeof stateSchema>;

/** A fresh, empty state. */
export function emptyState(): StateData {
  return { version: STATE_VERSION, runs: [] };
}

/** Validates `data`: the parsed state, or why it fails in one line (`runs.3.pid: …`). */
export function checkState(data: unknown): { ok: true; data: StateData } | { ok: false; reason: string } {
  const parsed = stateSchema.safeParse(data);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue?.path.map(String).join('.') || '(root)';
  return { ok: false, reason: `${where}: ${issue?.message ?? 'does not match the state schema'}` };
}
