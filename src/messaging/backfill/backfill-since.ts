import { DomainError } from '@common';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Without `since`, a backfill looks back this far. */
export const DEFAULT_LOOKBACK_MS = DAY_MS;
/** How far back a backfill may look. */
export const MAX_LOOKBACK_MS = 30 * DAY_MS;

/**
 * The `since` of a backfill: an ISO time, or (the CLI's shorthand) hours or
 * days back such as `24h` or `7d`; absent: 24 hours ago.
 * @throws DomainError validation_failed, naming `since`, when it is not one of these or is more than 30 days back.
 */
export function backfillSince(value: string | undefined, now: Date): Date {
  if (value === undefined) return new Date(now.getTime() - DEFAULT_LOOKBACK_MS);
  const relative = /^(\d{1,4})([hd])$/.exec(value.trim());
  const since = relative
    ? new Date(now.getTime() - Number(relative[1]) * (relative[2] === 'h' ? HOUR_MS : DAY_MS))
    : isoTime(value);
  if (since === null) throw invalid('since must be an ISO 8601 time, or hours or days back such as 24h or 7d');
  if (since.getTime() > now.getTime()) throw invalid('since must not be in the future');
  if (now.getTime() - since.getTime() > MAX_LOOKBACK_MS) throw invalid('since must be at most 30 days ago');
  return since;
}

/** A full ISO 8601 date and time with its offset (as `Date` alone would take almost anything). */
function isoTime(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) return null;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? null : time;
}

const invalid = (message: string) => new DomainError('validation_failed', message, { since: message });
