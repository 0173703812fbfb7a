import { setTimeout as sleep } from 'node:timers/promises';
import { Clock, ProcessRole, BackgroundLoop } from '@common';
import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Metrics, type RetainedTable } from '@metrics';
import { RawDeliveryArchive } from './raw-delivery-archive';
import { RetentionSettings } from './retention-settings';

export interface PurgeReport {
  deliveries: number;
  unroutableEntries: number;
  eventDeliveries: number;
}

/**
 * Deletes raw deliveries and unroutable entries older than DELIVERY_RETENTION,
 * and event deliveries delivered or failed that long ago, in small batches,
 * every minute, on every replica (two replicas purging at once only share
 * the work). The raw bodies and the events hold customers' messages word for
 * word; the messages themselves are kept, and so are events still pending.
 */
@Injectable()
export class DeliveryRetentionWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeliveryRetentionWorker.name);
  private readonly loop: BackgroundLoop;

  constructor(
    private readonly role: ProcessRole,
    private readonly settings: RetentionSettings,
    private readonly archive: RawDeliveryArchive,
    private readonly metrics: Metrics,
    private readonly clock: Clock,
  ) {
    this.loop = new BackgroundLoop(this.logger, () => this.purgeExpired(), settings.intervalMs);
  }

  onApplicationBootstrap(): void {
    if (!this.role.runsBackgroundWork) return;
    // Spread over the first interval, so replicas started together do not purge at the same moment.
    this.loop.start(Math.floor(Math.random() * this.settings.intervalMs));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  async purgeExpired(now = this.clock.now()): Promise<PurgeReport> {
    const cutoff = new Date(now.getTime() - this.settings.retentionMs);
    // Entries before deliveries: an unroutable entry never outlives the delivery whose signature vouches for it.
    const unroutableEntries = await this.purge('unroutable_events', (limit) =>
      this.archive.deleteUnroutableEntriesCreatedBefore(cutoff, limit),
    );
    const deliveries = await this.purge('webhook_deliveries', (limit) =>
      this.archive.deleteDeliveriesReceivedBefore(cutoff, limit),
    );
    const eventDeliveries = await this.purge('event_deliveries', (limit) =>
      this.archive.deleteEventDeliveriesFinishedBefore(cutoff, limit),
    );
    if (deliveries + unroutableEntries + eventDeliveries > 0) {
      this.logger.log(
        `deleted ${deliveries} raw deliveries and ${unroutableEntries} unroutable entries received before ` +
          `${cutoff.toISOString()}, and ${eventDeliveries} event deliveries finished before then`,
      );
    }
    return { deliveries, unroutableEntries, eventDeliveries };
  }

  /** Batch after batch until one comes back short (nothing older is left) or the round has done its share. */
  private async purge(table: RetainedTable, deleteBatch: (limit: number) => Promise<number>): Promise<number> {
    const { batchSize, maxBatchesPerRound, pauseBetweenBatchesMs } = this.settings;
    let total = 0;
    for (let batch = 1; batch <= maxBatchesPerRound; batch++) {
      const deleted = await deleteBatch(batchSize);
      total += deleted;
      this.metrics.retentionPurged(table, deleted);
      if (deleted < batchSize) break;
      await sleep(pauseBetweenBatchesMs);
    }
    return total;
  }
}
