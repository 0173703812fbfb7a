import { Injectable } from '@nestjs/common';
import { Transactor } from '@database';
import { EventOutbox, type NewEvent, type SubscribableEventType, type Subscriptions } from '@events';
import { type Conversation, isPausedUntilResumed } from '../conversation';
import { MessageResponseDto } from '../history/dto/message-response.dto';
import type { Message } from '../message';

type ConversationRef = Pick<Conversation, 'id' | 'accountId' | 'participantId'>;

/** Who paused or resumed automatic replies: an operator, a person answering in the Instagram app, or the service undoing the pause its own early echo caused. */
export type PausedBy = 'operator' | 'instagram_app';
export type ResumedBy = 'operator' | 'service';

/** Something that happened to a message or a conversation, as the business's systems are told of it. */
export type MessagingChange =
  | { event: 'message.received' | 'message.sent' | 'message.delivered' | 'message.failed'; message: Message }
  | { event: 'conversation.automation_paused'; conversation: ConversationRef; until: Date; by: PausedBy }
  | { event: 'conversation.automation_resumed'; conversation: ConversationRef; by: ResumedBy };

const accountOf = (change: MessagingChange) =>
  'message' in change ? change.message.accountId : change.conversation.accountId;

/** The event's `data`: the message in the admin API's shape, with its customer; or the conversation's pause. */
function eventOf(change: MessagingChange): NewEvent {
  const type = change.event;
  if ('message' in change) {
    const message = change.message;
    // The customer, whom a reply goes to (`recipientId`): the message shape has no sender.
    const participantId = message.direction === 'inbound' ? message.senderId : message.recipientId;
    return {
      type,
      accountId: message.accountId,
      data: { conversationId: message.conversationId, participantId, message: MessageResponseDto.from(message) },
    };
  }
  const { conversation } = change;
  const about = { conversationId: conversation.id, participantId: conversation.participantId, by: change.by };
  if (change.event === 'conversation.automation_resumed')
    return { type, accountId: conversation.accountId, data: about };
  const indefinitely = isPausedUntilResumed({ automationPausedUntil: change.until });
  return {
    type,
    accountId: conversation.accountId,
    data: {
      ...about,
      automationPausedUntil: indefinitely ? null : change.until,
      automationPausedIndefinitely: indefinitely,
    },
  };
}

/**
 * What messaging tells the business's own systems, queued in the
 * transaction that stores what it reports: the events an endpoint wants
 * are built and queued, the others not even built. Where nothing else
 * needs a transaction, `reportingIn` opens one only when an endpoint
 * wants the event, so that the outbox's hot path costs nothing more while
 * nobody listens.
 */
@Injectable()
export class MessagingEvents {
  constructor(
    private readonly outbox: EventOutbox,
    private readonly transactor: Transactor,
  ) {}

  /** Who subscribes to what (from a cache): read before a transaction that will report. */
  subscriptions(): Promise<Subscriptions> {
    return this.outbox.currentSubscriptions();
  }

  /** In the caller's transaction. */
  async report(changes: readonly MessagingChange[], subscriptions?: Subscriptions): Promise<void> {
    if (changes.length === 0) return;
    const subscribed = subscriptions ?? (await this.subscriptions());
    const wanted = changes.filter((change) => subscribed.wants(change.event, accountOf(change)));
    if (wanted.length > 0) await this.outbox.queue(wanted.map(eventOf), subscribed);
  }

  /**
   * Runs `work`, and reports what it hands to `report`: in one transaction
   * when an endpoint wants events of `type` about one of `accountIds`,
   * else as it is (and `report` drops what it is given).
   */
  async reportingIn<T>(
    type: SubscribableEventType,
    accountIds: readonly string[],
    work: (report: (change: MessagingChange) => void) => Promise<T>,
  ): Promise<T> {
    const subscriptions = await this.subscriptions();
    if (!accountIds.some((accountId) => subscriptions.wants(type, accountId))) return work(() => undefined);
    return this.transactor.run(async () => {
      const changes: MessagingChange[] = [];
      const result = await work((change) => changes.push(change));
      await this.report(changes, subscriptions);
      return result;
    });
  }
}
