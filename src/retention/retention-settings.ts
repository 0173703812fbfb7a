import type { Environment } from '@config';

/**
 * How the purge of raw deliveries runs. The retention comes from the
 * environment; the pace is a product default, kept in one provider so tests
 * can make it fast. A batch is one short statement; a round deletes at most
 * `batchSize * maxBatchesPerRound` rows of each table (5000 a minute), pausing
 * between batches, so a first purge of a large backlog spreads over minutes
 * instead of holding the database.
 */
export class RetentionSettings {
  constructor(
    /** DELIVERY_RETENTION: rows older than this are deleted. */
    readonly retentionMs: number,
    readonly intervalMs: number,
    readonly batchSize: number,
    readonly maxBatchesPerRound: number,
    readonly pauseBetweenBatchesMs: number,
  ) {}

  static fromEnvironment(env: Pick<Environment, 'DELIVERY_RETENTION'>): RetentionSettings {
    return new RetentionSettings(env.DELIVERY_RETENTION, 60_000, 200, 25, 100);
  }
}
