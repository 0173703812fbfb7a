import type { Environment } from '../config/environment';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

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
  /** Send API calls one dispatcher has in flight at once. */
  maxInFlight: number;
  /** Meta's limit per account for text, links and templates (audio and video: 10/s, which this service never sends). */
  messagesPerSecondPerAccount: number;
}

export interface ContactLookupSettings {
  pollIntervalMs: number;
  /** While rounds find no profile due, the pause doubles up to this. */
  idlePollMaxMs: number;
  /** Profiles looked up per round; lookups run one at a time, outside any request. */
  batchSize: number;
  /** A claimed lookup that has not finished by then is another replica's to retry. */
  leaseMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Usernames change: a profile is looked up again this long after it was fetched. */
  refreshAfterMs: number;
}

export interface TokenRefreshSettings {
  checkIntervalMs: number;
  /** Tokens that expire within this are refreshed (and named by /health until they are). */
  refreshWithinMs: number;
}

/**
 * Timings of the messaging background work: the outbox dispatcher, profile
 * lookups and token refreshes. Two come from the environment; the rest are
 * product defaults, kept in one provider so tests can make them fast.
 */
export class MessagingSettings {
  constructor(
    readonly outbox: OutboxSettings,
    readonly contacts: ContactLookupSettings,
    readonly tokens: TokenRefreshSettings,
  ) {}

  static fromEnvironment(env: Pick<Environment, 'OUTBOX_MAX_ATTEMPTS' | 'OUTBOX_MAX_AGE'>): MessagingSettings {
    return new MessagingSettings(
      {
        maxAttempts: env.OUTBOX_MAX_ATTEMPTS,
        maxAgeMs: env.OUTBOX_MAX_AGE,
        pollIntervalMs: SECOND,
        idlePollMaxMs: 8 * SECOND,
        leaseMs: MINUTE,
        retryBaseMs: 2 * SECOND,
        retryMaxMs: 15 * MINUTE,
        maxInFlight: 50,
        messagesPerSecondPerAccount: 100,
      },
      {
        pollIntervalMs: 5 * SECOND,
        idlePollMaxMs: MINUTE,
        batchSize: 10,
        leaseMs: MINUTE,
        retryBaseMs: MINUTE,
        retryMaxMs: DAY,
        refreshAfterMs: 7 * DAY,
      },
      {
        checkIntervalMs: HOUR,
        refreshWithinMs: 7 * DAY,
      },
    );
  }
}
