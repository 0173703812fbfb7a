import type { LoginType } from '@graph-api';
import type { Message } from '../message';

/** What a failed or refused send leaves on the message, for the operator: never a token. */
export interface DeliveryError {
  message: string;
  /** Meta's `code` and `error_subcode`, when Meta answered. */
  code: number | null;
  subcode: number | null;
}

/** A claimed message, with what sending it depends on, read together with it. */
export interface Claim {
  message: Message;
  /** Meta's time of the person's last message in the conversation: the messaging window runs from it. */
  lastInboundAt: Date | null;
  /** When the account last changed: a token Meta rejects is blamed only if the account is unchanged since. */
  accountUpdatedAt: Date;
  /** How the account is connected, which decides its Send API rate. */
  accountLoginType: LoginType;
}

/** A message Meta accepted, with the id Meta gave it and when. */
export interface SentMessage {
  message: Message;
  mid: string | null;
  at: Date;
}

/** How a claimed message's `markSent` went. */
export type MarkSentResult =
  /** Recorded; or the lease was lost to another dispatcher, which then owns the row. */
  | 'recorded'
  | 'lease_lost'
  /** Another row of the account already holds this mid: Meta's echo arrived before its answer. */
  | 'mid_taken';

export interface OutboxBacklog {
  queued: number;
  sending: number;
  /** Queued messages of accounts whose token is invalid (or that are deactivated), held until they are updated. */
  held: number;
  /** When the oldest message still queued or sending was queued; null when none is. */
  oldestQueuedAt: Date | null;
}

/**
 * The outbox: outbound rows of the `messages` table that are queued, sending
 * or being retried. A dispatcher claims a message under a lease (owner and
 * expiry) before sending it, and every outcome it records is conditional on
 * still holding that lease, so replicas share the queue without sending a
 * message twice, and a dead replica's claims fall to the others once its
 * leases expire.
 */
export abstract class OutboxRepository {
  /**
   * Claims up to `limit` messages that are due, whose account may send
   * (active, token not invalid), and that head their conversation's queue
   * (no earlier message of it is queued or sending), oldest first.
   */
  abstract claimDue(owner: string, limit: number, now: Date, leaseUntil: Date): Promise<Claim[]>;

  /** Claims this one message on the same terms; null when it is not claimable now. */
  abstract claimMessage(
    owner: string,
    accountId: string,
    messageId: string,
    now: Date,
    leaseUntil: Date,
  ): Promise<Claim | null>;

  /**
   * Sent: status `sent` with Meta's id, one more attempt counted unless
   * `attemptMade` is false (an earlier call, already counted, is found to have
   * sent it); never overwrites `delivered`.
   */
  abstract markSent(
    owner: string,
    message: Message,
    mid: string | null,
    at: Date,
    attemptMade?: boolean,
  ): Promise<MarkSentResult>;

  /** `markSent` for many messages in one statement, each with its own result (in order). */
  abstract markManySent(owner: string, sent: SentMessage[]): Promise<MarkSentResult[]>;

  /** Back to `queued` until `at`; `attemptMade` counts a call Meta answered (or might have received). */
  abstract retryLater(
    owner: string,
    message: Message,
    at: Date,
    error: DeliveryError,
    attemptMade: boolean,
  ): Promise<void>;

  /** Given up: status `failed`, which stays visible with the error; false when the lease was lost. */
  abstract markFailed(owner: string, message: Message, error: DeliveryError, attemptMade: boolean): Promise<boolean>;

  /**
   * The account's private replies that count against its hourly budget
   * before this one: those sent since `since`, and those being sent now that
   * were queued earlier (lower id), so that dispatchers sending at once
   * agree on which ones fit. `oldestSentAt` is when the budget next frees up
   * a place, an hour after it; null when none was sent since.
   */
  abstract privateRepliesAhead(
    accountId: string,
    messageId: string,
    since: Date,
  ): Promise<{ count: number; oldestSentAt: Date | null }>;

  /** Counts across every account, for /health. */
  abstract backlog(): Promise<OutboxBacklog>;
}
