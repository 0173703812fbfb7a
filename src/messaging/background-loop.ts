import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@nestjs/common';

/**
 * Runs `round` again and again, `intervalMs` after the previous one ended,
 * from `start` until `stop`. A failing round is logged and the loop goes on;
 * `stop` wakes it from its sleep and waits for a round under way to end.
 */
export class BackgroundLoop {
  private readonly abort = new AbortController();
  private running: Promise<void> | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly round: () => Promise<unknown>,
    private readonly intervalMs: number,
  ) {}

  start(firstDelayMs: number): void {
    this.running = this.run(firstDelayMs);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private async run(delayMs: number): Promise<void> {
    for (let wait = delayMs; await this.sleep(wait); wait = this.intervalMs) {
      try {
        await this.round();
      } catch (error) {
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
