import { AsyncLocalStorage } from 'node:async_hooks';
import { Clock, newId, GroupCommit, type ItemResult, QueueOverloadedError } from '@common';
import { ContactRepository, type NewContact } from '@contacts';
import { Injectable, Logger } from '@nestjs/common';
import type { InstagramBusinessAccount } from '@accounts';
import { isDatabaseUnavailable, StatementCounter, Transactor } from '@database';
import { Metrics } from '@metrics';
import { ActiveRulesCache, type ReplyDecision, ResponseEngine } from '@rules';
import type { ResponseRule } from '@rules';
import { OutboxSignal } from '../outbox/outbox-signal';
import { type MessagingChange, MessagingEvents } from '../reporting/messaging-events';
import {
  type AutoReplyCap,
  autoReplyCapOf,
  NO_REPLY_EXPLANATIONS,
  type NoReplyReason,
  reasonNotToReply,
} from '../replies/auto-reply-policy';
import { autoReplyParts } from '../replies/reply-text';
import { CommentReplies, type CommentReplyOutcome } from '../replies/comment-replies';
import { ReplyTemplates, type ReplyTemplateSet } from '../replies/reply-templates';
import type { OutboundPart } from '../outbox/outbound-parts';
import { EventRecorder } from './event-recorder';
import { insertedInboundMessage } from './inbound-message';
import { type BatchConversation, IntakeBatchStore, type ReplyRow } from './intake-batch-store';
import { IntakeSettings } from './intake-settings';
import { type InboundRow, type IntakePlan, planIntakeBatch } from './intake-plan';
import type { IntakeSummary, VerifiedDelivery } from './verified-delivery';

/** What the batch decided for one of its new customer messages, logged and counted once it has committed. */
interface ReplyOutcome {
  row: InboundRow;
  deliveryIndex: number;
  decision: ReplyDecision | null;
  skipped: NoReplyReason | null;
}

/** What the comment rules did with one of the batch's new comments. */
interface CommentOutcome {
  accountId: string;
  deliveryIndex: number;
  messageId: string;
  outcome: CommentReplyOutcome;
}

interface CommittedBatch {
  summaries: IntakeSummary[];
  outcomes: ReplyOutcome[];
  commentOutcomes: CommentOutcome[];
  repliesQueued: number;
  /** Statements of the transaction, besides starting and committing it. */
  statements: number;
}

const conversationKey = (accountId: string, participantId: string) => `${accountId}\u0000${participantId}`;

/**
 * The webhook intake's one writer. Deliveries that arrive together are
 * written together (`GroupCommit`): one transaction stores the raw bodies,
 * the conversations, every customer message, the automatic replies the
 * rules decide and the new contacts, each as one multi-row statement,
 * whatever the batch's size; the rarer events that change other rows
 * (echoes, reactions, edits, ...) are applied one by one inside the same
 * transaction. Each delivery's promise resolves only once the transaction
 * holding its rows has committed.
 *
 * A batch that fails for a reason of its own (a value the database refuses)
 * is split and written in halves, so the one bad delivery fails alone and
 * the others are stored; a database that cannot be reached fails the whole
 * batch, and Meta retries each delivery.
 */
@Injectable()
export class IntakeWriter {
  private readonly logger = new Logger(IntakeWriter.name);
  private readonly queue: GroupCommit<VerifiedDelivery, IntakeSummary>;
  /**
   * Batches run outside the context of whichever request happened to start
   * them: their log lines name each delivery's own request instead.
   */
  private readonly detached = AsyncLocalStorage.snapshot();
  /** Bytes of the deliveries let in and not answered yet. */
  private admittedBytes = 0;
  private readonly maxAdmittedBytes: number;

