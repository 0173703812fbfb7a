import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { Clock } from '@common';
import { GraphApiPacing } from './graph-api-pacing';
import { BackfillSettings } from './backfill-settings';

/**
 * Keeps every replica's Conversations API calls for one account at Meta's
 * 2 per second: each call first reserves the account's next slot in the
 * database (shared by all replicas), then waits for it.
 */
@Injectable()
export class ConversationsApiPacer {
  constructor(
    private readonly pacing: GraphApiPacing,
    private readonly settings: BackfillSettings,
    private readonly clock: Clock,
  ) {}

  /** Resolves when the account may make its next call; rejects when `signal` aborts first. */
  async waitForTurn(accountId: string, signal: AbortSignal): Promise<void> {
    const slot = await this.pacing.reserve(accountId, this.clock.now(), this.settings.callSpacingMs);
    const wait = slot.getTime() - this.clock.now().getTime();
    if (wait > 0) await sleep(wait, undefined, { signal });
    signal.throwIfAborted();
  }
}
