/** What a write answers for each of its items: its own result, or its own error. */
export type ItemResult<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface GroupCommitLimits {
  /** Writes under way at once; the next one starts when one of them ends. */
  maxInFlight: number;
  /** A write takes at most this many items' weight (rows)... */
  maxBatchWeight: number;
  /** ...and this many bytes, except a single item, which always fits. */
  maxBatchBytes: number;
  /** Items waiting beyond this many bytes are refused at once. */
  maxQueueBytes: number;
  /** An item not taken into a write this long after it came is refused (Infinity: items wait as long as it takes). */
  maxWaitMs: number;
}

/** Why an item was refused without being written: the queue was too full, or it waited too long. */
export class QueueOverloadedError extends Error {
  constructor(readonly reason: 'queue_full' | 'wait_exceeded') {
    super(reason === 'queue_full' ? 'too much is waiting to be written' : 'it waited too long to be written');
    this.name = 'QueueOverloadedError';
  }
}

interface Waiting<T, R> {
  item: T;
  bytes: number;
  weight: number;
  since: number;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit without a timer: an item submitted while fewer than
 * `maxInFlight` writes are under way is written at once, alone; items
 * submitted meanwhile wait, and when a write ends the next one takes all
 * that waited, up to the batch limits. Under load, batches grow by
 * themselves to what arrives during one write; a lone item waits for no one.
 *
 * What waits is bounded, so a burst beyond what the database takes is
 * refused instead of queued: by bytes at once, and by time (an item is
 * refused once it has waited `maxWaitMs`; new items are refused at once
 * while the oldest waiting one has waited half of that, since they would
 * wait longer still).
 */
export class GroupCommit<T, R> {
  private readonly waiting: Array<Waiting<T, R>> = [];
  private waitingBytes = 0;
  private inFlight = 0;
  private expiry: NodeJS.Timeout | null = null;

  constructor(
    private readonly write: (items: T[]) => Promise<Array<ItemResult<R>>>,
    private readonly limits: GroupCommitLimits,
    private readonly onRefused: (reason: QueueOverloadedError['reason']) => void = () => undefined,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Resolves once the write holding `item` has committed; rejects with its own
   * error or a QueueOverloadedError. `since` is when the item arrived (now,
   * unless it waited elsewhere first): its wait is counted from then.
   */
  submit(item: T, bytes: number, weight: number, since: number = this.now()): Promise<R> {
    const refusal = this.refuseIfOverloaded(bytes, since);
    if (refusal) return Promise.reject(refusal);
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, bytes, weight, since, resolve, reject });
      this.waitingBytes += bytes;
      this.startWrites();
      if (this.expiry === null) this.scheduleExpiry();
    });
  }

  /** The refusal an item of `bytes` meets now (counted through `onRefused`), or null when it would be taken. */
  refuseIfOverloaded(bytes: number, since: number = this.now()): QueueOverloadedError | null {
    const reason = this.reasonToRefuse(bytes, since);
    if (reason === null) return null;
    this.onRefused(reason);
    return new QueueOverloadedError(reason);
  }

  private reasonToRefuse(bytes: number, since: number): QueueOverloadedError['reason'] | null {
    if (this.waitingBytes + bytes > this.limits.maxQueueBytes && this.waiting.length > 0) return 'queue_full';
    const now = this.now();
    if (now - since >= this.limits.maxWaitMs) return 'wait_exceeded';
    const oldest = this.waiting[0];
    if (oldest && now - oldest.since >= this.limits.maxWaitMs / 2) return 'wait_exceeded';
    return null;
  }

  /** Items waiting to be written, and their bytes. */
  get backlog(): { items: number; bytes: number } {
    return { items: this.waiting.length, bytes: this.waitingBytes };
  }

  private startWrites(): void {
    while (this.inFlight < this.limits.maxInFlight && this.waiting.length > 0) {
      const batch = this.takeBatch();
      this.inFlight += 1;
      void this.runWrite(batch);
    }
  }

  private takeBatch(): Array<Waiting<T, R>> {
    let weight = 0;
    let bytes = 0;
    let count = 0;
    for (const next of this.waiting) {
      const fits =
        weight + next.weight <= this.limits.maxBatchWeight && bytes + next.bytes <= this.limits.maxBatchBytes;
      if (count > 0 && !fits) break;
      weight += next.weight;
      bytes += next.bytes;
      count += 1;
    }
    const batch = this.waiting.splice(0, count);
    this.waitingBytes -= bytes;
    return batch;
  }

  private async runWrite(batch: Array<Waiting<T, R>>): Promise<void> {
    try {
      const results = await this.write(batch.map((w) => w.item));
      batch.forEach((waiting, index) => {
        const result = results[index];
        if (result?.ok) waiting.resolve(result.value);
        else waiting.reject(result ? result.error : new Error('the write gave no result for this item'));
      });
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    } finally {
      this.inFlight -= 1;
      this.startWrites();
      this.scheduleExpiry();
    }
  }

  /** One timer, for the oldest waiting item: items wait in order, so it is the first to expire. */
  private scheduleExpiry(): void {
    if (this.expiry !== null) clearTimeout(this.expiry);
    this.expiry = null;
    const oldest = this.waiting[0];
    if (!oldest || !Number.isFinite(this.limits.maxWaitMs)) return;
    const delay = Math.max(0, oldest.since + this.limits.maxWaitMs - this.now());
    this.expiry = setTimeout(() => this.expireWaiting(), delay);
    this.expiry.unref();
  }

  private expireWaiting(): void {
    this.expiry = null;
    const now = this.now();
    while (this.waiting.length > 0 && now - this.waiting[0].since >= this.limits.maxWaitMs) {
      const expired = this.waiting.shift() as Waiting<T, R>;
      this.waitingBytes -= expired.bytes;
      this.onRefused('wait_exceeded');
      expired.reject(new QueueOverloadedError('wait_exceeded'));
    }
    this.scheduleExpiry();
  }
}
