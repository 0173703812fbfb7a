import { Injectable } from '@nestjs/common';
import { Clock, DomainError, ID_PATTERN } from '@common';
import { AccountsService } from '@accounts';
import { Transactor } from '@database';
import type { MediaType, Sticker } from '@graph-api';
import { ContactRepository } from '@contacts';
import { ConversationRepository } from '../conversation.repository';
import type { Message } from '../message';
import { MessageRepository } from '../message.repository';
import { OutboxSignal } from '../outbox/outbox-signal';
import { TemplatesService } from '@templates';
import { type MessageTag, windowRefusal } from '../outbox/messaging-window';
import {
  mediaPart,
  type OutboundPart,
  quoteReplyParts,
  stickerPart,
  templateParts,
  textParts,
} from '../outbox/outbound-parts';

export type Recipient = { igsid: string } | { username: string };

export type OperatorContent =
  | { text: string; replyToMid?: string | null }
  | { templateName: string; params: Record<string, string> }
  | { attachment: { type: MediaType; url: string } }
  | { sticker: Sticker };

/** A message an operator sends, through the admin API or the CLI. */
export interface OperatorMessage {
  recipient: Recipient;
  content: OperatorContent;
  tag: MessageTag | null;
}

/**
 * Queues the messages operators write. Everything that would make Meta
 * refuse the message is checked first (recipient, template parameters, the
 * messaging window), so a refused message is never queued and Meta is never
 * called for it. A message to an account whose token is invalid is queued and
 * waits with the rest of that account's queue.
 */
@Injectable()
export class OperatorMessagesService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly contacts: ContactRepository,
    private readonly conversations: ConversationRepository,
    private readonly templates: TemplatesService,
    private readonly messages: MessageRepository,
    private readonly transactor: Transactor,
    private readonly signal: OutboxSignal,
    private readonly clock: Clock,
  ) {}

  /** The queued message's parts, in sending order (one, unless a long text was split). */
  async queue(accountId: string, request: OperatorMessage): Promise<Message[]> {
    const account = await this.accounts.get(accountId);
    if (!account.isActive) {
      throw new DomainError('account_inactive', 'the account is deactivated; reactivate it (PUT isActive: true) first');
    }
    const participantId = await this.participantOf(accountId, request.recipient);
    const parts = await this.partsOf(accountId, request.content);
    const conversation = await this.conversations.getByParticipant(accountId, participantId);
    const refusal = windowRefusal(
      conversation?.lastInboundAt ?? null,
      { origin: 'operator', tag: request.tag },
      this.clock.now(),
    );
    if (!conversation || refusal) throw new DomainError('outside_messaging_window', `not sent: ${refusal}`);
    await this.checkQuotedMessage(accountId, conversation.id, request.content);
    const queued = await this.transactor.run(async () => {
      const rows: Message[] = [];
      for (const [partIndex, part] of parts.entries()) {
        const row = await this.messages.enqueue({
          accountId,
          conversationId: conversation.id,
          recipientId: participantId,
          type: part.type,
          text: part.text,
          payload: part.payload,
          attachments: part.attachments,
          metadata: part.metadata,
          origin: 'operator',
          tag: request.tag,
          partIndex,
        });
        if (row) rows.push(row);
      }
      return rows;
    });
    this.signal.notify();
    return queued;
  }

  async get(accountId: string, messageId: string): Promise<Message> {
    await this.accounts.get(accountId);
    const message = ID_PATTERN.test(messageId) ? await this.messages.getById(accountId, messageId) : null;
    if (!message) throw new DomainError('message_not_found', 'message not found in this account');
    return message;
  }

  /** The IGSID to send to; a username is looked up in the account's contacts (Meta cannot). */
  private async participantOf(accountId: string, recipient: Recipient): Promise<string> {
    if ('igsid' in recipient) return recipient.igsid;
    const contact = await this.contacts.getByUsername(accountId, recipient.username);
    if (!contact) {
      const username = recipient.username.replace(/^@/, '');
      throw new DomainError(
        'recipient_not_found',
        `no one called @${username} has messaged this account (a person can be addressed by username once they ` +
          'have written and their profile has been looked up); use their IGSID as recipientId instead',
        { recipientUsername: 'not among the account’s contacts' },
      );
    }
    return contact.igsid;
  }

  private async partsOf(accountId: string, content: OperatorContent): Promise<OutboundPart[]> {
    if ('attachment' in content) return [mediaPart(content.attachment.type, content.attachment.url)];
    if ('sticker' in content) return [stickerPart(content.sticker)];
    if ('text' in content) {
      return content.replyToMid ? quoteReplyParts(content.text, content.replyToMid) : textParts(content.text);
    }
    return templateParts(await this.templates.getByName(accountId, content.templateName), content.params);
  }

  /** A quote reply quotes a message of the same conversation; Meta would refuse any other. */
  private async checkQuotedMessage(accountId: string, conversationId: string, content: OperatorContent): Promise<void> {
    if (!('text' in content) || !content.replyToMid) return;
    const quoted = await this.messages.getByMid(accountId, content.replyToMid);
    if (!quoted || quoted.conversationId !== conversationId) {
      throw new DomainError('validation_failed', 'replyToMid is not a message of this conversation', {
        replyToMid: 'is not a message of this conversation',
      });
    }
  }
}
