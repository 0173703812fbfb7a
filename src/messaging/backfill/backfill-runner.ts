import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { AccountRepository, CredentialsCache, type InstagramBusinessAccount } from '@accounts';
import { Clock, QueueOverloadedError } from '@common';
import {
  type ConversationMessage,
  type ConversationMessageRef,
  type ConversationSummary,
  type GraphAccess,
  GraphApi,
  GraphApiError,
} from '@graph-api';
import type { MessageEvent } from '../intake/events/instagram-event';
import { IntakeWriter } from '../intake/intake-writer';
import { MessageRepository } from '../message.repository';
import type { BackfillJob, BackfillProgress } from './backfill-job';
import { BackfillJobRepository } from './backfill-job.repository';
import { BackfillSettings } from './backfill-settings';
import { conversationMessageEvent } from './conversation-message-event';
import { ConversationsApiPacer } from './conversations-api-pacer';

/** Meta gives the details of the 20 most recent messages of a conversation only. */
export const MESSAGE_DETAIL_LIMIT = 20;

/** The process stopped, or another process took the job: the job is left to resume from its cursor. */
class JobLeftBehind extends Error {}

/** One job being run: the account, how to call Meta as it, and what the job has done so far. */
interface RunningJob {
  job: BackfillJob;
  owner: string;
  account: InstagramBusinessAccount;
  access: GraphAccess;
  progress: BackfillProgress;
  signal: AbortSignal;
  /** When the lease was last extended (the Clock's time). */
  leaseRenewedAt: number;
}

/**
 * Runs one backfill job: pages through the account's conversations updated
 * since the job's `since`, newest first; for each, lists its messages, looks
 * up which of them are stored, fetches the details of the missing ones (the
 * 20 most recent only, which is all Meta gives) and hands them to the intake
 * as backfilled events, which stores each once by mid and answers none.
 * Progress and the cursor are saved after every conversation, so a job
 * resumed elsewhere goes on from there; each call waits for its turn in the
 * account's pacing shared by the replicas.
 */
@Injectable()
export class BackfillRunner {
  private readonly logger = new Logger(BackfillRunner.name);

  constructor(
    private readonly jobs: BackfillJobRepository,
    private readonly accounts: AccountRepository,
    private readonly credentials: CredentialsCache,
    private readonly graph: GraphApi,
    private readonly pacer: ConversationsApiPacer,
    private readonly intake: IntakeWriter,
    private readonly messages: MessageRepository,
    private readonly settings: BackfillSettings,
    private readonly clock: Clock,
  ) {}

  /** Runs the job (whose lease `owner` holds) until it ends, or until `signal` aborts or the lease is lost. */
  async run(job: BackfillJob, owner: string, signal: AbortSignal): Promise<void> {
    const progress: BackfillProgress = {
      cursor: job.cursor,
      conversationsScanned: job.conversationsScanned,
      messagesAdded: job.messagesAdded,
      messagesUnavailable: job.messagesUnavailable,
    };
    const context = { accountId: job.accountId, backfillJobId: job.id };
    try {
      const account = await this.accounts.getById(job.accountId);
      if (!account?.isActive) throw new Error('the account is inactive');
      const access = await this.credentials.graphAccess(account.id);
      const leaseRenewedAt = this.clock.now().getTime();
      await this.scan({ job, owner, account, access, progress, signal, leaseRenewedAt });
      await this.jobs.finish(job.id, owner, { status: 'completed', error: null, progress }, this.clock.now());
      this.logger.log({ ...context, ...counts(progress) }, 'backfill completed');
    } catch (error) {
      if (error instanceof JobLeftBehind || signal.aborted) {
        await this.jobs.release(job.id, owner, this.clock.now());
        return;
      }
      const reason = error instanceof Error ? error.message : 'unexpected failure';
      this.logger.warn({ ...context, err: error, ...counts(progress) }, 'backfill failed');
      await this.jobs.finish(job.id, owner, { status: 'failed', error: reason, progress }, this.clock.now());
    }
  }

  private async scan(running: RunningJob): Promise<void> {
    const { progress, job } = running;
    for (;;) {
      const page = await this.call(running, (access) => this.graph.listConversations(access, progress.cursor.after));
      for (const conversation of page.conversations.slice(progress.cursor.done)) {
        // Newest activity first: the first conversation older than `since` ends the scan.
        if (isBefore(conversation.updatedTime, job.since)) return;
        await this.backfillConversation(running, conversation);
        progress.conversationsScanned += 1;
        progress.cursor = { after: progress.cursor.after, done: progress.cursor.done + 1 };
        await this.save(running);
      }
      if (page.after === null) return;
      progress.cursor = { after: page.after, done: 0 };
      await this.save(running);
    }
  }

