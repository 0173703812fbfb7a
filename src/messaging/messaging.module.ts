import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AdminApiModule } from '../common/admin-api/admin-api.module';
import { GraphApiModule } from '../graph-api/graph-api.module';
import { ContactProfileWorker } from './contacts/contact-profile-worker';
import { ConversationsController } from './conversations/conversations.controller';
import { ConversationsService } from './conversations/conversations.service';
import { MessagingCoreModule } from './messaging-core.module';
import { OutboxDispatcher } from './outbox/outbox-dispatcher';
import { MessagesController } from './sending/messages.controller';
import { TemplatesController } from './templates/templates.controller';
import { AccessTokenRefresher } from './tokens/access-token-refresher';

/**
 * Messaging in the server: the admin routes for conversations, templates and messages, and
 * the background work that starts and stops with the application: the
 * outbox dispatcher, profile lookups and token refreshes.
 */
@Module({
  imports: [MessagingCoreModule, AccountsModule, GraphApiModule, AdminApiModule],
  controllers: [ConversationsController, TemplatesController, MessagesController],
  providers: [ConversationsService, OutboxDispatcher, ContactProfileWorker, AccessTokenRefresher],
  exports: [MessagingCoreModule],
})
export class MessagingModule {}
