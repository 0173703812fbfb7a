import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AccountsModule } from '../accounts/accounts.module';
import type { Environment } from '../config/environment';
import { GraphApiModule } from '../graph-api/graph-api.module';
import { ContactProfileLookup } from './contacts/contact-profile-lookup';
import { ContactRepository } from './contacts/contact.repository';
import { TypeOrmContactRepository } from './contacts/typeorm-contact.repository';
import { ConversationRepository } from './conversations/conversation.repository';
import { TypeOrmConversationRepository } from './conversations/typeorm-conversation.repository';
import { MessageRepository } from './messages/message.repository';
import { TypeOrmMessageRepository } from './messages/typeorm-message.repository';
import { MessagingSettings } from './messaging-settings';
import { AutoReplyFiller } from './replies/auto-reply-filler';
import { EarlyEchoReconciler } from './outbox/early-echo-reconciler';
import { ImmediateDispatch } from './outbox/immediate-dispatch';
import { OutboxDelivery } from './outbox/outbox-delivery';
import { OutboxSignal } from './outbox/outbox-signal';
import { OutboxRepository } from './outbox/outbox.repository';
import { SendRateLimiter } from './outbox/send-rate-limiter';
import { SentOutcomes } from './outbox/sent-outcomes';
import { TypeOrmOutboxRepository } from './outbox/typeorm-outbox.repository';
import { InstagramMessageSender } from './sending/instagram-message-sender';
import { MessageSender } from './sending/message-sender';
import { OperatorMessagesService } from './sending/operator-messages.service';
import { MessageTemplateRepository } from './templates/message-template.repository';
import { TemplatesService } from './templates/templates.service';
import { TypeOrmMessageTemplateRepository } from './templates/typeorm-message-template.repository';

/**
 * Conversations, messages, contacts, templates and the outbox with its
 * sender: everything of messaging that both the server and the CLI use.
 * The server's routes and background work are in `MessagingModule`.
 */
@Module({
  imports: [AccountsModule, GraphApiModule],
  providers: [
    {
      provide: MessagingSettings,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) =>
        MessagingSettings.fromEnvironment({
          OUTBOX_MAX_ATTEMPTS: config.get('OUTBOX_MAX_ATTEMPTS', { infer: true }),
          OUTBOX_MAX_AGE: config.get('OUTBOX_MAX_AGE', { infer: true }),
        }),
    },
    { provide: ConversationRepository, useClass: TypeOrmConversationRepository },
    { provide: MessageRepository, useClass: TypeOrmMessageRepository },
    { provide: ContactRepository, useClass: TypeOrmContactRepository },
    { provide: MessageTemplateRepository, useClass: TypeOrmMessageTemplateRepository },
    { provide: OutboxRepository, useClass: TypeOrmOutboxRepository },
    { provide: MessageSender, useClass: InstagramMessageSender },
    ContactProfileLookup,
    AutoReplyFiller,
    OutboxSignal,
    SendRateLimiter,
    SentOutcomes,
    EarlyEchoReconciler,
    OutboxDelivery,
    ImmediateDispatch,
    TemplatesService,
    OperatorMessagesService,
  ],
  exports: [
    MessagingSettings,
    ContactProfileLookup,
    ConversationRepository,
    MessageRepository,
    ContactRepository,
    OutboxRepository,
    OutboxSignal,
    OutboxDelivery,
    ImmediateDispatch,
    TemplatesService,
    OperatorMessagesService,
  ],
})
export class MessagingCoreModule {}
