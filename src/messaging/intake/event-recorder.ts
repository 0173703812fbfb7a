import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@common';
import type { InstagramBusinessAccount } from '@accounts';
import type { Subscriptions } from '@events';
import type { ChangeEvent, MessageEvent } from './events/instagram-event';
import type { PerEventKind } from './intake-plan';
import type { IntakeSource } from './verified-delivery';
import { eventKey } from './events/event-key';
import type { Conversation } from '../conversation';
import { HumanTakeover } from '../replies/human-takeover';
import { ConversationRepository } from '../conversation.repository';
import type { Message, NewInboundMessage } from '../message';
import { MessageRepository } from '../message.repository';
import { messageTypeOf } from './message-type';
import { clipToColumn, REACTION_MAX_LENGTH } from './column-limits';
import type { MessagingChange } from '../reporting/messaging-events';

export interface RecordedEvent {
  /** `duplicate`: a redelivery that changed nothing. */
  outcome: 'stored' | 'duplicate';
  /** The message the event stored as one of its own, if it did (a comment, a reaction, ...). */
  message: Message | null;
  /** The conversation the event belongs to, as it stood before the event. */
  conversation: Conversation;
  /** The event started the conversation: its customer is new to the account. */
  newConversation: boolean;
  /** What the business's systems are told of it, for the endpoints that want it. */
  reported: MessagingChange[];
}

/** The columns every message recorded from one event shares. */
type EventFields = Pick<
  NewInboundMessage,
  'accountId' | 'conversationId' | 'senderId' | 'recipientId' | 'timestamp' | 'isStandby' | 'source'
>;

/** What applying an event did: the message row it stored, if it stored one, and what to report of it. */
interface Applied {
  outcome: RecordedEvent['outcome'];
  message: Message | null;
  reported?: MessagingChange[];
}

const compact = (fields: Record<string, unknown>): Record<string, unknown> | null => {
  const kept = Object.entries(fields).filter(([, value]) => value !== null && value !== undefined);
  return kept.length > 0 ? Object.fromEntries(kept) : null;
};

/**
 * Applies one of the rarer events (echoes, deletions, edits, reactions, read
 * receipts, referrals, changes, unknown items) to one account's data, inside
 * the batch's transaction; customer messages and postbacks are the batch's
 * own rows. Every write is idempotent through a unique key (the mid, or a
 * deterministic event key), so a redelivered event changes nothing. None of
 * these opens the messaging window.
 */
@Injectable()
export class EventRecorder {
  private readonly logger = new Logger(EventRecorder.name);

  constructor(
    private readonly conversations: ConversationRepository,
    private readonly messages: MessageRepository,
    private readonly takeover: HumanTakeover,
    private readonly clock: Clock,
  ) {}

  /**
   * `participant` is the customer the event is about (`participantId`),
   * which names its conversation; `subscriptions` say what is reported.
   */
  async record(
    account: InstagramBusinessAccount,
    event: PerEventKind,
    participant: string,
    subscriptions: Subscriptions,
    { source }: { source: IntakeSource } = { source: 'webhook' },
  ): Promise<RecordedEvent> {
    // Only an unknown item can lack a time; it is then stamped with its arrival.
    const timestamp = event.timestamp ?? this.clock.now();
    const { conversation, created } = await this.conversations.getOrStart(account.id, participant, {
      at: timestamp,
      fromParticipant: false,
    });
    const recorded = await this.apply(account, event, conversation, timestamp, subscriptions, source);
    if (recorded.outcome === 'stored' && recorded.message && !created) {
      await this.conversations.updateLastMessageTime(account.id, conversation.id, timestamp, false);
    }
    // A customer's event stored as a message of its own; the account's own messages report themselves.
    const received: MessagingChange[] =
      recorded.message?.direction === 'inbound' ? [{ event: 'message.received', message: recorded.message }] : [];
    return {
      outcome: recorded.outcome,
      message: recorded.message,
      conversation,
      newConversation: created,
      reported: [...received, ...(recorded.reported ?? [])],
    };
  }

