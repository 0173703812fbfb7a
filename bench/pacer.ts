/**
 * The open loop's schedule: request i is due at start + i/rate, whatever
 * happened to the others. A request is never sent before its due time, and
 * its latency runs from that due time, so a client that falls behind (a
 * stall of its own or of the server) shows in the latency of every request
 * it sent late: no coordinated omission, and no negative latency.
 */
export class OpenLoopSchedule {
  constructor(
    /** performance.now() of request 0's due time. */
    readonly start: number,
    /** Requests per second. */
    readonly rate: number,
    /** Requests in the whole run. */
    readonly total: number,
  ) {}

  dueAt(index: number): number {
    return this.start + (index * 1000) / this.rate;
  }

  /**
   * The index after the last request due by `now`, counting from `next`
   * (the first not yet sent): requests next … result-1 are to be sent now,
   * all of them, however late.
   */
  dueBy(next: number, now: number): number {
    let index = next;
    while (index < this.total && this.dueAt(index) <= now) index += 1;
    return index;
  }

  /**
   * How long to sleep before request `next` may be due: whole milliseconds,
   * rounded up. Timers count from the event loop's cached clock and may fire
   * a little early, so the caller checks `dueBy` again after waking instead
   * of trusting the timer.
   */
  msUntil(next: number, now: number): number {
    return Math.max(1, Math.ceil(this.dueAt(next) - now));
  }
}
