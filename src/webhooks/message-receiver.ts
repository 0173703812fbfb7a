import type { InstagramEvent } from './parsing/instagram-event';

/** What one delivery left in the database. */
export interface IntakeSummary {
  deliveryId: string;
  /** Events stored or applied for the first time. */
  stored: number;
  /** Events already stored by an earlier delivery (Meta redelivers). */
  duplicates: number;
  /** Entries or events no account may apply, kept as unroutable events. */
  unroutable: number;
}

export type EventOutcome = 'stored' | 'duplicate' | 'unroutable';

/**
 * The intake of Meta's webhooks. A delivery is verified with the addressed
 * account's app secret, then every event in it is stored in one transaction;
 * `receiveWebhook` resolves only once that transaction has committed.
 */
export abstract class MessageReceiver {
  /** @throws DomainError `account_not_found` (404) or `signature_invalid` (403). */
  abstract validateSignature(
    accountId: string,
    signature: string | string[] | undefined,
    rawBody: Buffer,
  ): Promise<void>;

  /**
   * Verifies, parses and stores one delivery. `accountId` is the account of a
   * per-account route, or null on the shared route, where each entry is routed
   * by its `entry[].id`.
   */
  abstract receiveWebhook(
    accountId: string | null,
    rawBody: Buffer,
    signature: string | string[] | undefined,
  ): Promise<IntakeSummary>;

  /** Stores one already-verified event for an account, in a transaction of its own. */
  abstract processMessage(accountId: string, event: InstagramEvent): Promise<EventOutcome>;
}