  constructor(
    settings: IntakeSettings,
    private readonly transactor: Transactor,
    private readonly store: IntakeBatchStore,
    private readonly recorder: EventRecorder,
    private readonly rules: ActiveRulesCache,
    private readonly replyTemplates: ReplyTemplates,
    private readonly engine: ResponseEngine,
    private readonly outbox: OutboxSignal,
    private readonly metrics: Metrics,
    private readonly statements: StatementCounter,
    private readonly contacts: ContactRepository,
    private readonly events: MessagingEvents,
    private readonly clock: Clock,
    private readonly commentReplies: CommentReplies,
  ) {
    this.maxAdmittedBytes = settings.limits.maxQueueBytes;
    this.queue = new GroupCommit(
      (deliveries) => this.detached(() => this.writeBatch(deliveries)),
      settings.limits,
      (reason) => this.metrics.intakeRefused(reason),
    );
  }

  /**
   * Resolves once the delivery is stored.
   * @throws QueueOverloadedError when it could not be stored in time (nothing of it is stored).
   */
  write(delivery: VerifiedDelivery): Promise<IntakeSummary> {
    const events = delivery.entries.reduce((sum, route) => sum + Math.max(1, route.entry.events.length), 0);
    return this.queue.submit(delivery, delivery.rawBody.length, events, delivery.arrivedAt);
  }

  /** Deliveries waiting for the write under way to end, and the bytes of all let in and not answered yet. */
  get backlog(): { items: number; admittedBytes: number } {
    return { items: this.queue.backlog.items, admittedBytes: this.admittedBytes };
  }

