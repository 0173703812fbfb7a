/**
 * How backfill jobs run. Meta allows 2 Conversations API calls per second
 * per account; calls are spaced by `callSpacingMs` (600 ms, a little more
 * than half a second) so that a call the network holds up for a moment
 * never lands within the same second as the two after it.
 */
export class BackfillSettings {
  readonly pollIntervalMs: number;
  readonly idlePollMaxMs: number;
  /** A job's lease, renewed after every conversation; a process that dies leaves its job to another after this. */
  readonly leaseMs: number;
  readonly callSpacingMs: number;
  /** Jobs (of different accounts) one process runs at once. */
  readonly concurrency: number;
  /** How often a call refused for its rate or a transient failure is tried again before the job fails. */
  readonly maxRetries: number;

  constructor(overrides: Partial<BackfillSettings> = {}) {
    this.pollIntervalMs = overrides.pollIntervalMs ?? 1000;
    this.idlePollMaxMs = overrides.idlePollMaxMs ?? 10_000;
    this.leaseMs = overrides.leaseMs ?? 60_000;
    this.callSpacingMs = overrides.callSpacingMs ?? 600;
    this.concurrency = overrides.concurrency ?? 4;
    this.maxRetries = overrides.maxRetries ?? 8;
  }
}
