/** Late by more than this, a timer says the process was stalled, not that the call was slow. */
const STALL_MS = 50;
/** However often the process stalls, a call is given up this many timeouts after it began (after its first stall at least). */
const MAX_TIMEOUTS = 3;

/**
 * How long one Graph API call may take, as an abort signal. A timer that
 * falls due while the process is stalled (a GC pause, a starved CPU, a
 * synchronous wait for a lock) runs before the sockets are read, so Meta's
 * answer, already in the socket, would count as none, and a message Meta
 * has would be sent again as if lost. So each time the deadline fires late
 * it gives the call once more as long as the stall took (at most the
 * timeout), and it aborts only when it falls due on time, or late again once
 * the call has had `MAX_TIMEOUTS` timeouts in all.
 */
export class CallDeadline {
  private readonly controller = new AbortController();
  private readonly giveUpAt: number;
  private timer: NodeJS.Timeout | null = null;
  private extensions = 0;
  private passed = false;

  constructor(
    private readonly timeoutMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.giveUpAt = this.now() + timeoutMs * MAX_TIMEOUTS;
    this.arm(timeoutMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Whether the call was aborted because its time ran out. */
  get expired(): boolean {
    return this.passed;
  }

  /** The call ended: the deadline no longer matters. */
  clear(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(ms: number): void {
    const due = this.now() + ms;
    this.timer = setTimeout(() => this.fallDue(due), ms);
  }

  private fallDue(due: number): void {
    const now = this.now();
    const stalledMs = now - due;
    const left = this.giveUpAt - now;
    if (stalledMs > STALL_MS && (this.extensions === 0 || left > 0)) {
      const more = Math.min(stalledMs, this.timeoutMs);
      this.arm(this.extensions === 0 ? more : Math.min(more, left));
      this.extensions += 1;
      return;
    }
    this.timer = null;
    this.passed = true;
    this.controller.abort();
  }
}
