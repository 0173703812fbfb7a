import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AdminApiModule } from '../common/admin-api/admin-api.module';
import { ContactRepository } from './contacts/contact.repository';
import { TypeOrmContactRepository } from './contacts/typeorm-contact.repository';
import { ConversationRepository } from './conversations/conversation.repository';
import { TypeOrmConversationRepository } from './conversations/typeorm-conversation.repository';
import { ConversationsController } from './conversations/conversations.controller';
import { ConversationsService } from './conversations/conversations.service';
import { MessageRepository } from './messages/message.repository';
import { TypeOrmMessageRepository } from './messages/typeorm-message.repository';
import { OutboxSignal } from './outbox/outbox-signal';

@Module({
  imports: [AccountsModule, AdminApiModule],
  controllers: [ConversationsController],
  providers: [
    ConversationsService,
    { provide: ConversationRepository, useClass: TypeOrmConversationRepository },
    { provide: MessageRepository, useClass: TypeOrmMessageRepository },
    { provide: ContactRepository, useClass: TypeOrmContactRepository },
    OutboxSignal,
  ],
  exports: [ConversationRepository, MessageRepository, ContactRepository, OutboxSignal],
})
export class MessagingModule {}
