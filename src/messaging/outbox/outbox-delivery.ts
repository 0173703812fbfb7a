import { setTimeout as sleep } from 'node:timers/promises';
import { Clock, LeaseOwner, RandomSource } from '@common';
import { Injectable, Logger } from '@nestjs/common';
import { AccountRepository } from '@accounts';
import { CiphertextIntegrityError } from '@crypto';
import { GraphApiError, isMediaFailure } from '@graph-api';
import { Metrics } from '@metrics';
import type { Message } from '../message';
import { MessagingSettings } from '../messaging-settings';
import { MessagingEvents } from '../reporting/messaging-events';
import { AutoReplyFiller } from '../replies/auto-reply-filler';
import { MessageSender } from './message-sender';
import { privateReplyRefusal, windowRefusal } from './messaging-window';
import { commentedAtOf, commentReplyKindOf } from './comment-reply';
import { EarlyEchoReconciler } from './early-echo-reconciler';
import type { Claim, DeliveryError, MarkSentResult } from './outbox.repository';
import { OutboxRepository } from './outbox.repository';
import { nextAttemptAt } from './retry-policy';
import { rateClassOf, SendRateLimiter } from './send-rate-limiter';
import { asSent, SentOutcomes } from './sent-outcomes';

/** What became of one claimed message. */
export type DeliveryOutcome = { result: 'sent' | 'failed' | 'held' | 'lease_lost' } | { result: 'retry'; at: Date };

/** Meta's budget of private replies is counted over the last hour. */
const PRIVATE_REPLY_BUDGET_MS = 60 * 60 * 1000;
/** When the budget is taken by replies still being sent, look again this much later. */
const PRIVATE_REPLY_RECHECK_MS = 60 * 1000;
/** Calls for a message whose media Meta could not fetch or upload, before it fails with Meta's reason. */
export const MEDIA_MAX_ATTEMPTS = 3;

/** Backoff between tries to record a message Meta has accepted. */
const RECORD_RETRY_BASE_MS = 50;
const RECORD_RETRY_MAX_MS = 2_000;

const refused = (message: string): DeliveryError => ({ message, code: null, subcode: null });

const fromMeta = (error: GraphApiError, note = ''): DeliveryError => ({
  message: `${error.message}${note}`,
  code: error.code,
  subcode: error.subcode,
});

/**
 * Sends one claimed outbox message, or records why not, and what next: sent;
 * failed for good (refused before calling Meta, or Meta said no); retried
 * later with backoff (network trouble, 5xx, rate limits); or held with no
 * attempt spent (the account's token is invalid). Used by the background
 * dispatcher and by `send-message`, so both send the same way.
 */
@Injectable()
export class OutboxDelivery {
  /** The lease owner of every claim this application makes. */
  readonly owner: string;
  private readonly logger = new Logger(OutboxDelivery.name);

  constructor(
    private readonly settings: MessagingSettings,
    private readonly outbox: OutboxRepository,
    private readonly sender: MessageSender,
    private readonly accounts: AccountRepository,
    private readonly limiter: SendRateLimiter,
    private readonly earlyEcho: EarlyEchoReconciler,
    private readonly replies: AutoReplyFiller,
    private readonly sentOutcomes: SentOutcomes,
    private readonly events: MessagingEvents,
    private readonly metrics: Metrics,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    leaseOwner: LeaseOwner,
  ) {
    this.owner = leaseOwner.id;
  }

