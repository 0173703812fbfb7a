import type { INestApplication } from '@nestjs/common';
import { ConversationRepository } from '@messaging/conversation.repository';
import type { Message } from '@messaging/message';
import { MessageRepository } from '@messaging/message.repository';
import type { TestAccount } from './accounts';

/** The account's outbound messages to one customer, in the order they were queued (none without a conversation). */
export async function outboundMessagesTo(
  app: INestApplication,
  account: TestAccount,
  customer: string,
): Promise<Message[]> {
  const conversation = await app.get(ConversationRepository).getByParticipant(account.account.id, customer);
  if (!conversation) return [];
  const history = await app
    .get(MessageRepository)
    .getConversationHistory(account.account.id, conversation.id, 200, null);
  return history.items.filter((m) => m.direction === 'outbound');
}
