import { Injectable, Logger } from '@nestjs/common';
import { Clock, DomainError, ID_PATTERN } from '@common';
import { AccountsService } from '@accounts';
import type { Page } from '@common';
import { ContactRepository } from '@contacts';
import { Transactor } from '@database';
import { MessagingEvents } from '../reporting/messaging-events';
import type { Message } from '../message';
import { MessageRepository } from '../message.repository';
import { type Conversation, type ConversationSummary, isAutomationPaused, PAUSED_UNTIL_RESUMED } from '../conversation';
import { ConversationRepository } from '../conversation.repository';

/** Reading conversations and steering their automation; every call names the account. */
@Injectable()
export class ConversationsService {
  private readonly logger = new Logger(ConversationsService.name);

  constructor(
    private readonly accounts: AccountsService,
    private readonly conversations: ConversationRepository,
    private readonly messages: MessageRepository,
    private readonly contacts: ContactRepository,
    private readonly transactor: Transactor,
    private readonly events: MessagingEvents,
    private readonly clock: Clock,
  ) {}

  async list(accountId: string, limit: number, cursor: string | null): Promise<Page<ConversationSummary>> {
    await this.accounts.get(accountId);
    return this.conversations.list(accountId, limit, cursor);
  }

  async history(
    accountId: string,
    conversationId: string,
    limit: number,
    cursor: string | null,
  ): Promise<Page<Message>> {
    const conversation = await this.require(accountId, conversationId);
    return this.messages.getConversationHistory(accountId, conversation.id, limit, cursor);
  }

  /** Stops automatic replies for `minutes`, or until resumed when no duration is given. */
  async pause(
    accountId: string,
    conversationId: string,
    minutes: number | undefined,
    now = this.clock.now(),
  ): Promise<ConversationSummary> {
    const conversation = await this.require(accountId, conversationId);
    const until = minutes === undefined ? PAUSED_UNTIL_RESUMED : new Date(now.getTime() + minutes * 60_000);
    await this.transactor.run(async () => {
      await this.conversations.setAutomationPausedUntil(accountId, conversation.id, until);
      await this.events.report([{ event: 'conversation.automation_paused', conversation, until, by: 'operator' }]);
    });
    this.logger.log({ accountId, conversationId, until }, 'automatic replies paused by an operator');
    return this.summaryOf({ ...conversation, automationPausedUntil: until });
  }

  async resume(accountId: string, conversationId: string): Promise<ConversationSummary> {
    const conversation = await this.require(accountId, conversationId);
    const wasPaused = isAutomationPaused(conversation, this.clock.now());
    await this.transactor.run(async () => {
      await this.conversations.setAutomationPausedUntil(accountId, conversation.id, null);
      if (wasPaused)
        await this.events.report([{ event: 'conversation.automation_resumed', conversation, by: 'operator' }]);
    });
    this.logger.log({ accountId, conversationId }, 'automatic replies resumed by an operator');
    return this.summaryOf({ ...conversation, automationPausedUntil: null });
  }

  /** The conversation with what the contacts table knows of its participant, as the list shows it. */
  private async summaryOf(conversation: Conversation): Promise<ConversationSummary> {
    const contact = await this.contacts.getByIgsid(conversation.accountId, conversation.participantId);
    return { ...conversation, participantUsername: contact?.username ?? null, participantName: contact?.name ?? null };
  }

  /** The conversation, which must belong to the account: one of another account is a 404 here. */
  async require(accountId: string, conversationId: string): Promise<Conversation> {
    await this.accounts.get(accountId);
    const conversation = ID_PATTERN.test(conversationId)
      ? await this.conversations.getById(accountId, conversationId)
      : null;
    if (!conversation) throw new DomainError('conversation_not_found', 'conversation not found in this account');
    return conversation;
  }
}
