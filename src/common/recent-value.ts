/** How old the figures of /health and /metrics may be: a few seconds, however often they are asked for. */
export const PUBLIC_FIGURES_MAX_AGE_MS = 5000;

/**
 * The result of an expensive read, reused while it is younger than `maxAgeMs`.
 * For figures that unauthenticated routes (/health, /metrics) show: anyone may
 * ask for them as often as they like, and the reads behind them grow with the
 * backlog. Callers that arrive while a read is under way share it; a read that
 * fails is not kept, so the next caller tries again.
 */
export class RecentValue<T> {
  private latest: { value: T; readAt: number } | null = null;
  private reading: Promise<T> | null = null;
  /** Bumped by `forget`, so that a read started before it is not kept. */
  private generation = 0;

  constructor(
    private readonly maxAgeMs: number,
    private readonly read: () => Promise<T>,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<T> {
    const startedAt = this.now();
    if (this.latest && startedAt - this.latest.readAt < this.maxAgeMs) return Promise.resolve(this.latest.value);
    const generation = this.generation;
    const reading = (this.reading ??= this.read()
      .then((value) => {
        if (generation === this.generation) this.latest = { value, readAt: startedAt };
        return value;
      })
      .finally(() => {
        if (this.reading === reading) this.reading = null;
      }));
    return reading;
  }

  /** The value, if one was read less than `maxAgeMs` ago; never starts a read. */
  fresh(): T | undefined {
    const latest = this.latest;
    return latest && this.now() - latest.readAt < this.maxAgeMs ? latest.value : undefined;
  }

  /** The value changed here: the next `get` reads it again, and a read under way is not kept. */
  forget(): void {
    this.generation += 1;
    this.latest = null;
    this.reading = null;
  }
}
