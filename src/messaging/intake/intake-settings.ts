import type { Environment } from '@config';
import type { GroupCommitLimits } from '@common';

/**
 * A batch holds at most as many events as one delivery of Meta's may carry,
 * which keeps every statement within SQLite's limit of bound parameters...
 */
const MAX_BATCH_EVENTS = 1000;
/** ...and a few full-size bodies, well within MySQL's default max_allowed_packet (16 MiB on MariaDB, 64 MiB on MySQL 8). */
const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/** How the intake writer batches and when it refuses: two of the limits come from the environment. */
export class IntakeSettings {
  constructor(readonly limits: GroupCommitLimits) {}

  static fromEnvironment(env: Pick<Environment, 'INTAKE_MAX_WAIT' | 'INTAKE_MAX_QUEUE_BYTES'>): IntakeSettings {
    return new IntakeSettings({
      // One write at a time: what arrives meanwhile makes the next batch. A second write in flight took
      // lone deliveries as they trickled in, twice the statements for the same deliveries (measured).
      maxInFlight: 1,
      maxBatchWeight: MAX_BATCH_EVENTS,
      maxBatchBytes: MAX_BATCH_BYTES,
      maxQueueBytes: env.INTAKE_MAX_QUEUE_BYTES,
      maxWaitMs: env.INTAKE_MAX_WAIT,
    });
  }
}