  private async backfillConversation(running: RunningJob, conversation: ConversationSummary): Promise<void> {
    const { account, job, progress } = running;
    const listed = await this.call(running, (access) => this.graph.listConversationMessages(access, conversation.id));
    const recent = newestFirst(listed).filter((message) => !isBefore(message.createdTime, job.since));
    const stored = await this.messages.storedMids(
      account.id,
      recent.map((message) => message.id),
    );
    const missing = recent.map((message, rank) => ({ message, rank })).filter(({ message }) => !stored.has(message.id));
    const events: MessageEvent[] = [];
    for (const { message, rank } of missing) {
      if (rank >= MESSAGE_DETAIL_LIMIT) {
        progress.messagesUnavailable += 1;
        continue;
      }
      const details = await this.details(running, message.id);
      const event = details ? conversationMessageEvent(account, details, this.clock.now()) : null;
      if (event) events.push(event);
      else progress.messagesUnavailable += 1;
    }
    if (events.length > 0) progress.messagesAdded += await this.store(account, events, running.signal);
  }

  /** The message's details; null when Meta refuses them (too old, or gone). */
  private async details(running: RunningJob, messageId: string): Promise<ConversationMessage | null> {
    try {
      return await this.call(running, (access) => this.graph.getConversationMessage(access, messageId));
    } catch (error) {
      if (error instanceof GraphApiError && error.kind === 'permanent') return null;
      throw error;
    }
  }

  /** Stores the events through the intake, as one delivery of backfilled events; answers how many were new. */
  private async store(account: InstagramBusinessAccount, events: MessageEvent[], signal: AbortSignal): Promise<number> {
    const rawBody = Buffer.from(JSON.stringify(events.map((event) => event.raw)));
    const entry = { entryId: account.igUserId, time: null, events, raw: {} };
    for (let attempt = 1; ; attempt++) {
      try {
        const summary = await this.intake.write({
          routeAccountId: account.id,
          rawBody,
          signature: '',
          entries: [{ entry, account }],
          requestId: null,
          arrivedAt: performance.now(),
          source: 'backfill',
        });
        return summary.stored;
      } catch (error) {
        // Webhooks come first: a backfill waits for a busy intake rather than pushing it over.
        if (!(error instanceof QueueOverloadedError) || attempt >= this.settings.maxRetries) throw error;
        await sleep(attempt * 250, undefined, { signal });
      }
    }
  }

  /** A Conversations API call in its turn; a refusal for the rate, or a passing failure, is tried again later. */
  private async call<T>(running: RunningJob, work: (access: GraphAccess) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await this.keepLease(running);
      await this.pacer.waitForTurn(running.account.id, running.signal);
      try {
        return await work(running.access);
      } catch (error) {
        const retryable =
          error instanceof GraphApiError && (error.kind === 'rate_limited' || error.kind === 'transient');
        if (!retryable || attempt >= this.settings.maxRetries) throw describe(error);
        const backoff = Math.min(error.retryAfterMs ?? attempt * 1000, 60_000);
        await sleep(backoff, undefined, { signal: running.signal });
      }
    }
  }

  private async save(running: RunningJob): Promise<void> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + this.settings.leaseMs);
    const kept = await this.jobs.saveProgress(running.job.id, running.owner, running.progress, until, now);
    if (!kept) throw new JobLeftBehind('the job’s lease was taken over');
    running.leaseRenewedAt = now.getTime();
    running.signal.throwIfAborted();
  }

  /** A conversation of many calls takes longer than a lease: it is extended once a third of it has passed. */
  private async keepLease(running: RunningJob): Promise<void> {
    const now = this.clock.now();
    if (now.getTime() - running.leaseRenewedAt < this.settings.leaseMs / 3) return;
    const until = new Date(now.getTime() + this.settings.leaseMs);
    if (!(await this.jobs.renewLease(running.job.id, running.owner, until, now))) {
      throw new JobLeftBehind('the job’s lease was taken over');
    }
    running.leaseRenewedAt = now.getTime();
  }
}

const isBefore = (time: Date | null, since: Date): boolean => time !== null && time.getTime() < since.getTime();

/** Meta lists a conversation's messages newest first; sorted again in case it did not. */
function newestFirst(messages: ConversationMessageRef[]): ConversationMessageRef[] {
  return [...messages].sort((a, b) => (b.createdTime?.getTime() ?? 0) - (a.createdTime?.getTime() ?? 0));
}

const counts = (progress: BackfillProgress) => ({
  conversationsScanned: progress.conversationsScanned,
  messagesAdded: progress.messagesAdded,
  messagesUnavailable: progress.messagesUnavailable,
});

/** What the job's `error` says: Meta's error as the Graph API client words it (no token in it), and what it means. */
function describe(error: unknown): Error {
  if (!(error instanceof GraphApiError)) return error instanceof Error ? error : new Error('unexpected failure');
  if (error.kind === 'invalid_token') return new Error(`the account’s access token is invalid: ${error.message}`);
  return error;
}
