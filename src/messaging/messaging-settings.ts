import type { Environment } from '@config';
import type { LoginType } from '@graph-api';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

export interface OutboxSettings {
  /** Send API calls for one message before it is given up (OUTBOX_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** A message not sent this long after it was queued is given up (OUTBOX_MAX_AGE). */
  maxAgeMs: number;
  /**
   * The longest an idle dispatcher sleeps: it is woken at once for work queued
   * in its own process, so this only bounds how late it notices other
   * replicas' work, released queues and retries that are due.
   */
  pollIntervalMs: number;
  /** While polls keep finding nothing, the sleep doubles up to this (idle CPU); local work still wakes it at once. */
  idlePollMaxMs: number;
  /** How long a claimed message belongs to its dispatcher; far above the Graph API timeout (10 s). */
  leaseMs: number;
  /** Backoff of a retry: a random delay up to `retryBaseMs * 2^(attempt - 1)`, capped at `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /**
   * After a call that got no answer (Meta may have sent the message), the
   * retry waits at least this long, so that the message's echo, if Meta sent
   * it, has arrived to say so before a second call.
   */
  echoWaitMs: number;
  /** Send API calls one dispatcher has in flight at once. */
  maxInFlight: number;
  /**
   * Meta's limit per account for text, links, stickers and templates, by login type:
   * 100/s on graph.instagram.com, the Messenger Platform's 300/s through a Page.
   */
  messagesPerSecondPerAccount: Record<LoginType, number>;
  /** Meta's budget of private replies to comments per account and hour (750); beyond it they wait. */
  privateRepliesPerHour: number;
  /** Meta's limit per account for audio and video, counted apart from the rest: 10/s. */
  slowMediaPerSecondPerAccount: number;
}

/**
 * Timings of the outbox: two come from the environment, the rest are product
 * defaults, kept in one provider so tests can make them fast.
 */
export class MessagingSettings {
  constructor(readonly outbox: OutboxSettings) {}

  static fromEnvironment(env: Pick<Environment, 'OUTBOX_MAX_ATTEMPTS' | 'OUTBOX_MAX_AGE'>): MessagingSettings {
    return new MessagingSettings({
      maxAttempts: env.OUTBOX_MAX_ATTEMPTS,
      maxAgeMs: env.OUTBOX_MAX_AGE,
      pollIntervalMs: SECOND,
      idlePollMaxMs: 8 * SECOND,
      leaseMs: MINUTE,
      retryBaseMs: 2 * SECOND,
      retryMaxMs: 15 * MINUTE,
      echoWaitMs: 5 * SECOND,
      maxInFlight: 50,
      messagesPerSecondPerAccount: { instagram: 100, facebook: 300 },
      privateRepliesPerHour: 750,
      slowMediaPerSecondPerAccount: 10,
    });
  }
}
