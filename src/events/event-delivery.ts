import type { EventType } from './event-types';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One event's delivery to one endpoint, as the operator sees it. */
export interface EventDelivery {
  id: string;
  eventId: string;
  endpointId: string;
  accountId: string | null;
  type: EventType;
  status: DeliveryStatus;
  attempts: number;
  lastAttemptAt: Date | null;
  lastResponseStatus: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  /** When the next attempt is due; null once delivered or failed. */
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

/** A delivery row to queue: an event's body for one endpoint. */
export interface QueuedDelivery {
  id: string;
  eventId: string;
  endpointId: string;
  accountId: string | null;
  type: EventType;
  payload: string;
}

/** A delivery this worker holds the lease of, with what an attempt needs: the body, the URL and the secrets. */
export interface ClaimedDelivery {
  id: string;
  eventId: string;
  endpointId: string;
  type: EventType;
  payload: string;
  /** Attempts made before this one. */
  attempts: number;
  url: string;
  /**
   * The secrets that sign it: the current one, and the previous one during
   * a rotation's overlap. null when a stored secret does not decrypt.
   */
  secrets: string[] | null;
}

/** What one attempt came to, as the delivery keeps it. */
export interface AttemptRecord {
  at: Date;
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
}

/** Deliveries waiting across every endpoint, for /health and /metrics. */
export interface DeliveryBacklog {
  pending: number;
  failed: number;
  oldestPendingAt: Date | null;
}
