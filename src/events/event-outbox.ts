import { Injectable } from '@nestjs/common';
import { Clock, newId } from '@common';
import { Transactor } from '@database';
import { EventDeliveryWorker } from './delivery/event-delivery-worker';
import type { QueuedDelivery } from './event-delivery';
import { EventDeliveryRepository } from './event-delivery.repository';
import { EndpointSubscriptions, type Subscriptions } from './endpoint-subscriptions';
import { type EventType, type NewEvent, TEST_EVENT_TYPE } from './event-types';

/** The body every endpoint receives: `{"type", "timestamp", "data"}`, `data` holding `accountId` first. */
function eventBody(type: EventType, at: Date, data: Record<string, unknown>): string {
  return JSON.stringify({ type, timestamp: at.toISOString(), data });
}

/**
 * Where the rest of the service reports what happened. `queue` runs in the
 * caller's transaction, the one that stores what the event reports, so an
 * event exists if and only if that did: one row per event and subscribed
 * endpoint, in one statement, and none when no endpoint subscribes. The
 * worker is woken once the transaction has committed.
 */
@Injectable()
export class EventOutbox {
  constructor(
    private readonly subscriptions: EndpointSubscriptions,
    private readonly deliveries: EventDeliveryRepository,
    private readonly worker: EventDeliveryWorker,
    private readonly transactor: Transactor,
    private readonly clock: Clock,
  ) {}

  /** Who subscribes to what now (from a cache): read it before a transaction that will queue events. */
  currentSubscriptions(): Promise<Subscriptions> {
    return this.subscriptions.current();
  }

  /** Answers how many deliveries it queued. */
  async queue(events: readonly NewEvent[], subscriptions?: Subscriptions): Promise<number> {
    if (events.length === 0) return 0;
    const subscribed = subscriptions ?? (await this.subscriptions.current());
    const now = this.clock.now();
    const rows: QueuedDelivery[] = [];
    for (const event of events) {
      const endpoints = subscribed.endpointsFor(event.type, event.accountId);
      if (endpoints.length === 0) continue;
      const eventId = newId(now.getTime());
      const payload = eventBody(event.type, now, { accountId: event.accountId, ...event.data });
      for (const endpointId of endpoints) {
        rows.push({
          id: newId(now.getTime()),
          eventId,
          endpointId,
          accountId: event.accountId,
          type: event.type,
          payload,
        });
      }
    }
    await this.store(rows, now);
    return rows.length;
  }

  /** An `endpoint.test` event for this endpoint alone; answers the id of its delivery. */
  async queueTest(endpointId: string): Promise<string> {
    const now = this.clock.now();
    const id = newId(now.getTime());
    const payload = eventBody(TEST_EVENT_TYPE, now, { accountId: null, endpointId });
    await this.store(
      [{ id, eventId: newId(now.getTime()), endpointId, accountId: null, type: TEST_EVENT_TYPE, payload }],
      now,
    );
    return id;
  }

  private async store(rows: QueuedDelivery[], now: Date): Promise<void> {
    if (rows.length === 0) return;
    await this.deliveries.queue(rows, now);
    this.transactor.afterCommit(() => this.worker.wake());
  }
}
