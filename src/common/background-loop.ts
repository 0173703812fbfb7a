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
 * `stop` wakes it from its sleep and waits for a round under way to end.
 */
export class BackgroundLoop {
  private readonly abort = new AbortController();
  private running: Promise<void> | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly round: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly idleMaxIntervalMs: number = intervalMs,
  ) {}

  start(firstDelayMs: number): void {
    this.running = this.run(firstDelayMs);
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
    try {
      await sleep(ms, undefined, { signal: this.abort.signal });
      return true;
    } catch {
      return false;
    }
  }
}
