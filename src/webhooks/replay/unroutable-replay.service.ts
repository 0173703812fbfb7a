import { performance } from 'node:perf_hooks';
import { Injectable, Logger } from '@nestjs/common';
import { AccountsService, AccountRepository, type InstagramBusinessAccount } from '@accounts';
import { Clock, DomainError, QueueOverloadedError } from '@common';
import { IntakeWriter, type KeptEntry, UnroutableEvents } from '@messaging';
import { ActiveAccountResolver } from '../active-account-resolver';
import { parseBody } from '../parsing/parse-body';
import { isValidSignature } from '../signature';

/** What a replay did with the account's kept entries. */
export interface ReplayCounts {
  /** Entries applied, with at least one event the account did not have. */
  applied: number;
  /** Entries applied whose events were all stored already. */
  alreadyPresent: number;
  /** Entries left kept: their delivery does not verify with the account's own app secret. */
  refusedBySignature: number;
}

const BATCH = 100;

/**
 * Applies to an account the webhook entries that came for its Instagram id
 * before it could take them (not registered yet, inactive, credentials
 * unreadable, or on another account's route), and were kept as unroutable.
 * Each delivery is verified again, byte for byte, with the account's own
 * app secret: an entry signed with another app's secret is never applied to
 * it. Applied entries go through the intake as replayed events (stored once
 * by mid, never answered automatically) and are marked applied.
 */
@Injectable()
export class UnroutableReplayService {
  private readonly logger = new Logger(UnroutableReplayService.name);

  constructor(
    private readonly accountsService: AccountsService,
    private readonly accounts: AccountRepository,
    private readonly activeAccounts: ActiveAccountResolver,
    private readonly kept: UnroutableEvents,
    private readonly intake: IntakeWriter,
    private readonly clock: Clock,
  ) {}

  /** @throws DomainError account_not_found, account_inactive, intake_overloaded. */
  async replay(accountId: string): Promise<ReplayCounts> {
    const view = await this.accountsService.get(accountId);
    if (!view.isActive) throw new DomainError('account_inactive', 'the account is inactive');
    const account = (await this.accounts.getById(accountId))!;
    const appSecret = await this.activeAccounts.appSecretOf(account.id);
    const counts: ReplayCounts = { applied: 0, alreadyPresent: 0, refusedBySignature: 0 };
    for (let after: string | null = null; ;) {
      const batch = await this.kept.pendingEntries(account.igUserId, after, BATCH);
      if (batch.length === 0) break;
      after = batch[batch.length - 1].event.id;
      for (const entry of batch) await this.replayEntry(account, appSecret, entry, counts);
    }
    this.logger.log({ accountId, ...counts }, 'unroutable entries replayed');
    return counts;
  }

  private async replayEntry(
    account: InstagramBusinessAccount,
    appSecret: string,
    kept: KeptEntry,
    counts: ReplayCounts,
  ): Promise<void> {
    if (!isValidSignature(kept.rawBody, kept.signature ?? undefined, appSecret)) {
      counts.refusedBySignature += 1;
      return;
    }
    const entry = parseBody(kept.rawBody).entries[kept.entryIndex];
    // The kept row and the bytes it points to must name the same account: anything else stays kept.
    if (entry?.entryId !== account.igUserId) return;
    try {
      const summary = await this.intake.write({
        routeAccountId: account.id,
        rawBody: kept.rawBody,
        signature: kept.signature ?? '',
        entries: [{ entry, account }],
        requestId: null,
        arrivedAt: performance.now(),
        source: 'replay',
      });
      if (summary.stored > 0) counts.applied += 1;
      else counts.alreadyPresent += 1;
    } catch (error) {
      if (!(error instanceof QueueOverloadedError)) throw error;
      throw new DomainError('intake_overloaded', 'the webhook intake is overloaded; replay again shortly');
    }
    await this.kept.markApplied([kept.event.id], this.clock.now());
  }
}
