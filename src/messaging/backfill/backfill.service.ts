import { Injectable } from '@nestjs/common';
import { AccountsService } from '@accounts';
import { Clock, DomainError, newId } from '@common';
import type { BackfillJob } from './backfill-job';
import { BackfillJobRepository } from './backfill-job.repository';
import { backfillSince } from './backfill-since';
import { BackfillWorker } from './backfill-worker';

/** Starting and following backfill jobs: one per account at a time, run by the worker of whichever replica claims it. */
@Injectable()
export class BackfillService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly jobs: BackfillJobRepository,
    private readonly worker: BackfillWorker,
    private readonly clock: Clock,
  ) {}

  /**
   * Queues a backfill of the account since `since` (see `backfillSince`).
   * @throws DomainError account_not_found, account_inactive, validation_failed, backfill_in_progress.
   */
  async start(accountId: string, since: string | undefined): Promise<BackfillJob> {
    const account = await this.accounts.get(accountId);
    if (!account.isActive) throw new DomainError('account_inactive', 'the account is inactive');
    const now = this.clock.now();
    const job = await this.jobs.create({ id: newId(now.getTime()), accountId, since: backfillSince(since, now), now });
    if (!job) {
      const running = await this.jobs.active(accountId);
      const which = running ? ` (job ${running.id})` : '';
      throw new DomainError('backfill_in_progress', `a backfill of this account is already running${which}`);
    }
    this.worker.wake();
    return job;
  }

  /** @throws DomainError account_not_found, backfill_job_not_found. */
  async get(accountId: string, jobId: string): Promise<BackfillJob> {
    await this.accounts.get(accountId);
    const job = await this.jobs.get(accountId, jobId);
    if (!job) throw new DomainError('backfill_job_not_found', 'backfill job not found in this account');
    return job;
  }
}