  /**
   * Lets a delivery of `bytes` in, before its request is read: from now
   * until `release` (its answer), its bytes count against
   * INTAKE_MAX_QUEUE_BYTES, whether it is being read, checked, waiting or
   * written, so that a burst cannot hold more than that in memory.
   * @throws QueueOverloadedError (counted) when it could not be stored in time anyway.
   */
  admit(bytes: number, arrivedAt: number): { release: () => void } {
    const full = this.admittedBytes > 0 && this.admittedBytes + bytes > this.maxAdmittedBytes;
    const refusal = full ? this.refused('queue_full') : this.queue.refuseIfOverloaded(0, arrivedAt);
    if (refusal) throw refusal;
    this.admittedBytes += bytes;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.admittedBytes -= bytes;
      },
    };
  }

  private refused(reason: QueueOverloadedError['reason']): QueueOverloadedError {
    this.metrics.intakeRefused(reason);
    return new QueueOverloadedError(reason);
  }

  private async writeBatch(deliveries: VerifiedDelivery[]): Promise<Array<ItemResult<IntakeSummary>>> {
    try {
      const committed = await this.commit(deliveries);
      this.afterCommit(deliveries, committed);
      return committed.summaries.map((value) => ({ ok: true, value }));
    } catch (error) {
      if (isDatabaseUnavailable(error) || deliveries.length === 1) {
        if (!isDatabaseUnavailable(error)) {
          this.logger.error({ err: error, requestId: deliveries[0].requestId }, 'webhook delivery could not be stored');
        }
        return deliveries.map(() => ({ ok: false, error }));
      }
      // Something in the batch is refused: in halves, the good deliveries are stored and the bad one fails alone.
      const half = Math.ceil(deliveries.length / 2);
      return [
        ...(await this.writeBatch(deliveries.slice(0, half))),
        ...(await this.writeBatch(deliveries.slice(half))),
      ];
    }
  }

  private async commit(deliveries: VerifiedDelivery[]): Promise<CommittedBatch> {
    const now = this.clock.now();
    const plan = planIntakeBatch(deliveries, { now, newId: () => newId(now.getTime()) });
    const accounts = accountsOf(deliveries);
    // Read before the transaction: the caches rarely query, and never while locks are held.
    const rules = await this.rulesOf(plan);
    const templates = await this.replyTemplates.of(rules);
    const subscriptions = await this.events.subscriptions();
    const caps = new Map([...accounts.values()].map((account) => [account.id, autoReplyCapOf(account)]));
    // The reply cap counts the replies of this long ago; nothing to count when no message may be answered.
    const repliesSince = plan.inbound.some((row) => row.replyCandidate)
      ? new Date(now.getTime() - Math.max(...[...caps.values()].map((cap) => cap.windowMs)))
      : null;
    const committed = await this.transactor.run(async () => {
      const statementsBefore = this.statements.inCurrentTransaction();
      const rareOutcomes = [];
      const startedConversations: NewContact[] = [];
      const reported: MessagingChange[] = [];
      const commentOutcomes: CommentOutcome[] = [];
      for (const rare of plan.rare) {
        const recorded = await this.recorder.record(rare.account, rare.event, rare.participantId, subscriptions, {
          source: rare.source,
        });
        rareOutcomes.push({ deliveryIndex: rare.deliveryIndex, stored: recorded.outcome === 'stored' });
        if (rare.replyCandidate && rare.event.kind === 'change' && recorded.message) {
          const accountRules = rules.get(rare.account.id) ?? [];
          const { message, conversation } = recorded;
          const outcome = await this.commentReplies.answer(
            rare.account,
            rare.event,
            message,
            conversation,
            accountRules,
            now,
          );
          if (outcome) {
            const { deliveryIndex } = rare;
            commentOutcomes.push({
              accountId: rare.account.id,
              deliveryIndex,
              messageId: recorded.message.id,
              outcome,
            });
          }
        }
        reported.push(...recorded.reported);
        if (recorded.newConversation) {
          startedConversations.push({ id: newId(), accountId: rare.account.id, igsid: rare.participantId });
        }
      }
      for (const own of plan.ownComments) {
        await this.recorder.recordOwnComment(own.account, own.event);
        rareOutcomes.push({ deliveryIndex: own.deliveryIndex, stored: true });
      }
      await this.store.recordDeliveries(plan.deliveries, plan.unroutable, now);
      const conversations = await this.store.touchConversations(plan.conversations, now, repliesSince);
      const byKey = new Map(conversations.map((c) => [conversationKey(c.accountId, c.participantId), c]));
      const conversationOf = (row: InboundRow) => byKey.get(conversationKey(row.accountId, row.participantId))!;
      const rows = plan.inbound.map((row) => ({ ...row, conversationId: conversationOf(row).id }));
      const inserted = await this.store.insertInbound(rows, now);
      const mentioned = await this.store.insertMentions(plan.mentions, now);
      const fresh = rows.filter((row) => inserted.has(row.id));
      const { outcomes, replies } = this.decideReplies(
        fresh,
        conversationOf,
        accounts,
        caps,
        rules,
        templates,
        plan,
        now,
      );
      const skipped = new Map(outcomes.flatMap((o) => (o.skipped ? [[o.row.id, o.skipped] as const] : [])));
      await this.store.recordNoReplyReasons(skipped);
      await this.store.queueReplies(replies, now);
      await this.contacts.recordNew(contactsOf(fresh, startedConversations, now), now);
      for (const row of fresh) {
        if (!subscriptions.wants('message.received', row.accountId)) continue;
        const message = insertedInboundMessage(row, skipped.get(row.id) ?? null, now);
        reported.push({ event: 'message.received', message });
      }
      // One statement for the whole batch's events, and none when no endpoint wants them.
      await this.events.report(reported, subscriptions);
      return {
        summaries: summariesOf(plan, inserted, mentioned, rareOutcomes),
        outcomes,
        commentOutcomes,
        repliesQueued: replies.length + commentOutcomes.filter((c) => c.outcome.result === 'queued').length,
        statements: this.statements.inCurrentTransaction() - statementsBefore,
      };
    });
    this.metrics.intakeBatch(deliveries.length, committed.statements);
    return committed;
  }

  /** The active rules of each account with a message to answer, or a comment that comment rules may answer. */
  private async rulesOf(plan: IntakePlan): Promise<Map<string, ResponseRule[]>> {
    const commented = plan.rare.filter((rare) => rare.replyCandidate);
    const answering = [
      ...new Set([
        ...plan.inbound.filter((row) => row.replyCandidate).map((row) => row.accountId),
        ...commented.map(({ account }) => account.id),
      ]),
    ];
    const loaded = await Promise.all(answering.map((id) => this.rules.activeRules(id)));
    return new Map(answering.map((id, index) => [id, loaded[index]]));
  }

  /** The automatic replies to the batch's new messages, in the order the messages came, each conversation within its cap. */
  private decideReplies(
    fresh: Array<InboundRow & { conversationId: string }>,
    conversationOf: (row: InboundRow) => BatchConversation,
    accounts: Map<string, InstagramBusinessAccount>,
    caps: Map<string, AutoReplyCap>,
    rules: Map<string, ResponseRule[]>,
    templates: ReplyTemplateSet,
    plan: IntakePlan,
    now: Date,
  ): { outcomes: ReplyOutcome[]; replies: ReplyRow[] } {
    const candidates = fresh.filter((row) => row.replyCandidate);
    const outcomes: ReplyOutcome[] = [];
    const replies: ReplyRow[] = [];
    if (candidates.length === 0) return { outcomes, replies };
    // The replies each conversation had before this batch, and those the batch adds as it goes.
    const recent = new Map(candidates.map((row) => [row.conversationId, conversationOf(row).autoRepliedAt]));
    const deliveryOf = deliveryIndexOf(plan);
    for (const row of [...candidates].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime())) {
      const account = accounts.get(row.accountId)!;
      const conversation = conversationOf(row);
      const cap = caps.get(row.accountId)!;
      const repliesSoFar = (recent.get(row.conversationId) ?? []).filter(
        (at) => now.getTime() - at.getTime() < cap.windowMs,
      ).length;
      const skipped = reasonNotToReply(conversation, row.occurredAt, now, repliesSoFar, cap);
      const decision = skipped
        ? null
        : this.engine.decide(account, row.text, rules.get(row.accountId) ?? [], row.replyPayload);
      outcomes.push({ row, deliveryIndex: deliveryOf.get(row.id) ?? 0, decision, skipped });
      if (!decision || decision.source === 'none') continue;
      const source = decision.source;
      const parts = replyPartsOf(decision, row.accountId, templates);
      if (!parts) continue;
      parts.forEach((part, partIndex) =>
        replies.push({
          id: newId(now.getTime()),
          accountId: row.accountId,
          conversationId: row.conversationId,
          recipientId: conversation.participantId,
          type: part.type,
          text: part.text,
          payload: part.payload === null ? null : JSON.stringify(part.payload),
          attachments: part.attachments?.length ? JSON.stringify(part.attachments) : null,
          origin: source,
          ruleId: decision.rule?.id ?? null,
          replyToMessageId: row.id,
          partIndex,
        }),
      );
      recent.set(row.conversationId, [...(recent.get(row.conversationId) ?? []), now]);
    }
    return { outcomes, replies };
  }

  /** Logged and counted once committed: a batch retried after a deadlock would count everything twice. */
  private afterCommit(deliveries: VerifiedDelivery[], committed: CommittedBatch): void {
    for (const delivery of deliveries) {
      for (const route of delivery.entries) {
        if (route.account === null) {
          this.logger.warn(
            {
              accountId: delivery.routeAccountId,
              requestId: delivery.requestId,
              entryId: route.entry.entryId,
              reason: route.reason,
            },
            'webhook entry kept as unroutable',
          );
          continue;
        }
        for (const event of route.entry.events) this.metrics.webhookEvent(event.kind);
      }
    }
    for (const { row, deliveryIndex, decision, skipped } of committed.outcomes) {
      const context = { accountId: row.accountId, requestId: deliveries[deliveryIndex].requestId, messageId: row.id };
      if (skipped) {
        this.logger.log(context, `no automatic reply: ${NO_REPLY_EXPLANATIONS[skipped]}`);
        continue;
      }
      if (!decision) continue;
      this.logger.log({ ...context, ruleId: decision.rule?.id ?? null, source: decision.source }, decision.reason);
      if (decision.source !== 'none') this.metrics.autoReply(decision.source, decision.rule?.id ?? null);
    }
    for (const { accountId, deliveryIndex, messageId, outcome } of committed.commentOutcomes) {
      const context = { accountId, requestId: deliveries[deliveryIndex].requestId, messageId };
      if (outcome.result === 'no_rule') continue;
      const ruleId = outcome.decision.rule.id;
      if (outcome.result === 'too_old') {
        this.logger.warn({ ...context, ruleId }, 'no private reply: the comment is older than the 7 days Meta allows');
        this.metrics.privateReply(accountId, 'refused');
      } else if (outcome.result === 'paused') {
        this.logger.log({ ...context, ruleId }, `no private reply: ${NO_REPLY_EXPLANATIONS.automation_paused}`);
      } else if (outcome.result === 'queued') {
        this.logger.log(
          { ...context, ruleId, publicReply: outcome.publicReply },
          `private reply queued: ${outcome.decision.reason}`,
        );
        this.metrics.privateReply(accountId, 'queued');
        this.metrics.autoReply('rule', ruleId);
      }
    }
    if (committed.repliesQueued > 0) this.outbox.notify();
  }
}

