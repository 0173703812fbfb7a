const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

/** Timings of the background profile lookups: product defaults, kept in one provider so tests can make them fast. */
export class ContactLookupSettings {
  readonly pollIntervalMs: number = 5 * SECOND;
  /** While rounds find no profile due, the pause doubles up to this. */
  readonly idlePollMaxMs: number = MINUTE;
  /** Profiles looked up per round; lookups run one at a time, outside any request. */
  readonly batchSize: number = 10;
  /** A claimed lookup that has not finished by then is another replica's to retry. */
  readonly leaseMs: number = MINUTE;
  readonly retryBaseMs: number = MINUTE;
  readonly retryMaxMs: number = DAY;
  /** Usernames change: a profile is looked up again this long after it was fetched. */
  readonly refreshAfterMs: number = 7 * DAY;

  constructor(overrides: Partial<ContactLookupSettings> = {}) {
    Object.assign(this, overrides);
  }
}
