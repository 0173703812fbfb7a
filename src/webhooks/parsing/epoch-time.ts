/**
 * Below this, an epoch number is seconds: as milliseconds it would be before
 * September 2001, and as seconds it reaches past the year 30000.
 */
const SMALLEST_EPOCH_MILLISECONDS = 1e12;

/**
 * Meta's times are epoch numbers in two units: milliseconds on messaging
 * events, seconds on `changes` entries, and seconds as digit strings in the
 * app dashboard's test deliveries. The magnitude tells the unit apart for
 * every date this service can see, so no caller has to know which kind of
 * item a time came from. Anything that is not such a number gives null.
 */
export function epochToDate(value: unknown): Date | null {
  const epoch = typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
  if (typeof epoch !== 'number' || !Number.isFinite(epoch) || epoch < 0) return null;
  const date = new Date(epoch < SMALLEST_EPOCH_MILLISECONDS ? epoch * 1000 : epoch);
  return Number.isNaN(date.getTime()) ? null : date;
}
