import { epochToDate } from './epoch-time';

describe('epochToDate', () => {
  const LAST_STORABLE = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

  it.each([
    ['milliseconds', 1780000000000, 1780000000000],
    ['seconds', 1780000000, 1780000000000],
    ['the last millisecond a DATETIME holds', LAST_STORABLE, LAST_STORABLE],
    ['the last second a DATETIME holds, in seconds', Math.floor(LAST_STORABLE / 1000), LAST_STORABLE - 999],
  ])('reads %s', (_label, value, expected) => {
    expect(epochToDate(value)?.getTime()).toBe(expected);
  });

  // MySQL refuses a DATETIME after 9999 and fails the whole delivery with it, so Meta would retry forever.
  it.each([
    ['milliseconds in the year 10000', LAST_STORABLE + 1],
    ['seconds in the year 10000', Math.floor(LAST_STORABLE / 1000) + 1],
    ['seconds just below the milliseconds threshold (year 33658)', 999_999_999_999],
    ['the largest valid JavaScript date', 8.64e15],
    ['beyond any JavaScript date', 8.64e15 + 1],
    ['a negative epoch', -1],
  ])('gives null for %s', (_label, value) => {
    expect(epochToDate(value)).toBeNull();
  });
});

describe('epochToDate, as other producers and captures write times', () => {
  it.each([
    ['milliseconds as a numeric string', '1780000000000', 1780000000000],
    ['seconds as a numeric string', '1780000000', 1780000000000],
    ['seconds with a fraction, as a string', '1780000000.25', 1780000000250],
    ['an ISO-8601 time in UTC', '2026-05-28T20:26:40Z', 1780000000000],
    ['an ISO-8601 time with milliseconds and an offset', '2026-05-28T22:26:40.123+02:00', 1780000000123],
  ])('reads %s', (_label, value, expected) => {
    expect(epochToDate(value)?.getTime()).toBe(expected);
  });

  it.each([
    ['a date without a time', '2026-05-28'],
    ['a time without an offset (its zone is unknown)', '2026-05-28T20:26:40'],
    ['words', 'yesterday'],
    ['an impossible date', '2026-13-45T99:00:00Z'],
    ['an empty string', ''],
  ])('gives null for %s', (_label, value) => {
    expect(epochToDate(value)).toBeNull();
  });
});
