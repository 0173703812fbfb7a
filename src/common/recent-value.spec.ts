import { RecentValue } from './recent-value';

describe('RecentValue', () => {
  let clock = 0;
  const now = () => clock;

  beforeEach(() => {
    clock = 1_000;
  });

  it('reads once while the value is younger than maxAgeMs, then again', async () => {
    let reads = 0;
    const value = new RecentValue(5000, async () => ++reads, now);
    expect(await value.get()).toBe(1);
    clock += 4999;
    expect(await value.get()).toBe(1);
    clock += 1;
    expect(await value.get()).toBe(2);
    expect(reads).toBe(2);
  });

  it('lets callers that arrive during a read share it', async () => {
    let reads = 0;
    let finish!: (n: number) => void;
    const value = new RecentValue(
      5000,
      () => {
        reads += 1;
        return new Promise<number>((resolve) => (finish = resolve));
      },
      now,
    );
    const first = value.get();
    const second = value.get();
    finish(7);
    expect(await Promise.all([first, second])).toEqual([7, 7]);
    expect(reads).toBe(1);
  });

  it('keeps no failed read: the next caller reads again', async () => {
    let reads = 0;
    const value = new RecentValue(
      5000,
      async () => {
        reads += 1;
        if (reads === 1) throw new Error('database down');
        return reads;
      },
      now,
    );
    await expect(value.get()).rejects.toThrow('database down');
    expect(await value.get()).toBe(2);
  });

  it('reads again after forget, and keeps no read that was under way when it forgot', async () => {
    let reads = 0;
    let finish!: (n: number) => void;
    const value = new RecentValue(
      5000,
      () => {
        reads += 1;
        return reads === 1 ? new Promise<number>((resolve) => (finish = resolve)) : Promise.resolve(reads);
      },
      now,
    );
    const stale = value.get();
    value.forget();
    finish(1);
    expect(await stale).toBe(1);
    expect(await value.get()).toBe(2);
    expect(await value.get()).toBe(2);
  });

  it('tells its value while it is fresh, without ever reading', async () => {
    let reads = 0;
    const value = new RecentValue(5000, async () => ++reads, now);
    expect(value.fresh()).toBeUndefined();
    await value.get();
    clock += 4999;
    expect(value.fresh()).toBe(1);
    clock += 1;
    expect(value.fresh()).toBeUndefined();
    expect(reads).toBe(1);
  });
});
