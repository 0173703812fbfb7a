import type { Page } from '@common';
import type { AttemptRecord, ClaimedDelivery, DeliveryBacklog, EventDelivery, QueuedDelivery } from './event-delivery';

export interface Lease {
  owner: string;
  until: Date;
  now: Date;
}

/** How many deliveries a claim may take: in all, and of each endpoint (never more than `maxPerEndpoint`). */
export interface ClaimRoom {
  total: number;
  maxPerEndpoint: number;
  roomOf: (endpointId: string) => number;
  /** Endpoints that have no room at all, left out of the claim's read. */
  full: readonly string[];
}

export type RetryResult = 'retried' | 'not_failed' | 'not_found';

/**
 * The event outbox. Deliveries are claimed under a lease (owner and expiry)
 * and every outcome is recorded only while the lease is held, so workers on
 * several replicas share them without an attempt being made twice at once,
 * and a dead worker's deliveries go to the others once its leases expire.
 */
export abstract class EventDeliveryRepository {
  /** In the caller's transaction: one statement, skipping an event an endpoint already has. */
  abstract queue(deliveries: QueuedDelivery[], now: Date): Promise<void>;
  /** Due deliveries of enabled endpoints, earliest due first, within `room`. */
  abstract claimDue(lease: Lease, room: ClaimRoom): Promise<ClaimedDelivery[]>;
  /** Delivered, in one statement for many (attempts that ended together). */
  abstract markManyDelivered(
    owner: string,
    delivered: ReadonlyArray<{ id: string; attempt: AttemptRecord }>,
  ): Promise<void>;
  abstract retryLater(owner: string, id: string, at: Date, attempt: AttemptRecord): Promise<boolean>;
  abstract markFailed(owner: string, id: string, attempt: AttemptRecord): Promise<boolean>;
  /** Newest first. */
  abstract list(endpointId: string, limit: number, cursor: string | null): Promise<Page<EventDelivery>>;
  abstract get(endpointId: string, deliveryId: string): Promise<EventDelivery | null>;
  /** A failed delivery goes back to pending, due now, with a fresh schedule of attempts. */
  abstract retry(endpointId: string, deliveryId: string, now: Date): Promise<RetryResult>;
  /** `retry` for every failed delivery of the endpoint; answers how many. */
  abstract retryFailed(endpointId: string, now: Date): Promise<number>;
  /**
   * The endpoint's pending deliveries, claimed ones too, are given up with
   * `reason` (it was disabled); answers how many. An attempt under way then
   * records nothing.
   */
  abstract failPending(endpointId: string, reason: string, now: Date): Promise<number>;
  abstract backlog(): Promise<DeliveryBacklog>;
}