/** What a decision is queued as: its text in parts, or the parts of the rule's template; null when nothing can be. */
function replyPartsOf(decision: ReplyDecision, accountId: string, templates: ReplyTemplateSet): OutboundPart[] | null {
  if (decision.templateName) return templates.partsOf(accountId, decision.templateName);
  if (decision.text === null) return null;
  return autoReplyParts(decision.text).map((text) => ({ type: 'text', text, payload: null }));
}

function accountsOf(deliveries: VerifiedDelivery[]): Map<string, InstagramBusinessAccount> {
  const accounts = new Map<string, InstagramBusinessAccount>();
  for (const delivery of deliveries) {
    for (const route of delivery.entries) if (route.account) accounts.set(route.account.id, route.account);
  }
  return accounts;
}

/** The delivery each inserted row came with first. */
function deliveryIndexOf(plan: IntakePlan): Map<string, number> {
  const index = new Map<string, number>();
  plan.shares.forEach((share, deliveryIndex) => {
    for (const { rowId, first } of share.inbound) if (first) index.set(rowId, deliveryIndex);
  });
  return index;
}

/**
 * One contact per customer of the new messages and of the conversations the
 * other events started, sorted like the unique key they are checked against.
 */
function contactsOf(fresh: InboundRow[], started: NewContact[], now: Date): NewContact[] {
  const contacts = new Map<string, NewContact>();
  for (const contact of [
    ...fresh.map((row) => ({ id: newId(now.getTime()), accountId: row.accountId, igsid: row.participantId })),
    ...started,
  ]) {
    const key = conversationKey(contact.accountId, contact.igsid);
    if (!contacts.has(key)) contacts.set(key, contact);
  }
  return [...contacts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, contact]) => contact);
}

function summariesOf(
  plan: IntakePlan,
  inserted: Set<string>,
  mentioned: Set<string>,
  rareOutcomes: Array<{ deliveryIndex: number; stored: boolean }>,
): IntakeSummary[] {
  const summaries = plan.shares.map((share) => {
    const rows = [...share.inbound, ...share.mentions];
    const stored = rows.filter(({ rowId, first }) => first && (inserted.has(rowId) || mentioned.has(rowId))).length;
    return { stored, duplicates: rows.length - stored, unroutable: share.unroutable };
  });
  for (const { deliveryIndex, stored } of rareOutcomes) {
    if (stored) summaries[deliveryIndex].stored += 1;
    else summaries[deliveryIndex].duplicates += 1;
  }
  return summaries;
}
