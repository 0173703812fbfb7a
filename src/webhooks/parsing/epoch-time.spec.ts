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
