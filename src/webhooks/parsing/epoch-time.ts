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

/** A date and time with its offset (`2026-01-31T12:00:00Z`, `…12:00:00.123+01:00`), as some producers write times. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Meta's times are epoch numbers in two units: milliseconds on messaging
 * events, seconds on `changes` entries, and seconds as digit strings in the
 * app dashboard's test deliveries; other producers and captures write
 * ISO-8601 strings. The magnitude tells the unit of a number apart for every
 * date this service can see, so no caller has to know which kind of item a
 * time came from. Anything that is none of these, or that lies beyond what
 * the database can store, gives null.
 */
export function epochToDate(value: unknown): Date | null {
  if (typeof value === 'string' && ISO_8601.test(value)) return storable(new Date(value));
  const epoch = typeof value === 'string' && /^\d{1,16}(\.\d{1,6})?$/.test(value) ? Number(value) : value;
  if (typeof epoch !== 'number' || !Number.isFinite(epoch) || epoch < 0) return null;
  return storable(new Date(epoch < SMALLEST_EPOCH_MILLISECONDS ? epoch * 1000 : epoch));
}

function storable(date: Date): Date | null {
  const time = date.getTime();
  return Number.isNaN(time) || time < 0 || time > LATEST_STORABLE_MILLISECONDS ? null : date;
}
