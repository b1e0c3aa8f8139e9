/**
 * The cost guard: before a read that scans table data runs, Snowflake estimates what it would scan
 * (EXPLAIN USING JSON, see cost-estimate.ts) and the guard holds the estimate against two budgets:
 * one per call (`max-scan-bytes`) and one per client over a rolling hour
 * (`max-scan-bytes-per-client`). Over budget, the read is refused with the estimate, the budget and
 * the setting to raise — or, in `confirm` mode, the user is asked through MCP elicitation where the
 * client can be asked (refused otherwise, and when the user declines or cancels).
 *
 * Defaults: on a Snowflake account the guard is on with 10 GiB per call and 100 GiB per client per
 * hour — a full scan of a big fact table stops there before it keeps a warehouse busy for long,
 * while everyday questions (filtered, aggregated, or on tables of a few GiB) run untouched. On the
 * emulator it is off unless a budget or a mode is set: its data costs nothing.
 */
import { formatByteSize } from '../config/byte-size.js';
import { SmcpError } from '../errors.js';
import type { ScanRefusalDetails } from '../errors.js';
import type { CallObserver } from './call-observer.js';
import { CostLedger } from './cost-ledger.js';
import type { ClientCostTotals } from './cost-ledger.js';
import type { ScanEstimate } from './cost-estimate.js';
import type { TransportKind } from './request-context.js';
import { shortId } from './request-tracker.js';
import type { McpSettings } from './settings.js';

/** What serves the data: the guard's defaults differ. */
export type Backend = 'snowflake' | 'emulator';

/** The budgets the guard applies when it is on and a budget is not set. */
export const COST_DEFAULTS = {
  maxScanBytes: 10 * 2 ** 30,
  maxScanBytesPerClient: 100 * 2 ** 30,
  /** The per-client budget's rolling window. */
  windowSeconds: 3600,
} as const;

/** What the guard does now (0: no budget of that kind). */
export interface CostPolicy {
  readonly mode: 'off' | 'refuse' | 'confirm';
  readonly maxScanBytes: number;
  readonly maxScanBytesPerClient: number;
}

/**
 * The user's answer to a confirmation; `unavailable` when the question could not be put (the
 * request failed, or the protocol revision has no server-to-client requests).
 */
export type ConfirmAnswer = 'accept' | 'decline' | 'cancel' | 'unavailable';

/** Asks the user whether a read over budget may run; never rejects for a plain "no". */
export type ScanConfirm = (message: string) => Promise<ConfirmAnswer>;

/** One read the guard decides on. */
export interface ScanRequest {
  /** The key budgets and totals belong to (the call's principal). */
  readonly client: string;
  /** A short, non-secret label of the client for /status. */
  readonly label: string;
  readonly transport: TransportKind;
  /** Runs Snowflake's estimate of the read (on the read's own context, deadline and signal). */
  readonly estimate: () => Promise<ScanEstimate>;
  /** Asks the user, when the client can be asked; absent otherwise. */
  readonly confirm?: ScanConfirm;
}

/** The guard's part of /status and `smcp status`. */
export interface CostGuardStatus extends CostPolicy {
  readonly windowSeconds: number;
  readonly clients: readonly ClientCostTotals[];
}

/** The guard's policy under `settings` for `backend`. */
export function costPolicy(settings: McpSettings, backend: Backend): CostPolicy {
  const budgetSet = settings.maxScanBytes !== undefined || settings.maxScanBytesPerClient !== undefined;
  const mode =
    settings.costGuard !== 'auto'
      ? settings.costGuard
      : backend === 'snowflake' || budgetSet
        ? 'refuse'
        : 'off';
  return {
    mode,
    maxScanBytes: settings.maxScanBytes ?? COST_DEFAULTS.maxScanBytes,
    maxScanBytesPerClient: settings.maxScanBytesPerClient ?? COST_DEFAULTS.maxScanBytesPerClient,
  };
}

/**
 * A label of `principal` for /status: its kind and a prefix of its id or owner, enough to tell
 * clients apart, useless as a session key.
 */
export function clientLabel(principal: string): string {
  const colon = principal.indexOf(':');
  if (colon < 0) return shortId(principal);
  return `${principal.slice(0, colon)}:${shortId(principal.slice(colon + 1))}`;
}

/** `bytes` readable, with the exact figure when rounding hides it. */
function size(bytes: number): string {
  const short = formatByteSize(bytes);
  return short.endsWith(' B') ? short : `${short} (${bytes} bytes)`;
}

/** Why a read is over budget. */
interface Refusal {
  readonly budget: 'call' | 'client';
  readonly message: string;
  /** How to get the read through. */
  readonly raise: string;
  readonly details: { readonly scan: ScanRefusalDetails };
}

/** The guard of one daemon (or in-process host): one ledger for every path. */
export class CostGuard {
  readonly ledger: CostLedger;

