import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, LessThan, Not } from 'typeorm';
import { currentManager, isUniqueViolation } from '@database';
import type { BackfillCursor, BackfillJob, BackfillProgress, BackfillStatus } from '../backfill-job';
import { BackfillJobRepository, type NewBackfillJob } from '../backfill-job.repository';
import { BackfillJobEntity } from './backfill-job.entity';

const ACTIVE: BackfillStatus[] = ['queued', 'running'];
const START: BackfillCursor = { after: null, done: 0 };

const toJob = (row: BackfillJobEntity): BackfillJob => ({
  id: row.id,
  accountId: row.accountId,
  status: row.status as BackfillStatus,
  since: row.since,
  cursor: row.cursor === null ? START : (JSON.parse(row.cursor) as BackfillCursor),
  conversationsScanned: row.conversationsScanned,
  messagesAdded: row.messagesAdded,
  messagesUnavailable: row.messagesUnavailable,
  error: row.error,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  finishedAt: row.finishedAt,
});

const progressColumns = (progress: BackfillProgress) => ({
  cursor: JSON.stringify(progress.cursor),
  conversationsScanned: progress.conversationsScanned,
  messagesAdded: progress.messagesAdded,
  messagesUnavailable: progress.messagesUnavailable,
});

@Injectable()
export class TypeOrmBackfillJobRepository extends BackfillJobRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  private get rows() {
    return currentManager(this.dataSource).getRepository(BackfillJobEntity);
  }

  async create(job: NewBackfillJob): Promise<BackfillJob | null> {
    const row: BackfillJobEntity = {
      id: job.id,
      accountId: job.accountId,
      activeAccountId: job.accountId,
      status: 'queued',
      since: job.since,
      cursor: null,
      conversationsScanned: 0,
      messagesAdded: 0,
      messagesUnavailable: 0,
      error: null,
      leaseOwner: null,
      leaseExpiresAt: null,
      createdAt: job.now,
      updatedAt: job.now,
      finishedAt: null,
    };
    try {
      await this.rows.insert(row);
    } catch (error) {
      // The unique active account: another job of the account is queued or running.
      if (isUniqueViolation(error)) return null;
      throw error;
    }
    return toJob(row);
  }

  async get(accountId: string, jobId: string): Promise<BackfillJob | null> {
    const row = await this.rows.findOneBy({ accountId, id: jobId });
    return row ? toJob(row) : null;
  }

  async active(accountId: string): Promise<BackfillJob | null> {
    const row = await this.rows.findOneBy({ activeAccountId: accountId });
    return row ? toJob(row) : null;
  }

  async claim(owner: string, until: Date, now: Date, limit: number, jobId?: string): Promise<BackfillJob[]> {
    const only = jobId === undefined ? {} : { id: jobId };
    const candidates = await this.rows.find({
      where: [
        { ...only, status: In(ACTIVE), leaseExpiresAt: IsNull() },
        { ...only, status: In(ACTIVE), leaseExpiresAt: LessThan(now) },
      ],
      order: { createdAt: 'ASC' },
      take: limit,
    });
    const claimed: BackfillJob[] = [];
    for (const candidate of candidates) {
      // Compare and set on the lease it was read with: of two replicas claiming together, one wins.
      const result = await this.rows.update(
        {
          id: candidate.id,
          status: In(ACTIVE),
          leaseExpiresAt: candidate.leaseExpiresAt === null ? IsNull() : candidate.leaseExpiresAt,
          leaseOwner: candidate.leaseOwner === null ? IsNull() : candidate.leaseOwner,
        },
        { status: 'running', leaseOwner: owner, leaseExpiresAt: until, updatedAt: now },
      );
      if (result.affected === 1) {
        claimed.push(toJob({ ...candidate, status: 'running', leaseOwner: owner, leaseExpiresAt: until }));
      }
    }
    return claimed;
  }

  async saveProgress(
    jobId: string,
    owner: string,
    progress: BackfillProgress,
    until: Date,
    now: Date,
  ): Promise<boolean> {
    const result = await this.rows.update(
      { id: jobId, leaseOwner: owner, status: 'running' },
      { ...progressColumns(progress), leaseExpiresAt: until, updatedAt: now },
    );
    return result.affected === 1;
  }

  async renewLease(jobId: string, owner: string, until: Date, now: Date): Promise<boolean> {
    const result = await this.rows.update(
      { id: jobId, leaseOwner: owner, status: 'running' },
      { leaseExpiresAt: until, updatedAt: now },
    );
    return result.affected === 1;
  }

  async release(jobId: string, owner: string, now: Date): Promise<void> {
    await this.rows.update(
      { id: jobId, leaseOwner: owner, status: Not(In(['completed', 'failed'])) },
      { leaseOwner: null, leaseExpiresAt: null, updatedAt: now },
    );
  }

  async finish(
    jobId: string,
    owner: string,
    outcome: { status: 'completed' | 'failed'; error: string | null; progress: BackfillProgress },
    now: Date,
  ): Promise<void> {
    await this.rows.update(
      { id: jobId, leaseOwner: owner },
      {
        ...progressColumns(outcome.progress),
        status: outcome.status,
        error: outcome.error,
        activeAccountId: null,
        leaseOwner: null,
        leaseExpiresAt: null,
        finishedAt: now,
        updatedAt: now,
      },
    );
  }
}
