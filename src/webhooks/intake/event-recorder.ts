import { Injectable, Logger } from '@nestjs/common';
import type { InstagramBusinessAccount } from '../../accounts/account';
import { type Conversation, HUMAN_TAKEOVER_MS } from '../../messaging/conversations/conversation';
import { ConversationRepository } from '../../messaging/conversations/conversation.repository';
import type { Message, NewInboundMessage } from '../../messaging/messages/message';
import { MessageRepository } from '../../messaging/messages/message.repository';
import type { InstagramEvent, MessageEvent } from '../parsing/instagram-event';
import { eventKey } from '../parsing/event-key';
import { participantId } from '../parsing/event-participant';
import { messageTypeOf } from './message-type';

export type RecordedEvent =
  | {
      outcome: 'stored';
      conversation: Conversation;
      message: Message | null;
      /** The event started the conversation: its customer is new to the account. */
      newConversation?: boolean;
    }
  | { outcome: 'duplicate' }
  | { outcome: 'unroutable'; reason: string };

/** Meta's 24-hour window runs from the customer's last message, or a button they tapped. */
const opensWindow = (event: InstagramEvent): boolean =>
  (event.kind === 'message' && !event.isEcho) || event.kind === 'postback';

/** The columns every message recorded from one event shares. */
type EventFields = Pick<
  NewInboundMessage,
  'accountId' | 'conversationId' | 'senderId' | 'recipientId' | 'timestamp' | 'isStandby'
>;

const compact = (fields: Record<string, unknown>): Record<string, unknown> | null => {
  const kept = Object.entries(fields).filter(([, value]) => value !== null && value !== undefined);
  return kept.length > 0 ? Object.fromEntries(kept) : null;
};

/**
 * Applies one parsed event to one account's data, inside the caller's
 * transaction. Every write is idempotent through a unique key (the mid, or a
 * deterministic event key), so a redelivered event changes nothing.
 */
@Injectable()
export class EventRecorder {
  private readonly logger = new Logger(EventRecorder.name);

  constructor(
    private readonly conversations: ConversationRepository,
    private readonly messages: MessageRepository,
  ) {}

  async record(account: InstagramBusinessAccount, event: InstagramEvent): Promise<RecordedEvent> {
    const participant = participantId(event, account.igUserId);
    if (participant === null) return { outcome: 'unroutable', reason: 'no_participant' };
    // Only an unknown item can lack a time; it is then stamped with its arrival.
    const timestamp = event.timestamp ?? new Date();
    const { conversation, created } = await this.conversations.getOrStart(account.id, participant, {
      at: timestamp,
      fromParticipant: opensWindow(event),
    });
    const recorded = await this.apply(account, event, conversation, timestamp);
    if (recorded.outcome !== 'stored') return recorded;
    if (recorded.message && !created) {
      await this.conversations.updateLastMessageTime(account.id, conversation.id, timestamp, opensWindow(event));
    }
    return { ...recorded, newConversation: created };
  }

  private async apply(
    account: InstagramBusinessAccount,
    event: InstagramEvent,
    conversation: Conversation,
    timestamp: Date,
  ): Promise<RecordedEvent> {
    const base: EventFields = {
      accountId: account.id,
      conversationId: conversation.id,
      senderId: event.senderId,
      recipientId: event.recipientId,
      timestamp,
      isStandby: event.standby,
    };
    const stored = (message: Message | null): RecordedEvent =>
      message ? { outcome: 'stored', conversation, message } : { outcome: 'duplicate' };
    const applied = (changed: boolean): RecordedEvent =>
      changed ? { outcome: 'stored', conversation, message: null } : { outcome: 'duplicate' };
    const inbound = (fields: Omit<NewInboundMessage, keyof EventFields | 'direction'>) =>
      this.messages.create({ ...base, direction: 'inbound', ...fields });

    switch (event.kind) {
      case 'message':
        return event.isEcho
          ? this.recordEcho(account, conversation, event, base)
          : this.recordMessage(conversation, event, base);
      case 'postback': {
        const message = await inbound({
          type: 'postback',
          text: event.title,
          mid: event.mid,
          eventKey: event.mid === null ? eventKey(event) : null,
          metadata: compact({ payload: event.payload, referral: event.referral }),
        });
        return stored(message);
      }
      case 'message_deleted': {
        if (await this.messages.markDeleted(account.id, event.mid, event.timestamp)) return applied(true);
        // Deleted before we saw it: keep a marker under its mid, so a late copy of the original is a duplicate.
        return stored(await inbound({ type: 'deleted', text: null, mid: event.mid, deletedAt: event.timestamp }));
      }
      case 'message_edit': {
        if (await this.messages.applyEdit(account.id, event.mid, event.text, event.timestamp)) return applied(true);
        return stored(
          await inbound({ type: 'text', text: event.text, mid: event.mid, metadata: { editCount: event.editCount } }),
        );
      }
      case 'reaction':
      case 'unreaction': {
        const reaction = event.kind === 'reaction' ? (event.emoji ?? event.reaction) : null;
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
        if (message) await this.messages.setReaction(account.id, event.mid, reaction);
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
      case 'change':
        return stored(
          await inbound({
            type: event.field === 'comments' || event.field === 'live_comments' ? 'comment' : 'other',
            text: event.comment?.text ?? null,
            eventKey: eventKey(event),
            metadata: { field: event.field, value: event.value },
          }),
        );
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

  private async recordMessage(
    conversation: Conversation,
    event: MessageEvent,
    base: EventFields,
  ): Promise<RecordedEvent> {
    const message = await this.messages.create({
      ...base,
      direction: 'inbound',
      type: messageTypeOf(event),
      text: event.text,
      mid: event.mid,
      attachments: event.attachments.map((a) => ({ type: a.type, payload: { ...(a.payload ?? {}) } })),
      metadata: compact({
        replyTo: event.replyTo,
        quickReplyPayload: event.quickReplyPayload,
        referral: event.referral,
      }),
    });
    return message ? { outcome: 'stored', conversation, message } : { outcome: 'duplicate' };
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
  ): Promise<RecordedEvent> {
    if (await this.messages.markDelivered(account.id, event.mid, event.timestamp)) {
      return { outcome: 'stored', conversation, message: null };
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
    if (!message) return { outcome: 'duplicate' };
    if (!event.standby) await this.pauseForHumanTakeover(account.id, conversation);
    return { outcome: 'stored', conversation, message };
  }

  private async pauseForHumanTakeover(accountId: string, conversation: Conversation): Promise<void> {
    const until = new Date(Date.now() + HUMAN_TAKEOVER_MS);
    const current = conversation.automationPausedUntil;
    if (current && current.getTime() >= until.getTime()) return;
    await this.conversations.setAutomationPausedUntil(accountId, conversation.id, until);
    this.logger.log(
      { accountId, conversationId: conversation.id },
      'automatic replies paused: a person answered from the Instagram app',
    );
  }
}
