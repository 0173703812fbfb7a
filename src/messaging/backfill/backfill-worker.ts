import { setMaxListeners } from 'node:events';
import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { BackgroundLoop, Clock, LeaseOwner, ProcessRole } from '@common';
import type { BackfillJob } from './backfill-job';
import { BackfillJobRepository } from './backfill-job.repository';
import { BackfillRunner } from './backfill-runner';
import { BackfillSettings } from './backfill-settings';

/**
 * Runs the backfill jobs: each round claims the jobs that are queued, or
 * whose runner's lease has expired (a process that died), up to the
 * process's concurrency, and runs them in the background. A stopping
 * process lets its jobs go at once, and another resumes each from its
 * cursor. The CLI runs its own job through `runHere` instead.
 */
@Injectable()
export class BackfillWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(BackfillWorker.name);
  private readonly loop: BackgroundLoop;
  private readonly running = new Map<string, Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly role: ProcessRole,
    private readonly settings: BackfillSettings,
    private readonly jobs: BackfillJobRepository,
    private readonly runner: BackfillRunner,
    private readonly owner: LeaseOwner,
    private readonly clock: Clock,
  ) {
    // Every call of every job running here waits on it.
    setMaxListeners(0, this.stopping.signal);
    this.loop = new BackgroundLoop(
      this.logger,
      () => this.claimJobs(),
      settings.pollIntervalMs,
      settings.idlePollMaxMs,
    );
  }

  onApplicationBootstrap(): void {
    if (!this.role.runsBackgroundWork) return;
    this.loop.start(this.settings.pollIntervalMs);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.loop.stop();
    await Promise.all(this.running.values());
  }

  /** A job was queued: look for it now. */
  wake(): void {
    if (this.role.runsBackgroundWork) this.loop.wake();
  }

  /** One round: claims what this process has room for; answers how many it claimed. */
  async claimJobs(): Promise<number> {
    const room = this.settings.concurrency - this.running.size;
    if (room <= 0 || this.stopping.signal.aborted) return 1;
    const claimed = await this.jobs.claim(this.owner.id, this.leaseUntil(), this.clock.now(), room);
    for (const job of claimed) this.start(job);
    return claimed.length;
  }

  /** Claims this job and runs it in this process, unless another process has it; answers whether it ran here. */
  async runHere(jobId: string): Promise<boolean> {
    const [job] = await this.jobs.claim(this.owner.id, this.leaseUntil(), this.clock.now(), 1, jobId);
    if (!job) return false;
    this.start(job);
    await this.running.get(job.id);
    return true;
  }

  private start(job: BackfillJob): void {
    // Its own job whose lease ran out while a call waited: it is running here already.
    if (this.running.has(job.id)) return;
    const run = this.runner.run(job, this.owner.id, this.stopping.signal).finally(() => {
      this.running.delete(job.id);
      // Room for another job, and the next one of the account may be waiting.
      this.loop.wake();
    });
    this.running.set(job.id, run);
  }

  private leaseUntil(): Date {
    return new Date(this.clock.now().getTime() + this.settings.leaseMs);
  }
}