  async deliver(claim: Claim): Promise<DeliveryOutcome> {
    const { message } = claim;
    const privateReply = commentReplyKindOf(message) === 'private';
    const refusal = this.refusalBeforeSending(claim, this.clock.now());
    if (refusal) {
      await this.markFailed(message, refused(`not sent: ${refusal}`), false);
      if (privateReply) this.countPrivateReply(message, 'refused', refusal);
      return { result: 'failed' };
    }
    if (privateReply) {
      const waitUntil = await this.overPrivateReplyBudgetUntil(message);
      if (waitUntil) {
        const wait = refused(
          `waiting until ${waitUntil.toISOString()}: the account has sent its ${this.settings.outbox.privateRepliesPerHour} private replies of the hour`,
        );
        await this.outbox.retryLater(this.owner, message, waitUntil, wait, false);
        this.countPrivateReply(message, 'waiting', wait.message);
        return { result: 'retry', at: waitUntil };
      }
    }
    const coolingDownUntil = this.limiter.coolingDownUntil(message.accountId, this.clock.now().getTime());
    if (coolingDownUntil) {
      const wait = refused(`waiting until ${coolingDownUntil.toISOString()}: Meta rate-limited this account`);
      await this.outbox.retryLater(this.owner, message, coolingDownUntil, wait, false);
      return { result: 'retry', at: coolingDownUntil };
    }
    if (rateClassOf(message) === 'slow_media') {
      const now = this.clock.now();
      const untilFree = this.limiter.tryReserveSlowMedia(message.accountId, now.getTime());
      if (untilFree > 0) {
        const at = new Date(now.getTime() + untilFree);
        const wait = refused('waiting for a slot of Meta’s 10 audio and video messages per second for this account');
        await this.outbox.retryLater(this.owner, message, at, wait, false);
        return { result: 'retry', at };
      }
    } else {
      const wait = this.limiter.reserve(message.accountId, this.clock.now().getTime(), claim.accountLoginType);
      if (wait > 0) await sleep(wait);
    }
    let outgoing: Message;
    let mid: string | null;
    try {
      outgoing = await this.replies.fill(message);
      if (this.mayHaveReachedMeta(message)) {
        const echoed = await this.earlyEcho.reconcileUnanswered(this.owner, outgoing);
        if (echoed === 'reconciled') {
          if (privateReply) this.countPrivateReply(message, 'sent', null);
          return this.sentByUnansweredAttempt(outgoing);
        }
        if (echoed === 'lease_lost') return this.leaseLost(message);
      }
      ({ mid } = await this.sender.send(outgoing, claim.accountUpdatedAt));
    } catch (error) {
      const outcome = await this.recordFailure(claim, error);
      this.metrics.outboundSend(outcome.result, error instanceof GraphApiError ? (error.code ?? null) : null);
      if (privateReply && outcome.result === 'failed') this.countPrivateReply(message, 'failed', String(error));
      return outcome;
    }
    const outcome = await this.recordSentOnceMetaHasIt(outgoing, mid);
    this.metrics.outboundSend(outcome.result, null);
    if (privateReply && outcome.result === 'sent') this.countPrivateReply(message, 'sent', null);
    return outcome;
  }

  /**
   * An earlier call for this direct message failed without Meta's answer (a
   * timeout, a network error, a 5xx without an error code), so Meta may have
   * sent it: its echo is looked for before it is sent again.
   */
  private mayHaveReachedMeta(message: Message): boolean {
    return message.attempts > 0 && message.lastErrorCode === null && commentReplyKindOf(message) !== 'public';
  }

  private sentByUnansweredAttempt(message: Message): DeliveryOutcome {
    this.logger.log(
      { accountId: message.accountId, messageId: message.id },
      'an earlier attempt that got no answer reached Meta (its echo arrived): recorded as sent, not sent again',
    );
    return { result: 'sent' };
  }

  /** When a place in the account's hourly budget of private replies frees up, if this one does not fit now. */
  private async overPrivateReplyBudgetUntil(message: Message): Promise<Date | null> {
    const now = this.clock.now();
    const since = new Date(now.getTime() - PRIVATE_REPLY_BUDGET_MS);
    const ahead = await this.outbox.privateRepliesAhead(message.accountId, message.id, since);
    if (ahead.count < this.settings.outbox.privateRepliesPerHour) return null;
    if (ahead.oldestSentAt === null) return new Date(now.getTime() + PRIVATE_REPLY_RECHECK_MS);
    return new Date(Math.max(ahead.oldestSentAt.getTime() + PRIVATE_REPLY_BUDGET_MS, now.getTime() + 1));
  }

  private countPrivateReply(message: Message, outcome: 'sent' | 'refused' | 'waiting' | 'failed', why: string | null) {
    this.metrics.privateReply(message.accountId, outcome);
    const context = { accountId: message.accountId, messageId: message.id, commentId: message.commentId };
    if (outcome === 'sent') this.logger.log(context, 'private reply sent');
    else this.logger.warn(context, `private reply ${outcome}: ${why ?? ''}`);
  }

