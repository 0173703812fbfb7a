import { Injectable, Logger } from '@nestjs/common';
import type { InstagramBusinessAccount } from '../accounts/account';
import { ContactRepository } from '../messaging/contacts/contact.repository';
import { type Conversation, isAutomationPaused, MESSAGING_WINDOW_MS } from '../messaging/conversations/conversation';
import type { Message } from '../messaging/messages/message';
import { MessageRepository } from '../messaging/messages/message.repository';
import { splitMessageText } from '../messaging/text/split-message-text';
import { Metrics } from '../metrics/metrics';
import { ResponseEngine } from './response-engine';

/**
 * Queues the automatic reply to a customer's new message, inside the
 * transaction that stores the message, so a crash after the webhook's 200
 * cannot lose it. The outbox's unique key on (replyToMessageId, part) keeps it
 * to one reply per message even if this runs twice.
 */
@Injectable()
export class AutoReplier {
  private readonly logger = new Logger(AutoReplier.name);

  constructor(
    private readonly engine: ResponseEngine,
    private readonly contacts: ContactRepository,
    private readonly messages: MessageRepository,
    private readonly metrics: Metrics,
  ) {}

  /** The queued reply's parts (a long reply is split at word boundaries); none when no reply is due. */
  async replyTo(
    account: InstagramBusinessAccount,
    conversation: Conversation,
    message: Message,
    { contactKnown = true, now = new Date() }: { contactKnown?: boolean; now?: Date } = {},
  ): Promise<Message[]> {
    const skip = this.reasonNotToReply(conversation, message, now);
    if (skip) {
      this.logger.log(
        { accountId: account.id, conversationId: conversation.id, messageId: message.id },
        `no automatic reply: ${skip}`,
      );
      return [];
    }
    // A customer seen for the first time has no profile yet: {{username}} and {{name}} render empty.
    const contact = contactKnown ? await this.contacts.getByIgsid(account.id, conversation.participantId) : null;
    const decision = await this.engine.generateResponse(account, message, {
      username: contact?.username,
      name: contact?.name,
    });
    if (decision.text === null || decision.source === 'none') return [];
    const queued: Message[] = [];
    for (const [partIndex, text] of splitMessageText(decision.text).entries()) {
      const part = await this.messages.enqueue({
        accountId: account.id,
        conversationId: conversation.id,
        recipientId: conversation.participantId,
        type: 'text',
        text,
        origin: decision.source,
        ruleId: decision.rule?.id ?? null,
        replyToMessageId: message.id,
        partIndex,
      });
      if (part) queued.push(part);
    }
    // Counted inside the intake transaction: the rare transaction retried after a deadlock counts its reply twice.
    if (queued.length > 0) this.metrics.autoReply(decision.source, decision.rule?.id ?? null);
    return queued;
  }

  private reasonNotToReply(conversation: Conversation, message: Message, now: Date): string | null {
    if (isAutomationPaused(conversation, now)) return 'automation is paused in this conversation';
    // A late redelivery of an old message: Meta would refuse an automatic message outside the window.
    if (now.getTime() - message.timestamp.getTime() >= MESSAGING_WINDOW_MS) return 'the 24-hour window has closed';
    return null;
  }
}
