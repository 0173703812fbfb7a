import type { Page } from '@common';
import type { KeyRotationReport } from '@crypto';
import type { EndpointSubscription, EventEndpoint, EventEndpointChanges, NewEventEndpoint } from './event-endpoint';

/**
 * The endpoints, with their signing secrets encrypted (decrypted only for
 * the attempt that signs with them, by the delivery repository's claim).
 */
export abstract class EventEndpointRepository {
  abstract create(endpoint: NewEventEndpoint, secret: string, now: Date): Promise<EventEndpoint>;
  abstract getById(id: string): Promise<EventEndpoint | null>;
  /** Oldest first. */
  abstract list(limit: number, cursor: string | null): Promise<Page<EventEndpoint>>;
  /** Enabling clears why it was disabled and its run of failures: it starts afresh. */
  abstract update(id: string, changes: EventEndpointChanges, now: Date): Promise<EventEndpoint>;
  /** Deletes it and its deliveries; false when there was none. */
  abstract delete(id: string): Promise<boolean>;
  /** The new secret signs from now on; the current one signs beside it until `previousExpiresAt`. */
  abstract rotateSecret(id: string, secret: string, previousExpiresAt: Date, now: Date): Promise<EventEndpoint>;
  /** What the enabled endpoints subscribe to. */
  abstract subscriptions(): Promise<EndpointSubscription[]>;
  abstract recordSuccess(id: string, at: Date): Promise<void>;
  /** Answers since when it has failed without a success in between (this failure's time if it is the first). */
  abstract recordFailure(id: string, at: Date): Promise<Date | null>;
  /** Disables it if it is enabled; true when it was disabled now. */
  abstract disable(id: string, reason: string, now: Date): Promise<boolean>;
  abstract countDisabled(): Promise<number>;
  /** Re-encrypts with APP_SECRET_KEY the secrets a previous key made, endpoint by endpoint. */
  abstract rotateKeys(): Promise<KeyRotationReport>;
}
