import { OpenLoopSchedule } from '../../bench/pacer';

describe('OpenLoopSchedule', () => {
  it('spaces requests evenly from the start', () => {
    const schedule = new OpenLoopSchedule(1000, 500, 10);
    expect([0, 1, 2, 9].map((i) => schedule.dueAt(i))).toEqual([1000, 1002, 1004, 1018]);
  });

  it('gives no request before its due time, even a fraction of a millisecond early', () => {
    const schedule = new OpenLoopSchedule(1000, 500, 10);
    expect(schedule.dueBy(0, 999.9)).toBe(0);
    expect(schedule.dueBy(0, 1000)).toBe(1);
    expect(schedule.dueBy(1, 1001.99)).toBe(1);
    expect(schedule.dueBy(1, 1002)).toBe(2);
  });

  it('gives every request that fell due while the client was late, at once and never past the total', () => {
    const schedule = new OpenLoopSchedule(1000, 500, 10);
    expect(schedule.dueBy(1, 1010.5)).toBe(6);
    expect(schedule.dueBy(6, 5000)).toBe(10);
    expect(schedule.dueBy(10, 5000)).toBe(10);
  });

  it('never has a request sent before its due time, wherever the clock stands', () => {
    const schedule = new OpenLoopSchedule(123.456, 3000, 5000);
    let next = 0;
    for (let now = 100; next < schedule.total; now += 0.137) {
      const due = schedule.dueBy(next, now);
      for (let i = next; i < due; i++) expect(schedule.dueAt(i)).toBeLessThanOrEqual(now);
      if (due < schedule.total) expect(schedule.dueAt(due)).toBeGreaterThan(now);
      next = due;
    }
  });

  it('sleeps whole milliseconds, rounded up, and at least one', () => {
    const schedule = new OpenLoopSchedule(1000, 500, 10);
    expect(schedule.msUntil(1, 1000)).toBe(2);
    expect(schedule.msUntil(1, 1001.7)).toBe(1);
    expect(schedule.msUntil(1, 1000.5)).toBe(2);
    expect(schedule.msUntil(1, 1003)).toBe(1);
  });
});
