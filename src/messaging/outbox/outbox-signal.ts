import { Injectable } from '@nestjs/common';

/**
 * Wakes this replica's dispatcher as soon as a message is queued here, so a
 * reply leaves without waiting for the next poll, and an idle dispatcher can
 * sleep long between polls (which only pick up other replicas' work).
 */
@Injectable()
export class OutboxSignal {
  private waiters: Array<() => void> = [];
  private pending = false;

  notify(): void {
    this.pending = true;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves on the next notify (at once if one came since the last wait), or after `timeoutMs`. */
  wait(timeoutMs: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        resolve();
      }, timeoutMs);
      timer.unref?.();
      const wake = () => {
        clearTimeout(timer);
        this.pending = false;
        resolve();
      };
      this.waiters.push(wake);
    });
  }
}
