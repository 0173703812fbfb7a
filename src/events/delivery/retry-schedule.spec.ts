import { FixedClock } from '../../../test/support/fixed-clock';
import { EventDeliverySettings } from './event-delivery-settings';
import { nextAttemptAt, retryAfterMsOf } from './retry-schedule';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

describe('the retry schedule of event deliveries', () => {
  const { timings } = EventDeliverySettings.fromEnvironment({ EVENT_ENDPOINTS_ALLOW_PRIVATE: false });
  const clock = new FixedClock(new Date('2026-12-08T09:00:00.000Z'));
  const middle = () => 0.5;

  it('waits about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, then gives up after the eighth attempt', () => {
    const waits: number[] = [];
    for (let attempts = 1; attempts <= 7; attempts++) {
      const at = nextAttemptAt(clock.now(), attempts, null, timings, middle)!;
      waits.push(at.getTime() - clock.now().getTime());
      clock.set(at);
    }
    expect(waits).toEqual([5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR]);
    expect(nextAttemptAt(clock.now(), 8, null, timings, middle)).toBeNull();
  });

  it('spreads each wait by up to a tenth either way', () => {
    const now = clock.now();
    expect(nextAttemptAt(now, 2, null, timings, () => 0)).toEqual(new Date(now.getTime() + 4.5 * MINUTE));
    expect(nextAttemptAt(now, 2, null, timings, () => 0.999_999_9)!.getTime()).toBeCloseTo(
      now.getTime() + 5.5 * MINUTE,
      -2,
    );
  });

  it('waits what Retry-After asks instead, at most a day, but never past the last attempt', () => {
    const now = clock.now();
    expect(nextAttemptAt(now, 1, 90 * SECOND, timings, middle)).toEqual(new Date(now.getTime() + 90 * SECOND));
    expect(nextAttemptAt(now, 3, 7 * 24 * HOUR, timings, middle)).toEqual(new Date(now.getTime() + 24 * HOUR));
    expect(nextAttemptAt(now, 8, 1 * SECOND, timings, middle)).toBeNull();
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = clock.now();
    expect(retryAfterMsOf('120', now)).toBe(120 * SECOND);
    expect(retryAfterMsOf(new Date(now.getTime() + 30 * SECOND).toUTCString(), now)).toBe(30 * SECOND);
    expect(retryAfterMsOf('soon', now)).toBeNull();
    expect(retryAfterMsOf(undefined, now)).toBeNull();
  });
});
