import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { Clock } from '@common';
import { GraphApiPacing } from './graph-api-pacing';
import { BackfillSettings } from './backfill-settings';

/**
 * Keeps every replica's Conversations API calls for one account at Meta's
 * 2 per second: each call waits until the account's pace, kept in the
 * database for all replicas, grants it.
 */
@Injectable()
export class ConversationsApiPacer {
  constructor(
    private readonly pacing: GraphApiPacing,
    private readonly settings: BackfillSettings,
    private readonly clock: Clock,
  ) {}

  /** Resolves when the account may make its next call, at once; rejects when `signal` aborts first. */
  async waitForTurn(accountId: string, signal: AbortSignal): Promise<void> {
    for (;;) {
      signal.throwIfAborted();
      const turn = await this.pacing.grant(accountId, this.clock.now(), this.settings.callSpacingMs);
      if ('granted' in turn) return;
      await sleep(turn.waitMs, undefined, { signal });
    }
  }
}
