/**
 * Below this, an epoch number is seconds: as milliseconds it would be before
 * September 2001, and as seconds it reaches past the year 30000.
 */
const SMALLEST_EPOCH_MILLISECONDS = 1e12;

/**
 * 9999-12-31T23:59:59.999Z, the last instant a MySQL DATETIME holds. A later
 * time cannot be stored (MySQL refuses the row, failing the whole delivery),
 * so it is treated like any other unusable time.
 */
const LATEST_STORABLE_MILLISECONDS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * Meta's times are epoch numbers in two units: milliseconds on messaging
 * events, seconds on `changes` entries, and seconds as digit strings in the
 * app dashboard's test deliveries. The magnitude tells the unit apart for
 * every date this service can see, so no caller has to know which kind of
 * item a time came from. Anything that is not such a number, or that lies
 * beyond what the database can store, gives null.
 */
export function epochToDate(value: unknown): Date | null {
  const epoch = typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
  if (typeof epoch !== 'number' || !Number.isFinite(epoch) || epoch < 0) return null;
  const date = new Date(epoch < SMALLEST_EPOCH_MILLISECONDS ? epoch * 1000 : epoch);
  const time = date.getTime();
  return Number.isNaN(time) || time > LATEST_STORABLE_MILLISECONDS ? null : date;
}
