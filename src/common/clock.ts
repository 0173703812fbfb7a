/**
 * The time every decision about time reads (windows, pauses, retries, leases,
 * expiries), so that tests decide on a fixed clock instead of the real one.
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
