import { GroupCommit, type GroupCommitLimits, type ItemResult, QueueOverloadedError } from './group-commit';

const LIMITS: GroupCommitLimits = {
  maxInFlight: 1,
  maxBatchWeight: 10,
  maxBatchBytes: 1000,
  maxQueueBytes: 5000,
  maxWaitMs: 1000,
};

/** A write the test finishes by hand, recording every batch it was given. */
class ManualWrites {
  readonly batches: string[][] = [];
  private finishers: Array<(results: Array<ItemResult<string>>) => void> = [];

  readonly write = (items: string[]) => {
    this.batches.push(items);
    return new Promise<Array<ItemResult<string>>>((resolve) => this.finishers.push(resolve));
  };

  /** Ends the oldest write still under way, each item succeeding with its own name. */
  finish(): void {
    const items = this.batches[this.batches.length - this.finishers.length];
    this.finishers.shift()?.(items.map((item) => ({ ok: true, value: `stored ${item}` })));
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  let clock: number;
  let writes: ManualWrites;
  let refused: string[];
  const queue = (limits: Partial<GroupCommitLimits> = {}) =>
    new GroupCommit(
      writes.write,
      { ...LIMITS, ...limits },
      (reason) => refused.push(reason),
      () => clock,
    );

  beforeEach(() => {
    clock = 0;
    writes = new ManualWrites();
    refused = [];
  });

  it('writes a lone item at once, alone', async () => {
    const commit = queue();
    const stored = commit.submit('a', 10, 1);
    expect(writes.batches).toEqual([['a']]);
    writes.finish();
    await expect(stored).resolves.toBe('stored a');
  });

  it('writes what arrived during a write as the next batch, each resolving only once its own batch is written', async () => {
    const commit = queue();
    const a = commit.submit('a', 10, 1);
    const rest = ['b', 'c', 'd'].map((item) => commit.submit(item, 10, 1));
    expect(writes.batches).toEqual([['a']]);
    let restSettled = false;
    void Promise.all(rest).then(() => (restSettled = true));
    writes.finish();
    await a;
    await settle();
    expect(writes.batches).toEqual([['a'], ['b', 'c', 'd']]);
    expect(restSettled).toBe(false);
    writes.finish();
    await expect(Promise.all(rest)).resolves.toEqual(['stored b', 'stored c', 'stored d']);
  });

  it('cuts batches at the weight and byte limits, but always takes one item', async () => {
    const commit = queue();
    void commit.submit('first', 10, 1);
    void commit.submit('heavy', 10, 8);
    void commit.submit('light', 10, 3);
    void commit.submit('huge', 1500, 1);
    writes.finish();
    await settle();
    expect(writes.batches[1]).toEqual(['heavy']);
    writes.finish();
    await settle();
    expect(writes.batches[2]).toEqual(['light']);
    writes.finish();
    await settle();
    expect(writes.batches[3]).toEqual(['huge']);
  });

  it('gives each item its own error when the write reports one', async () => {
    const failing = new GroupCommit<string, string>(
      async (items) =>
        items.map((item) => (item === 'bad' ? { ok: false, error: new Error('refused') } : { ok: true, value: item })),
      LIMITS,
    );
    await expect(failing.submit('good', 1, 1)).resolves.toBe('good');
    await expect(failing.submit('bad', 1, 1)).rejects.toThrow('refused');
  });

  it('fails every item of a batch whose write throws', async () => {
    const failing = new GroupCommit<string, string>(async () => {
      throw new Error('database away');
    }, LIMITS);
    await expect(failing.submit('a', 1, 1)).rejects.toThrow('database away');
  });

  it('refuses at once an item that would take the waiting bytes over the limit, and counts it', async () => {
    const commit = queue({ maxQueueBytes: 100 });
    void commit.submit('in flight', 60, 1);
    void commit.submit('waits', 60, 1);
    await expect(commit.submit('too much', 60, 1)).rejects.toEqual(new QueueOverloadedError('queue_full'));
    expect(refused).toEqual(['queue_full']);
    expect(commit.backlog).toEqual({ items: 1, bytes: 60 });
  });

  it('refuses an item that waited longer than maxWaitMs, without writing it', async () => {
    jest.useFakeTimers();
    try {
      const commit = queue();
      void commit.submit('stuck', 10, 1);
      const waiting = commit.submit('waits', 10, 1);
      const outcome = waiting.catch((error: unknown) => error);
      clock = 1000;
      jest.advanceTimersByTime(1000);
      expect(await outcome).toEqual(new QueueOverloadedError('wait_exceeded'));
      expect(refused).toEqual(['wait_exceeded']);
      writes.finish();
      expect(writes.batches).toEqual([['stuck']]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('counts an item’s wait from when it arrived, so one that already waited elsewhere is refused at once', async () => {
    const commit = queue();
    void commit.submit('stuck', 10, 1);
    clock = 1500;
    await expect(commit.submit('late', 10, 1, 400)).rejects.toEqual(new QueueOverloadedError('wait_exceeded'));
    expect(refused).toEqual(['wait_exceeded']);
    expect(commit.backlog.items).toBe(0);
  });

  it('refuses new items at once while the oldest waiting one has waited half of maxWaitMs', async () => {
    const commit = queue();
    void commit.submit('stuck', 10, 1);
    void commit.submit('waits', 10, 1);
    clock = 499;
    expect(commit.refuseIfOverloaded(10)).toBeNull();
    clock = 500;
    expect(commit.refuseIfOverloaded(10)).toEqual(new QueueOverloadedError('wait_exceeded'));
  });
});
