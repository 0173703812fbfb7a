import { nextAttemptAt, retryDelayMs } from './retry-policy';

const backoff = { retryBaseMs: 1000, retryMaxMs: 60_000 };

describe('retryDelayMs', () => {
  it('doubles the ceiling with each attempt, up to the cap', () => {
    const ceiling = (attempt: number) => retryDelayMs(attempt, backoff, () => 0.999999);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(ceiling)).toEqual([999, 1999, 3999, 7999, 15_999, 31_999, 59_999, 59_999]);
  });

  it('picks anywhere from no wait to the ceiling (full jitter)', () => {
    expect(retryDelayMs(3, backoff, () => 0)).toBe(0);
    expect(retryDelayMs(3, backoff, () => 0.5)).toBe(2000);
  });

  it('stays finite for absurd attempt counts', () => {
    expect(retryDelayMs(5000, backoff, () => 0.5)).toBe(30_000);
  });
});

describe('nextAttemptAt', () => {
  const now = new Date('2026-01-01T00:00:00.000Z');

  it('waits the jittered backoff without a hint from Meta', () => {
    expect(nextAttemptAt(now, 2, null, backoff, () => 0.5).toISOString()).toBe('2026-01-01T00:00:01.000Z');
  });

  it('waits at least as long as Meta’s estimate', () => {
    expect(nextAttemptAt(now, 1, 5 * 60_000, backoff, () => 0.5).toISOString()).toBe('2026-01-01T00:05:00.000Z');
  });

  it('keeps a longer backoff over a shorter estimate', () => {
    expect(nextAttemptAt(now, 7, 1000, backoff, () => 0.5).toISOString()).toBe('2026-01-01T00:00:30.000Z');
  });
});
