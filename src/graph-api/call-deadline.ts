/** Late by more than this, a timer says the process was stalled, not that the call was slow. */
const STALL_MS = 50;

/**
 * How long one Graph API call may take, as an abort signal. A timer that
 * falls due while the process is stalled (a GC pause, a starved CPU) runs
 * before the sockets are read, so Meta's answer, already in the socket,
 * would count as none, and a message Meta has would be sent again as if
 * lost. So a deadline that fires late gives the call once more as long as
 * the stall took (at most the timeout again) before it aborts.
 */
export class CallDeadline {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private extended = false;
  private passed = false;

  constructor(
    private readonly timeoutMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
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
    const stalledMs = this.now() - due;
    if (!this.extended && stalledMs > STALL_MS) {
      this.extended = true;
      this.arm(Math.min(stalledMs, this.timeoutMs));
      return;
    }
    this.timer = null;
    this.passed = true;
    this.controller.abort();
  }
}
