import type { DeliveryTimings } from './event-delivery-settings';

type Schedule = Pick<DeliveryTimings, 'retryDelaysMs' | 'jitter' | 'maxRetryAfterMs'>;

/**
 * When to try a delivery again after its `attempts`-th attempt failed, or
 * null when that was the last one. The schedule's wait, give or take
 * `jitter`; a receiver's `Retry-After` (429, 503) replaces it, up to
 * `maxRetryAfterMs`.
 */
export function nextAttemptAt(
  now: Date,
  attempts: number,
  retryAfterMs: number | null,
  schedule: Schedule,
  random: () => number,
): Date | null {
  if (attempts > schedule.retryDelaysMs.length) return null;
  const planned = schedule.retryDelaysMs[attempts - 1];
  const wait =
    retryAfterMs !== null
      ? Math.min(retryAfterMs, schedule.maxRetryAfterMs)
      : planned * (1 + schedule.jitter * (2 * random() - 1));
  return new Date(now.getTime() + Math.round(wait));
}

/**
 * `Retry-After` as milliseconds from `now`: seconds, or an HTTP date; null
 * when absent or unreadable.
 */
export function retryAfterMsOf(header: string | undefined, now: Date): number | null {
  if (header === undefined) return null;
  const text = header.trim();
  if (/^\d{1,9}$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}