  /**
   * Meta has the message, so a failure to record that (a deadlock, a busy
   * database) must not turn into a resend: the record is tried again with
   * backoff while the lease lasts. Only a database away for longer leaves the
   * message to be sent again once its lease runs out, as after a crash mid-send.
   */
  private async recordSentOnceMetaHasIt(message: Message, mid: string | null): Promise<DeliveryOutcome> {
    const giveUpAt = this.clock.now().getTime() + this.settings.outbox.leaseMs / 2;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.recordSent(message, mid);
      } catch (error) {
        if (this.clock.now().getTime() >= giveUpAt) {
          this.logger.error(
            { err: error, accountId: message.accountId, messageId: message.id },
            'Meta accepted the message but recording that failed; it may be sent again once its lease runs out',
          );
          return { result: 'lease_lost' };
        }
        await sleep(Math.min(RECORD_RETRY_MAX_MS, RECORD_RETRY_BASE_MS * 2 ** attempt));
      }
    }
  }

  /**
   * Why this message must not go to Meta now, or null: it is too old, or
   * outside the messaging window. Replies to comments have windows of their
   * own: a private reply 7 days from the comment (it may wait that long for
   * the budget), a public reply none.
   */
  private refusalBeforeSending({ message, lastInboundAt }: Claim, now: Date): string | null {
    const commentReply = commentReplyKindOf(message);
    if (commentReply === 'public') return null;
    if (commentReply === 'private') return privateReplyRefusal(commentedAtOf(message), now);
    const maxAgeMs = this.settings.outbox.maxAgeMs;
    if (now.getTime() - message.createdAt.getTime() > maxAgeMs) {
      return `it was still unsent ${Math.round(maxAgeMs / 60_000)} minutes after it was queued (OUTBOX_MAX_AGE)`;
    }
    return windowRefusal(lastInboundAt, message, now);
  }

  private async recordSent(message: Message, mid: string | null): Promise<DeliveryOutcome> {
    const sentAt = this.clock.now();
    let recorded = await this.sentOutcomes.record(this.owner, { message, mid, at: sentAt });
    if (recorded === 'mid_taken' && mid !== null) recorded = await this.settleEarlyEcho(message, mid, sentAt);
    return recorded === 'lease_lost' ? this.leaseLost(message) : { result: 'sent' };
  }

  /** Another row has the mid Meta just returned: normally the echo of this very message, which came first. */
  private async settleEarlyEcho(message: Message, mid: string, sentAt: Date): Promise<MarkSentResult> {
    const reconciled = await this.earlyEcho.reconcile(this.owner, message, mid, sentAt);
    if (reconciled === 'reconciled') return 'recorded';
    if (reconciled === 'lease_lost') return 'lease_lost';
    this.logger.error(
      { accountId: message.accountId, messageId: message.id },
      'Meta answered with a message id another stored message already has; recorded as sent without it',
    );
    return this.events.reportingIn('message.sent', [message.accountId], async (report) => {
      const recorded = await this.outbox.markSent(this.owner, message, null, sentAt);
      if (recorded === 'recorded') report({ event: 'message.sent', message: asSent(message, null, sentAt) });
      return recorded;
    });
  }

  /** Given up for good, and reported `message.failed` in the same transaction. */
  private markFailed(message: Message, error: DeliveryError, attemptMade: boolean): Promise<boolean> {
    return this.events.reportingIn('message.failed', [message.accountId], async (report) => {
      const failed = await this.outbox.markFailed(this.owner, message, error, attemptMade);
      if (failed) {
        const attempts = message.attempts + (attemptMade ? 1 : 0);
        const lastError = { lastError: error.message, lastErrorCode: error.code, lastErrorSubcode: error.subcode };
        report({
          event: 'message.failed',
          message: { ...message, status: 'failed', nextAttemptAt: null, attempts, ...lastError },
        });
      }
      return failed;
    });
  }

  private async recordFailure(claim: Claim, error: unknown): Promise<DeliveryOutcome> {
    const { message } = claim;
    const now = this.clock.now();
    if (error instanceof CiphertextIntegrityError) return this.postponeUnreadable(message, error, now);
    if (!(error instanceof GraphApiError)) {
      this.logger.error({ err: error, accountId: message.accountId, messageId: message.id }, 'sending failed');
      return this.retryOrGiveUp(message, refused('internal error (see the service log)'), null, now);
    }
    switch (error.kind) {
      case 'invalid_token':
        return this.hold(claim, fromMeta(error));
      case 'uncertain':
        await this.markFailed(
          message,
          fromMeta(error, ' — Meta may have delivered it anyway, so it is not resent; check the conversation'),
          true,
        );
        return { result: 'failed' };
      case 'permanent':
        await this.markFailed(message, fromMeta(error), true);
        return { result: 'failed' };
      case 'rate_limited':
      case 'transient': {
        const maxAttempts = isMediaFailure(error) ? MEDIA_MAX_ATTEMPTS : this.settings.outbox.maxAttempts;
        // Without Meta's answer the message may have been sent: its echo is given time to arrive first.
        const retryAfterMs =
          error.code === null ? Math.max(error.retryAfterMs ?? 0, this.settings.outbox.echoWaitMs) : error.retryAfterMs;
        const outcome = await this.retryOrGiveUp(message, fromMeta(error), retryAfterMs, now, maxAttempts);
        if (error.kind === 'rate_limited' && outcome.result === 'retry') {
          this.limiter.coolDown(message.accountId, outcome.at);
        }
        return outcome;
      }
    }
  }

  private async retryOrGiveUp(
    message: Message,
    error: DeliveryError,
    retryAfterMs: number | null,
    now: Date,
    maxAttempts = this.settings.outbox.maxAttempts,
  ): Promise<DeliveryOutcome> {
    const attempts = message.attempts + 1;
    if (attempts >= Math.min(maxAttempts, this.settings.outbox.maxAttempts)) {
      const gaveUp = { ...error, message: `gave up after ${attempts} attempts: ${error.message}` };
      await this.markFailed(message, gaveUp, true);
      return { result: 'failed' };
    }
    const at = nextAttemptAt(now, attempts, retryAfterMs, this.settings.outbox, () => this.random.fraction());
    await this.outbox.retryLater(this.owner, message, at, error, true);
    return { result: 'retry', at };
  }

  /**
   * The account's token does not work: the account is marked invalid, which
   * holds its whole queue (the claim skips it) until the account is updated,
   * and this message goes back to the queue with no attempt counted. If the
   * account changed while the call was under way (a new token), the new
   * token has not been tried yet, so nothing is marked.
   */
  private async hold({ message, accountUpdatedAt }: Claim, error: DeliveryError): Promise<DeliveryOutcome> {
    if (await this.accounts.markTokenInvalid(message.accountId, accountUpdatedAt)) {
      this.logger.warn(
        { accountId: message.accountId },
        'the account’s access token does not work; its messages are held until the account is updated',
      );
    }
    await this.outbox.retryLater(this.owner, message, this.clock.now(), error, false);
    return { result: 'held' };
  }

  /**
   * This process cannot decrypt the account's token: its key configuration
   * (APP_SECRET_KEY, APP_SECRET_KEY_PREVIOUS) differs from whoever stored it,
   * or the ciphertext is damaged. The token itself may be fine, so the
   * account is not marked; the message waits, with no attempt counted, for a
   * replica that can read it or for the operator to fix the keys or the token.
   */
  private async postponeUnreadable(
    message: Message,
    error: CiphertextIntegrityError,
    now: Date,
  ): Promise<DeliveryOutcome> {
    this.logger.error({ accountId: message.accountId, messageId: message.id }, error.message);
    const at = new Date(now.getTime() + this.settings.outbox.retryMaxMs);
    const reason = `${error.message} (check APP_SECRET_KEY and APP_SECRET_KEY_PREVIOUS, or store the token again)`;
    await this.outbox.retryLater(this.owner, message, at, refused(reason), false);
    return { result: 'retry', at };
  }

  private leaseLost(message: Message): DeliveryOutcome {
    this.logger.warn(
      { accountId: message.accountId, messageId: message.id },
      'the lease on a message expired while it was being sent; another dispatcher has it now',
    );
    return { result: 'lease_lost' };
  }
}
