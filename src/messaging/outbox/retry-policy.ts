import type { OutboxSettings } from '../messaging-settings';

type Backoff = Pick<OutboxSettings, 'retryBaseMs' | 'retryMaxMs'>;

/**
 * Exponential backoff with full jitter: a random delay between 0 and
 * `retryBaseMs * 2^(attempt - 1)` (capped), so messages that failed together,
 * in one Meta outage, do not all come back together.
 */
export function retryDelayMs(attempt: number, backoff: Backoff, random: () => number = Math.random): number {
  const ceiling = Math.min(backoff.retryMaxMs, backoff.retryBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * When to try again after the `attempt`-th call failed. Meta's own estimate
 * (usage headers) wins when it is later: retrying earlier only fails again.
 */
export function nextAttemptAt(
  now: Date,
  attempt: number,
  retryAfterMs: number | null,
  backoff: Backoff,
  random: () => number = Math.random,
): Date {
  return new Date(now.getTime() + Math.max(retryDelayMs(attempt, backoff, random), retryAfterMs ?? 0));
}
