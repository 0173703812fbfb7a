import { ProcessRole } from '@common/process-role';
import { FixedClock } from '../../test/support/fixed-clock';
import { Registry } from 'prom-client';
import { Metrics } from '@metrics/metrics';
import { DeliveryRetentionWorker } from './delivery-retention-worker';
import { RawDeliveryArchive } from './raw-delivery-archive';
import { RetentionSettings } from './retention-settings';

const DAY_MS = 86_400_000;

/** An archive holding `deliveries`, `entries` and `events` expired rows, deleting what each batch may. */
function archiveHolding(expired: { deliveries: number; entries: number; events?: number }) {
  const left = { events: 0, ...expired };
  const take = (key: keyof typeof left, limit: number) => {
    const deleted = Math.min(limit, left[key]);
    left[key] -= deleted;
    return Promise.resolve(deleted);
  };
  const archive: jest.Mocked<RawDeliveryArchive> = {
    deleteDeliveriesReceivedBefore: jest.fn((_cutoff: Date, limit: number) => take('deliveries', limit)),
    deleteUnroutableEntriesCreatedBefore: jest.fn((_cutoff: Date, limit: number) => take('entries', limit)),
    deleteEventDeliveriesFinishedBefore: jest.fn((_cutoff: Date, limit: number) => take('events', limit)),
  };
  return { archive, left };
}

describe('DeliveryRetentionWorker', () => {
  const settings = new RetentionSettings(30 * DAY_MS, 60_000, 10, 4, 0);
  const now = new Date('2026-03-31T12:00:00.000Z');

  async function purgedCounter(registry: Registry, table: string): Promise<number> {
    const metric = await registry.getSingleMetric('gateway_retention_purged_rows_total')?.get();
    return metric?.values.find((v) => v.labels.table === table)?.value ?? 0;
  }

  it('deletes what is older than the retention, entries first, batch after batch until one comes back short', async () => {
    const { archive, left } = archiveHolding({ deliveries: 25, entries: 3, events: 12 });
    const registry = new Registry();
    const worker = new DeliveryRetentionWorker(
      new ProcessRole(true),
      settings,
      archive,
      new Metrics(registry),
      new FixedClock(now),
    );

    expect(await worker.purgeExpired(now)).toEqual({ deliveries: 25, unroutableEntries: 3, eventDeliveries: 12 });

    const cutoff = new Date('2026-03-01T12:00:00.000Z');
    expect(archive.deleteUnroutableEntriesCreatedBefore.mock.calls).toEqual([[cutoff, 10]]);
    expect(archive.deleteDeliveriesReceivedBefore.mock.calls).toEqual([
      [cutoff, 10],
      [cutoff, 10],
      [cutoff, 10],
    ]);
    expect(archive.deleteUnroutableEntriesCreatedBefore.mock.invocationCallOrder[0]).toBeLessThan(
      archive.deleteDeliveriesReceivedBefore.mock.invocationCallOrder[0],
    );
    expect(archive.deleteEventDeliveriesFinishedBefore.mock.calls).toEqual([
      [cutoff, 10],
      [cutoff, 10],
    ]);
    expect(left).toEqual({ deliveries: 0, entries: 0, events: 0 });
    expect(await purgedCounter(registry, 'webhook_deliveries')).toBe(25);
    expect(await purgedCounter(registry, 'unroutable_events')).toBe(3);
    expect(await purgedCounter(registry, 'event_deliveries')).toBe(12);
  });

  it('leaves the rest of a large backlog to the next rounds', async () => {
    const { archive, left } = archiveHolding({ deliveries: 100, entries: 0 });
    const worker = new DeliveryRetentionWorker(
      new ProcessRole(true),
      settings,
      archive,
      new Metrics(new Registry()),
      new FixedClock(now),
    );

    expect((await worker.purgeExpired(now)).deliveries).toBe(40);
    expect(archive.deleteDeliveriesReceivedBefore).toHaveBeenCalledTimes(4);
    expect(left.deliveries).toBe(60);
    expect((await worker.purgeExpired(now)).deliveries).toBe(40);
    expect(left.deliveries).toBe(20);
  });
});
