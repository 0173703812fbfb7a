import type { InstagramBusinessAccount } from '@accounts';
import type { MessageSource } from '../message';
import type { ParsedEntry } from './events/instagram-event';

/**
 * How a delivery's events reach the intake: from Meta's webhook, or
 * recovered afterwards, from the Conversations API (`backfill`) or from a
 * kept unroutable delivery (`replay`). Recovered events are stored like the
 * webhook's, but never answered automatically, never pause automation, and
 * leave no raw delivery of their own.
 */
export type IntakeSource = Extract<MessageSource, 'webhook' | 'backfill' | 'replay'>;

/** Where one entry of a delivery goes: an account, or the unroutable log with a reason. */
export type RoutedEntry =
  { entry: ParsedEntry; account: InstagramBusinessAccount } | { entry: ParsedEntry; account: null; reason: string };

/**
 * One webhook delivery whose signature has been checked, as the webhook
 * routes hand it to the intake: its exact bytes and where each of its
 * entries goes.
 */
export interface VerifiedDelivery {
  /** The account of the route it arrived on; null on the shared route. */
  routeAccountId: string | null;
  rawBody: Buffer;
  /** The `X-Hub-Signature-256` it was verified with, kept beside the bytes. */
  signature: string;
  entries: RoutedEntry[];
  /** The request's id, for the log lines the intake writes about this delivery. */
  requestId: string | null;
  /** When the request arrived (`performance.now()`): INTAKE_MAX_WAIT counts from then. */
  arrivedAt: number;
  /** Absent: `webhook`. */
  source?: IntakeSource;
}

/** What one delivery left in the database. */
export interface IntakeSummary {
  /** Events stored or applied for the first time. */
  stored: number;
  /** Events already stored by an earlier delivery (Meta redelivers). */
  duplicates: number;
  /** Entries or events no account may apply, kept as unroutable events. */
  unroutable: number;
}
