import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@nestjs/common';

/** The pause before the next round: doubled (up to `max`) after a round that found nothing, else `base`. */
export function nextPause(current: number, roundAnswer: unknown, base: number, max: number): number {
  return roundAnswer === 0 ? Math.min(max, current * 2) : base;
}

/**
 * Runs `round` again and again, `intervalMs` after the previous one ended,
 * from `start` until `stop`. A round that answers 0 (it found nothing to do)
 * doubles the next pause, up to `idleMaxIntervalMs`; any other answer brings
 * it back to `intervalMs`. A failing round is logged and the loop goes on;
 * `wake` ends its sleep at once (or the next one, when a round is under
 * way), for work that is known to be waiting; `stop` wakes it from its
 * sleep and waits for a round under way to end.
 */
export class BackgroundLoop {
  private readonly abort = new AbortController();
  private running: Promise<void> | null = null;
  private woken = false;
  private endSleep: (() => void) | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly round: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly idleMaxIntervalMs: number = intervalMs,
  ) {}

  start(firstDelayMs: number): void {
    this.running = this.run(firstDelayMs);
  }

  wake(): void {
    this.woken = true;
    this.endSleep?.();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private async run(delayMs: number): Promise<void> {
    for (let wait = delayMs, idle = this.intervalMs; await this.sleep(wait); wait = idle) {
      try {
        idle = nextPause(idle, await this.round(), this.intervalMs, this.idleMaxIntervalMs);
      } catch (error) {
        idle = this.intervalMs;
        this.logger.error({ err: error }, 'background round failed; will try again');
      }
    }
  }

  /** False once stopped. */
  private async sleep(ms: number): Promise<boolean> {
    if (!this.woken) {
      const woken = new AbortController();
      this.endSleep = () => woken.abort();
      try {
        await sleep(ms, undefined, { signal: AbortSignal.any([this.abort.signal, woken.signal]) });
      } catch {
        // woken, or stopped: told apart below
      } finally {
        this.endSleep = null;
      }
    }
    this.woken = false;
    return !this.abort.signal.aborted;
  }
}
