import { Injectable } from '@nestjs/common';
import { Clock, DomainError } from '@common';
import { AccountsService, CredentialsCache } from '@accounts';
import { GraphApi, refusal, type Reaction, type SendApiRequest, type SenderAction } from '@graph-api';
import type { Conversation } from '../conversation';
import { ConversationsService } from '../history/conversations.service';
import type { Message } from '../message';
import { MessageRepository } from '../message.repository';
import { windowRefusal } from '../outbox/messaging-window';
import { OperatorMessagesService } from './operator-messages.service';

/**
 * What an operator shows a customer at once, outside any message: a reaction
 * to one of their messages, "typing…", or that their messages were seen.
 * These are Send API sender actions, made now rather than queued (a
 * "typing…" sent late means nothing), and refused before Meta is called
 * outside the 24-hour window, as Meta would refuse them.
 */
@Injectable()
export class SenderActionsService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly conversations: ConversationsService,
    private readonly operatorMessages: OperatorMessagesService,
    private readonly messages: MessageRepository,
    private readonly credentials: CredentialsCache,
    private readonly graph: GraphApi,
    private readonly clock: Clock,
  ) {}

  /** Reacts to a customer's message (`reaction`), or takes the account's reaction back (null). */
  async react(accountId: string, messageId: string, reaction: Reaction | null): Promise<Message> {
    const message = await this.operatorMessages.get(accountId, messageId);
    if (message.direction !== 'inbound' || !message.mid) {
      throw new DomainError('validation_failed', 'only a customer’s message can be reacted to', {
        messageId: 'is not a message the customer sent',
      });
    }
    const conversation = await this.conversations.require(accountId, message.conversationId);
    const payload = reaction === null ? { message_id: message.mid } : { message_id: message.mid, reaction };
    await this.call(conversation, { sender_action: reaction === null ? 'unreact' : 'react', payload });
    await this.messages.setOurReaction(accountId, message.id, reaction);
    return { ...message, ourReaction: reaction };
  }

  async show(accountId: string, conversationId: string, action: SenderAction): Promise<void> {
    await this.call(await this.conversations.require(accountId, conversationId), { sender_action: action });
  }

  private async call(conversation: Conversation, body: Omit<SendApiRequest, 'recipient'>): Promise<void> {
    const account = await this.accounts.get(conversation.accountId);
    if (!account.isActive) {
      throw new DomainError('account_inactive', 'the account is deactivated; reactivate it (PUT isActive: true) first');
    }
    const closed = windowRefusal(conversation.lastInboundAt, { origin: 'operator', tag: null }, this.clock.now());
    if (closed) throw new DomainError('outside_messaging_window', `not sent: ${closed}`);
    try {
      const access = await this.credentials.graphAccess(conversation.accountId);
      await this.graph.sendMessage(access, { recipient: { id: conversation.participantId }, ...body });
    } catch (error) {
      throw refusal(error);
    }
  }
}
