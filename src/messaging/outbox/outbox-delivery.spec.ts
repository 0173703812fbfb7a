import { Logger } from '@nestjs/common';
import { FixedClock } from '../../../test/support/fixed-clock';
import { Registry } from 'prom-client';
import type { InstagramBusinessAccount } from '@accounts/account';
import type { AccountRepository } from '@accounts/account.repository';
import { CiphertextIntegrityError } from '@crypto/token-cipher';
import { GraphApiError, type GraphErrorKind } from '@graph-api/graph-api-error';
import { Metrics } from '@metrics/metrics';
import type { Message } from '../message';
import { MessagingSettings } from '../messaging-settings';
import type { MessageSender } from './message-sender';
import type { EarlyEchoReconciler } from './early-echo-reconciler';
import type { AutoReplyFiller } from '../replies/auto-reply-filler';
import { OutboxDelivery } from './outbox-delivery';
import type { Claim, OutboxRepository, SentMessage } from './outbox.repository';
import { SentOutcomes } from './sent-outcomes';
import { SendRateLimiter } from './send-rate-limiter';
import type { MessagingChange, MessagingEvents } from '../reporting/messaging-events';

const HOUR = 3_600_000;
/** The time every decision of these tests is made at. */
const NOW = new Date('2026-06-01T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);
/** The jitter: always half of the backoff's ceiling. */
const HALF = { fraction: () => 0.5 };
const settings = MessagingSettings.fromEnvironment({ OUTBOX_MAX_ATTEMPTS: 3, OUTBOX_MAX_AGE: 24 * HOUR });

const account: InstagramBusinessAccount = {
  id: 'acc-1',
  username: 'shop',
  igUserId: '17841400000000001',
  loginType: 'instagram',
  pageId: null,
  displayName: null,
  fallbackResponse: null,
  autoReplyLimit: null,
  autoReplyLimitMinutes: null,
  isActive: true,
  tokenStatus: 'valid',
  tokenExpiresAt: null,
  tokenRefreshedAt: null,
  rulesVersion: 0,
  createdAt: new Date(0),
  updatedAt: new Date(1000),
};

function queuedMessage(fields: Partial<Message> = {}): Message {
  const now = ago(1000);
  return {
    id: 'msg-1',
    accountId: account.id,
    conversationId: 'conv-1',
    direction: 'outbound',
    type: 'text',
    text: 'Hello',
    mid: null,
    senderId: null,
    recipientId: '1029384756102938',
    attachments: [],
    metadata: null,
    timestamp: now,
    isEcho: false,
    isStandby: false,
    source: 'api',
    deletedAt: null,
    editedAt: null,
    noReplyReason: null,
    reaction: null,
    ourReaction: null,
    seenAt: null,
    status: 'sending',
    origin: 'rule',
    ruleId: null,
    replyToMessageId: null,
    commentId: null,
    partIndex: 0,
    tag: null,
    payload: null,
    attempts: 0,
    nextAttemptAt: now,
    lastError: null,
    lastErrorCode: null,
    lastErrorSubcode: null,
    sentAt: null,
    deliveredAt: null,
    createdAt: now,
    ...fields,
  };
}

const metaError = (
  kind: GraphErrorKind,
  code: number,
  subcode: number | null = null,
  retryAfterMs: number | null = null,
) => new GraphApiError({ kind, operation: 'POST /me/messages', reason: 'Meta says no', code, subcode, retryAfterMs });

describe('OutboxDelivery', () => {
  beforeAll(() => Logger.overrideLogger(false));

  let outbox: jest.Mocked<OutboxRepository>;
  let sender: jest.Mocked<MessageSender>;
  let accounts: jest.Mocked<Pick<AccountRepository, 'markTokenInvalid'>>;
  let earlyEcho: jest.Mocked<Pick<EarlyEchoReconciler, 'reconcile' | 'reconcileUnanswered'>>;
  let replies: jest.Mocked<Pick<AutoReplyFiller, 'fill'>>;
  let lastInboundAt: Date | null;
  let delivery: OutboxDelivery;
  /** What the delivery reported to the event endpoints (every event is wanted here). */
  let reported: MessagingChange[];
  let registry: Registry;
  let clock: FixedClock;
  /** What Prometheus would scrape of the outbound-sends counter, as `outcome/error_code` → count. */
  const sendsCounted = async () => {
    const metric = await registry.getSingleMetric('gateway_outbound_sends_total')?.get();
    return Object.fromEntries(
      (metric?.values ?? []).map((v) => [`${v.labels.outcome}/${v.labels.error_code}`, v.value]),
    );
  };
  /** Claimed as the outbox hands it over: with the window start and the account's last change and login type. */
  const claimOf = (message: Message): Claim => ({
    message,
    lastInboundAt,
    accountUpdatedAt: account.updatedAt,
    accountLoginType: account.loginType,
  });

  beforeEach(() => {
    lastInboundAt = ago(HOUR);
    outbox = {
      claimDue: jest.fn(),
      claimMessage: jest.fn(),
      markSent: jest.fn().mockResolvedValue('recorded'),
      markManySent: jest.fn(async (owner, sent) =>
        Promise.all(sent.map(({ message, mid, at }: SentMessage) => outbox.markSent(owner, message, mid, at))),
      ),
      retryLater: jest.fn().mockResolvedValue(undefined),
      markFailed: jest.fn().mockResolvedValue(true),
      privateRepliesAhead: jest.fn().mockResolvedValue({ count: 0, oldestSentAt: null }),
      backlog: jest.fn(),
    };
    sender = { send: jest.fn().mockResolvedValue({ mid: 'mid-1' }) };
    accounts = { markTokenInvalid: jest.fn().mockResolvedValue(true) };
    earlyEcho = {
      reconcile: jest.fn().mockResolvedValue('reconciled'),
      reconcileUnanswered: jest.fn().mockResolvedValue(null),
    };
    replies = { fill: jest.fn(async (message: Message) => message) };
    reported = [];
    const events = {
      reportingIn: async <T>(
        _type: string,
        _accounts: string[],
        work: (report: (c: MessagingChange) => void) => Promise<T>,
      ) => work((change) => reported.push(change)),
    } as unknown as MessagingEvents;
    delivery = new OutboxDelivery(
      settings,
      outbox,
      sender,
      accounts as unknown as AccountRepository,
      new SendRateLimiter(settings),
      earlyEcho as unknown as EarlyEchoReconciler,
      replies as unknown as AutoReplyFiller,
      new SentOutcomes(outbox, events),
      events,
      new Metrics((registry = new Registry())),
      (clock = new FixedClock(NOW)),
      HALF,
      { id: 'dispatcher-1' },
    );
  });

  it('counts each Send API attempt by outcome and Meta’s error code', async () => {
    await delivery.deliver(claimOf(queuedMessage()));
    sender.send.mockRejectedValueOnce(metaError('permanent', 10, 2534022));
    await delivery.deliver(claimOf(queuedMessage()));
    sender.send.mockRejectedValueOnce(metaError('rate_limited', 4));
    await delivery.deliver(claimOf(queuedMessage()));
    expect(await sendsCounted()).toEqual({ 'sent/none': 1, 'retry/4': 1, 'failed/10': 1 });
  });

  it('sends and records Meta’s message id under its lease', async () => {
    const message = queuedMessage();
    expect(await delivery.deliver(claimOf(message))).toEqual({ result: 'sent' });
    expect(sender.send).toHaveBeenCalledWith(message, account.updatedAt);
    expect(outbox.markSent).toHaveBeenCalledWith('dispatcher-1', message, 'mid-1', NOW);
  });

  it('records a message Meta accepted despite a failing database, without sending it again', async () => {
    const message = queuedMessage();
    outbox.markSent.mockRejectedValueOnce(new Error('Deadlock found when trying to get lock'));
    expect(await delivery.deliver(claimOf(message))).toEqual({ result: 'sent' });
    expect(sender.send).toHaveBeenCalledTimes(1);
    expect(outbox.markSent).toHaveBeenCalledTimes(2);
    expect(outbox.retryLater).not.toHaveBeenCalled();
  });

  it('leaves a sent message to its lease, unsent again, when the database stays away for half of it', async () => {
    outbox.markSent.mockImplementation(async () => {
      clock.advance(settings.outbox.leaseMs / 4);
      throw new Error('database unreachable');
    });
    expect(await delivery.deliver(claimOf(queuedMessage()))).toEqual({ result: 'lease_lost' });
    expect(sender.send).toHaveBeenCalledTimes(1);
    expect(outbox.markSent).toHaveBeenCalledTimes(2);
    expect(outbox.retryLater).not.toHaveBeenCalled();
    expect(outbox.markFailed).not.toHaveBeenCalled();
  });

  it('sends an automatic reply as filled in for its customer, and records the text that was sent', async () => {
    const message = queuedMessage({ origin: 'rule', text: 'Hi {{username}}!' });
    const filled = { ...message, text: 'Hi ana!' };
    replies.fill.mockResolvedValueOnce(filled);
    expect(await delivery.deliver(claimOf(message))).toEqual({ result: 'sent' });
    expect(sender.send).toHaveBeenCalledWith(filled, account.updatedAt);
    expect(outbox.markSent).toHaveBeenCalledWith('dispatcher-1', filled, 'mid-1', NOW);
  });

  it('refuses an automatic reply outside the 24-hour window without calling Meta', async () => {
    lastInboundAt = ago(25 * HOUR);
    expect(await delivery.deliver(claimOf(queuedMessage()))).toEqual({ result: 'failed' });
    expect(sender.send).not.toHaveBeenCalled();
    const [, , error, attemptMade] = outbox.markFailed.mock.calls[0];
    expect(error.message).toMatch(/^not sent: the 24-hour messaging window closed at .*; automatic messages/);
    expect(attemptMade).toBe(false);
  });

  it('sends a HUMAN_AGENT message of an operator after 24 hours', async () => {
    lastInboundAt = ago(48 * HOUR);
    const message = queuedMessage({ origin: 'operator', tag: 'HUMAN_AGENT' });
    expect(await delivery.deliver(claimOf(message))).toEqual({ result: 'sent' });
  });

  it('gives up a message older than OUTBOX_MAX_AGE without calling Meta', async () => {
    const message = queuedMessage({ createdAt: ago(25 * HOUR) });
    expect(await delivery.deliver(claimOf(message))).toEqual({ result: 'failed' });
    expect(sender.send).not.toHaveBeenCalled();
    expect(outbox.markFailed.mock.calls[0][2].message).toMatch(/1440 minutes after it was queued \(OUTBOX_MAX_AGE\)/);
  });

  it('fails at once on a permanent error, with Meta’s code and subcode', async () => {
    sender.send.mockRejectedValue(metaError('permanent', 10, 2534022));
    expect(await delivery.deliver(claimOf(queuedMessage()))).toEqual({ result: 'failed' });
    expect(outbox.markFailed).toHaveBeenCalledWith(
      delivery.owner,
      expect.anything(),
      { message: 'Graph API POST /me/messages failed: (#10/2534022) Meta says no', code: 10, subcode: 2534022 },
      true,
    );
    expect(outbox.retryLater).not.toHaveBeenCalled();
  });

  it('never resends a message Meta may have delivered', async () => {
    sender.send.mockRejectedValue(metaError('uncertain', 1, 1357046));
    expect(await delivery.deliver(claimOf(queuedMessage()))).toEqual({ result: 'failed' });
    expect(outbox.markFailed.mock.calls[0][2].message).toMatch(/may have delivered it anyway, so it is not resent/);
  });

  it('retries a transient failure later, counting the attempt, and gives up at OUTBOX_MAX_ATTEMPTS', async () => {
    sender.send.mockRejectedValue(metaError('transient', 2));
    const outcome = await delivery.deliver(claimOf(queuedMessage({ attempts: 1 })));
    // The second attempt failed: backoff ceiling 2 s × 2^1, jitter half of it.
    expect(outcome).toEqual({ result: 'retry', at: new Date(NOW.getTime() + 2000) });
    const [, , at, , attemptMade] = outbox.retryLater.mock.calls[0];
    expect(at).toEqual(new Date(NOW.getTime() + 2000));
    expect(attemptMade).toBe(true);

    expect(await delivery.deliver(claimOf(queuedMessage({ attempts: 2 })))).toEqual({ result: 'failed' });
    expect(outbox.markFailed.mock.calls[0][2].message).toMatch(/^gave up after 3 attempts: .*\(#2\)/);
  });

  it('waits for the echo of a message whose call got no answer before calling again', async () => {
    sender.send.mockRejectedValue(
      new GraphApiError({ kind: 'transient', operation: 'POST /me/messages', reason: 'network error ECONNRESET' }),
    );
    // The backoff alone would be 1 s (half of 2 s).
    const echoWait = new Date(NOW.getTime() + settings.outbox.echoWaitMs);
    expect(await delivery.deliver(claimOf(queuedMessage()))).toEqual({ result: 'retry', at: echoWait });
    expect(outbox.retryLater.mock.calls[0][2]).toEqual(echoWait);
  });

  it('backs off as long as Meta’s usage headers say, and holds the account’s other messages meanwhile', async () => {
    sender.send.mockRejectedValueOnce(metaError('rate_limited', 4, null, 5 * 60_000));
    const outcome = await delivery.deliver(claimOf(queuedMessage()));
    const retryAt = new Date(NOW.getTime() + 5 * 60_000);
    expect(outcome).toEqual({ result: 'retry', at: retryAt });
    expect(outbox.retryLater.mock.calls[0][2]).toEqual(retryAt);

    expect(await delivery.deliver(claimOf(queuedMessage({ id: 'msg-2' })))).toEqual({ result: 'retry', at: retryAt });
    expect(sender.send).toHaveBeenCalledTimes(1);
    expect(outbox.retryLater.mock.calls[1][4]).toBe(false);
  });

  it('marks the token invalid and holds the message without spending an attempt', async () => {
    sender.send.mockRejectedValue(metaError('invalid_token', 190, 463));
    expect(await delivery.deliver(claimOf(queuedMessage()))).toEqual({ result: 'held' });
    expect(accounts.markTokenInvalid).toHaveBeenCalledWith(account.id, account.updatedAt);
    const [, , , error, attemptMade] = outbox.retryLater.mock.calls[0];
    expect(error.code).toBe(190);
    expect(attemptMade).toBe(false);
  });

  it('blames the token only as of the account the claim read: a token replaced since is not marked', async () => {
    sender.send.mockRejectedValue(metaError('invalid_token', 190));
    accounts.markTokenInvalid.mockResolvedValueOnce(false);
    const claimedBeforeAChange = { ...claimOf(queuedMessage()), accountUpdatedAt: new Date(2000) };
    expect(await delivery.deliver(claimedBeforeAChange)).toEqual({ result: 'held' });
    expect(accounts.markTokenInvalid).toHaveBeenCalledWith(account.id, new Date(2000));
  });

  it('postpones a message whose token this process cannot decrypt, without blaming the token', async () => {
    sender.send.mockRejectedValue(new CiphertextIntegrityError('unknown key id'));
    const outcome = await delivery.deliver(claimOf(queuedMessage()));
    expect(outcome.result).toBe('retry');
    expect(accounts.markTokenInvalid).not.toHaveBeenCalled();
    const [, , at, error, attemptMade] = outbox.retryLater.mock.calls[0];
    // Tried again only after the longest backoff (15 minutes): a key problem is not fixed in seconds.
    expect(at).toEqual(new Date(NOW.getTime() + 15 * 60_000));
    expect(error.message).toMatch(/cannot be decrypted.*APP_SECRET_KEY/);
    expect(attemptMade).toBe(false);
  });

  it('retries after an unexpected error without recording its details', async () => {
    sender.send.mockRejectedValue(new Error('connect ECONNREFUSED with secret details'));
    expect((await delivery.deliver(claimOf(queuedMessage()))).result).toBe('retry');
    expect(outbox.retryLater.mock.calls[0][3].message).toBe('internal error (see the service log)');
  });

  it('hands a mid already taken by an early echo to the reconciler', async () => {
    outbox.markSent.mockResolvedValueOnce('mid_taken');
    const message = queuedMessage();
    expect(await delivery.deliver(claimOf(message))).toEqual({ result: 'sent' });
    expect(earlyEcho.reconcile).toHaveBeenCalledWith('dispatcher-1', message, 'mid-1', NOW);
  });

  describe('a message whose last call got no answer', () => {
    const unanswered = (fields: Partial<Message> = {}) =>
      queuedMessage({ attempts: 1, lastError: 'no answer within 10000 ms', lastErrorCode: null, ...fields });

    it('is not sent again when its echo shows Meta had it', async () => {
      earlyEcho.reconcileUnanswered.mockResolvedValueOnce('reconciled');
      const message = unanswered();
      expect(await delivery.deliver(claimOf(message))).toEqual({ result: 'sent' });
      expect(earlyEcho.reconcileUnanswered).toHaveBeenCalledWith('dispatcher-1', message);
      expect(sender.send).not.toHaveBeenCalled();
      expect(await sendsCounted()).toEqual({});
    });

    it('is sent again when no echo of it arrived', async () => {
      expect(await delivery.deliver(claimOf(unanswered()))).toEqual({ result: 'sent' });
      expect(sender.send).toHaveBeenCalledTimes(1);
    });

    it('is left to the dispatcher that took its lease meanwhile', async () => {
      earlyEcho.reconcileUnanswered.mockResolvedValueOnce('lease_lost');
      expect(await delivery.deliver(claimOf(unanswered()))).toEqual({ result: 'lease_lost' });
      expect(sender.send).not.toHaveBeenCalled();
    });

    it('is looked for only when Meta may have had it: not after Meta’s own error, nor on a first try', async () => {
      await delivery.deliver(claimOf(unanswered({ lastError: 'Meta says no', lastErrorCode: 2 })));
      await delivery.deliver(claimOf(queuedMessage({ attempts: 0 })));
      expect(earlyEcho.reconcileUnanswered).not.toHaveBeenCalled();
      expect(sender.send).toHaveBeenCalledTimes(2);
    });
  });

  it('records a message sent without its mid when the mid belongs to something else', async () => {
    outbox.markSent.mockResolvedValueOnce('mid_taken');
    earlyEcho.reconcile.mockResolvedValueOnce('not_an_app_echo');
    expect(await delivery.deliver(claimOf(queuedMessage()))).toEqual({ result: 'sent' });
    expect(outbox.markSent).toHaveBeenLastCalledWith('dispatcher-1', expect.anything(), null, NOW);
  });

  it('reports a sent message with Meta’s id, and a message given up with its error and attempts', async () => {
    await delivery.deliver(claimOf(queuedMessage({ attempts: 0 })));
    sender.send.mockRejectedValueOnce(metaError('permanent', 10, 2534022));
    await delivery.deliver(claimOf(queuedMessage({ attempts: 1 })));
    expect(reported.map((change) => change.event)).toEqual(['message.sent', 'message.failed']);
    const [sent, failed] = reported.map((change) => ('message' in change ? change.message : null));
    expect(sent).toMatchObject({ status: 'sent', mid: 'mid-1', sentAt: NOW, attempts: 1 });
    expect(failed).toMatchObject({ status: 'failed', attempts: 2, lastErrorCode: 10, lastErrorSubcode: 2534022 });
  });

  it('reports nothing of a message whose lease was lost before it could be marked failed', async () => {
    outbox.markFailed.mockResolvedValueOnce(false);
    sender.send.mockRejectedValueOnce(metaError('permanent', 10));
    await delivery.deliver(claimOf(queuedMessage()));
    expect(reported).toEqual([]);
  });
});
