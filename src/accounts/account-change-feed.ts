import { Injectable } from '@nestjs/common';

type Listener = (accountId: string) => void;

/**
 * Tells this process's caches that an account changed (credentials, activity),
 * so a change made here applies here at once; other replicas rely on their
 * caches' short lifetime.
 */
@Injectable()
export class AccountChangeFeed {
  private readonly listeners = new Set<Listener>();

  onChange(listener: Listener): void {
    this.listeners.add(listener);
  }

  changed(accountId: string): void {
    for (const listener of this.listeners) listener(accountId);
  }
}
