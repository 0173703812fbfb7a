import { Injectable } from '@nestjs/common';
import { Clock, RecentValue } from '@common';
import { Transactor } from '@database';
import { EventDeliverySettings } from './delivery/event-delivery-settings';
import { type EndpointSubscription, subscribesTo } from './event-endpoint';
import { EventEndpointRepository } from './event-endpoint.repository';
import type { EventType } from './event-types';

/** Which enabled endpoints want which events, at one moment. */
export class Subscriptions {
  constructor(private readonly endpoints: readonly EndpointSubscription[]) {}

  /** The endpoints that get an event of this type about this account. */
  endpointsFor(type: EventType, accountId: string): string[] {
    return this.endpoints.filter((endpoint) => subscribesTo(endpoint, type, accountId)).map((endpoint) => endpoint.id);
  }

  wants(type: EventType, accountId: string): boolean {
    return this.endpoints.some((endpoint) => subscribesTo(endpoint, type, accountId));
  }

  /** The endpoint is enabled (it exists, and gets events). */
  has(endpointId: string): boolean {
    return this.endpoints.some((endpoint) => endpoint.id === endpointId);
  }
}

/**
 * What the enabled endpoints subscribe to, read at most every
 * `subscriptionsMaxAgeMs` rather than in every transaction that may report
 * an event (the intake's batches above all). A change made on this replica
 * applies here at once; on another, within that time.
 */
@Injectable()
export class EndpointSubscriptions {
  private readonly cache: RecentValue<Subscriptions>;

  constructor(
    private readonly endpoints: EventEndpointRepository,
    private readonly transactor: Transactor,
    settings: EventDeliverySettings,
    clock: Clock,
  ) {
    this.cache = new RecentValue(
      settings.timings.subscriptionsMaxAgeMs,
      () => this.read(),
      () => clock.now().getTime(),
    );
  }

  /**
   * Inside a transaction, a read of its own (unless the cached value is
   * fresh), never one shared with callers outside it: on SQLite such a read
   * waits for the one connection, which this transaction holds.
   */
  current(): Promise<Subscriptions> {
    if (!this.transactor.inTransaction()) return this.cache.get();
    const fresh = this.cache.fresh();
    return fresh ? Promise.resolve(fresh) : this.read();
  }

  private async read(): Promise<Subscriptions> {
    return new Subscriptions(await this.endpoints.subscriptions());
  }

  /** An endpoint was created, changed, disabled or deleted here. */
  changed(): void {
    this.cache.forget();
  }
}