  constructor(
    private settings: McpSettings,
    private readonly backend: () => Backend,
    private readonly observer?: Pick<CallObserver, 'scanEstimated' | 'scanRefused'>,
    now?: () => number,
  ) {
    this.ledger = new CostLedger(COST_DEFAULTS.windowSeconds * 1000, now);
  }

  /**
   * Takes the mode and budgets of `settings` for reads admitted from now on (a reload); reads
   * already admitted are not weighed again, and the per-client totals stay.
   */
  configure(settings: McpSettings): void {
    this.settings = settings;
  }

  /** The policy now (the backend and, through configure, the budgets may change on reload). */
  policy(): CostPolicy {
    return costPolicy(this.settings, this.backend());
  }

  /** True when reads are estimated before they run (on, with at least one budget). */
  active(): boolean {
    const p = this.policy();
    return p.mode !== 'off' && (p.maxScanBytes > 0 || p.maxScanBytesPerClient > 0);
  }

  /**
   * Decides on one read: returns Snowflake's estimate when it may run (and counts it to the
   * client), or undefined without estimating when the guard is off. Throws SmcpError
   * SCAN_BUDGET_EXCEEDED, SCAN_NOT_CONFIRMED or SCAN_ESTIMATE_FAILED; errors of the estimate
   * itself (a compile error, a timeout, a cancel) propagate as they are.
   */
  async admit(request: ScanRequest): Promise<ScanEstimate | undefined> {
    if (!this.active()) return undefined;
    const policy = this.policy();
    const estimate = await request.estimate();
    const bytes = estimate.bytesAssigned;
    const refusal = this.check(policy, request.client, bytes, estimate);
    if (!refusal) {
      this.count(request, bytes);
      return estimate;
    }
    const answer =
      policy.mode === 'confirm' && request.confirm
        ? await request.confirm(
            `${refusal.message}. Run it anyway? (Snowflake bills the warehouse time it takes.)`,
          )
        : 'unavailable';
    if (answer === 'accept') {
      this.count(request, bytes);
      return estimate;
    }
    if (answer !== 'unavailable') {
      this.refuse(request, 'declined');
      throw new SmcpError(
        'SCAN_NOT_CONFIRMED',
        `${refusal.message}; the user ${answer === 'decline' ? 'declined' : 'cancelled'} running it, so it did not run`,
        refusal.details,
      );
    }
    this.refuse(request, refusal.budget);
    const why =
      policy.mode === 'confirm' ? '; this client cannot be asked to confirm (no MCP elicitation)' : '';
    throw new SmcpError(
      'SCAN_BUDGET_EXCEEDED',
      `${refusal.message}${why}; ${refusal.raise}`,
      refusal.details,
    );
  }

  /** What /status shows. */
  status(): CostGuardStatus {
    return {
      ...this.policy(),
      windowSeconds: COST_DEFAULTS.windowSeconds,
      clients: this.ledger.snapshot(),
    };
  }

  private count(request: ScanRequest, bytes: number): void {
    this.ledger.admit(request.client, request.label, bytes);
    this.observer?.scanEstimated(bytes, request.transport);
  }

  private refuse(request: ScanRequest, reason: 'call' | 'client' | 'declined'): void {
    this.ledger.refuse(request.client, request.label);
    this.observer?.scanRefused(reason, request.transport);
  }

  /** Why `bytes` is over budget for `client`, or undefined when it is not. */
  private check(
    policy: CostPolicy,
    client: string,
    bytes: number,
    estimate: ScanEstimate,
  ): Refusal | undefined {
    const what =
      `the read would scan about ${size(bytes)} by Snowflake's estimate ` +
      `(${estimate.partitionsAssigned} of ${estimate.partitionsTotal} partitions)`;
    if (policy.maxScanBytes > 0 && bytes > policy.maxScanBytes) {
      return {
        budget: 'call',
        message: `${what}, over the per-call budget of ${size(policy.maxScanBytes)}`,
        raise:
          'the operator raises it with --max-scan-bytes (max_scan_bytes in config.toml; 0 for none), ' +
          'or narrow the read',
        details: {
          scan: { estimatedBytes: bytes, budgetBytes: policy.maxScanBytes, setting: 'max-scan-bytes' },
        },
      };
    }
    if (policy.maxScanBytesPerClient <= 0) return undefined;
    const used = this.ledger.windowBytes(client);
    const left = Math.max(0, policy.maxScanBytesPerClient - used);
    if (bytes <= left) return undefined;
    return {
      budget: 'client',
      message:
        `${what}, more than this client has left of its budget of ` +
        `${size(policy.maxScanBytesPerClient)} per hour (${size(used)} read in the last hour, ${size(left)} left)`,
      raise:
        'the operator raises it with --max-scan-bytes-per-client (max_scan_bytes_per_client in ' +
        'config.toml; 0 for none), or wait until earlier reads leave the hour',
      details: {
        scan: { estimatedBytes: bytes, budgetBytes: left, setting: 'max-scan-bytes-per-client' },
      },
    };
  }
}
