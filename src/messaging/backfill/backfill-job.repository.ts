import type { BackfillJob, BackfillProgress } from './backfill-job';

export interface NewBackfillJob {
  id: string;
  accountId: string;
  since: Date;
  now: Date;
}

/** Backfill jobs, each scoped to its account; the lease says which process runs a job. */
export abstract class BackfillJobRepository {
  /** Queues the job; null when the account has a job queued or running already. */
  abstract create(job: NewBackfillJob): Promise<BackfillJob | null>;
  abstract get(accountId: string, jobId: string): Promise<BackfillJob | null>;
  /** The account's job that is queued or running, if any. */
  abstract active(accountId: string): Promise<BackfillJob | null>;
  /**
   * Takes the lease of up to `limit` jobs (or of the one job `jobId`) that
   * are queued, or running with an expired lease (their runner died).
   */
  abstract claim(owner: string, until: Date, now: Date, limit: number, jobId?: string): Promise<BackfillJob[]>;
  /** Saves the progress and extends the lease; false when the lease is no longer this owner's. */
  abstract saveProgress(
    jobId: string,
    owner: string,
    progress: BackfillProgress,
    until: Date,
    now: Date,
  ): Promise<boolean>;
  /** Extends the lease in the middle of a conversation; false when the lease is no longer this owner's. */
  abstract renewLease(jobId: string, owner: string, until: Date, now: Date): Promise<boolean>;
  /** Lets the job go at once (a stopping process), for another process to resume it from its cursor. */
  abstract release(jobId: string, owner: string, now: Date): Promise<void>;
  /** Ends the job (`completed` or `failed`), with its last progress; the account may then start another. */
  abstract finish(
    jobId: string,
    owner: string,
    outcome: { status: 'completed' | 'failed'; error: string | null; progress: BackfillProgress },
    now: Date,
  ): Promise<void>;
}