  private async apply(
    account: InstagramBusinessAccount,
    event: PerEventKind,
    conversation: Conversation,
    timestamp: Date,
    subscriptions: Subscriptions,
    source: IntakeSource,
  ): Promise<Applied> {
    const base: EventFields = {
      accountId: account.id,
      conversationId: conversation.id,
      senderId: event.senderId,
      recipientId: event.recipientId,
      timestamp,
      isStandby: event.standby,
      source,
    };
    const stored = (message: Message | null): Applied =>
      message ? { outcome: 'stored', message } : { outcome: 'duplicate', message: null };
    const applied = (changed: boolean): Applied => ({ outcome: changed ? 'stored' : 'duplicate', message: null });
    const inbound = (fields: Omit<NewInboundMessage, keyof EventFields | 'direction'>) =>
      this.messages.create({ ...base, direction: 'inbound', ...fields });

    switch (event.kind) {
      case 'message':
        // A message reaches this path only as the account's own: customers' messages are the batch's rows.
        return this.recordEcho(account, conversation, event, base, subscriptions);
      case 'message_deleted': {
        if (await this.messages.markDeleted(account.id, event.mid, event.timestamp)) return applied(true);
        // Deleted before we saw it: keep a marker under its mid, so a late copy of the original is a duplicate.
        return stored(await inbound({ type: 'deleted', text: null, mid: event.mid, deletedAt: event.timestamp }));
      }
      case 'message_edit': {
        const edit = { text: event.text, at: event.timestamp, editCount: event.editCount };
        const outcome = await this.messages.applyEdit(account.id, event.mid, edit);
        if (outcome !== 'no_message') return applied(outcome === 'applied');
        // Edited before we saw it: the edited text is the message, and a late original is a duplicate.
        return stored(
          await inbound({
            type: 'text',
            text: event.text,
            mid: event.mid,
            editedAt: event.timestamp,
            editCount: event.editCount,
            metadata: { editCount: event.editCount },
          }),
        );
      }
      case 'reaction':
      case 'unreaction': {
        // Meta sends the emoji as it is; anything longer than a reaction can be is clipped (the raw delivery keeps it).
        const reaction =
          event.kind === 'reaction' ? clipToColumn(event.emoji ?? event.reaction, REACTION_MAX_LENGTH) : null;
        const message = await inbound({
          type: 'reaction',
          text: reaction,
          eventKey: eventKey(event),
          metadata: compact({
            targetMid: event.mid,
            action: event.kind === 'reaction' ? 'react' : 'unreact',
            reaction: event.kind === 'reaction' ? event.reaction : null,
          }),
        });
        if (message) await this.messages.setReaction(account.id, event.mid, reaction, event.timestamp);
        return stored(message);
      }
      case 'seen': {
        const message = await inbound({
          type: 'seen',
          text: null,
          eventKey: eventKey(event),
          metadata: compact({ targetMid: event.mid }),
        });
        if (message && event.mid) await this.messages.markSeen(account.id, event.mid, event.timestamp);
        return stored(message);
      }
      case 'referral':
        return stored(
          await inbound({
            type: 'referral',
            text: null,
            eventKey: eventKey(event),
            metadata: { referral: event.referral },
          }),
        );
      case 'change': {
        const comment = event.comment;
        return stored(
          await inbound({
            type: comment ? 'comment' : 'other',
            text: comment?.text ?? null,
            eventKey: eventKey(event),
            // The comment's own id keeps it once, however Meta's copies of it differ.
            commentId: comment?.id ?? null,
            metadata: compact({
              field: event.field,
              mediaId: comment?.mediaId,
              mediaProductType: comment?.mediaProductType,
              parentId: comment?.parentId,
              adId: comment?.adId,
              value: event.value,
            }),
          }),
        );
      }
      case 'unknown':
        this.logger.warn({ accountId: account.id, reason: event.reason }, 'unrecognised webhook event kept raw');
        return stored(
          await inbound({
            type: 'other',
            text: null,
            eventKey: eventKey(event),
            metadata: { raw: event.raw, reason: event.reason },
          }),
        );
    }
  }

  /**
   * A comment the account made itself. It belongs to no customer's
   * conversation and is never answered; when it is the public reply this
   * service posted under a comment (its id is the reply's), it marks that
   * reply delivered, as an echo does a message.
   */
  async recordOwnComment(account: InstagramBusinessAccount, event: ChangeEvent): Promise<void> {
    if (event.comment === null) return;
    await this.messages.markDelivered(account.id, event.comment.id, event.timestamp);
  }

  /**
   * The account's own message coming back. If the service sent it, it is now
   * delivered; otherwise a person typed it in the Instagram app, so it is kept
   * as outbound and automatic replies pause while that person is talking.
   */
  private async recordEcho(
    account: InstagramBusinessAccount,
    conversation: Conversation,
    event: MessageEvent,
    base: EventFields,
    subscriptions: Subscriptions,
  ): Promise<Applied> {
    if (await this.messages.markDelivered(account.id, event.mid, event.timestamp)) {
      // Read back only for an endpoint that wants it: an echo otherwise costs what it did.
      const delivered = subscriptions.wants('message.delivered', account.id)
        ? await this.messages.getByMid(account.id, event.mid)
        : null;
      const reported: MessagingChange[] = delivered ? [{ event: 'message.delivered', message: delivered }] : [];
      return { outcome: 'stored', message: null, reported };
    }
    const message = await this.messages.create({
      ...base,
      direction: 'outbound',
      type: messageTypeOf(event),
      text: event.text,
      mid: event.mid,
      isEcho: true,
      origin: 'app',
      status: 'delivered',
      attachments: event.attachments.map((a) => ({ type: a.type, payload: { ...(a.payload ?? {}) } })),
    });
    if (!message) return { outcome: 'duplicate', message: null };
    // Sent by a person in the Instagram app: the account's message all the same.
    const reported: MessagingChange[] = [{ event: 'message.sent', message }];
    // A person's answer recovered afterwards is history: it pauses nothing now.
    const live = base.source === 'webhook' && !event.standby;
    const pausedUntil = live ? await this.takeover.personAnswered(account.id, conversation) : null;
    if (pausedUntil) {
      reported.push({ event: 'conversation.automation_paused', conversation, until: pausedUntil, by: 'instagram_app' });
    }
    return { outcome: 'stored', message, reported };
  }
}
