import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AccountsModule } from '../accounts/accounts.module';
import type { Environment } from '../config/environment';
import { RulesModule } from '../rules/rules.module';
import { AdminApiModule } from '../common/admin-api/admin-api.module';
import { GraphApiModule } from '../graph-api/graph-api.module';
import { ContactProfileWorker } from './contacts/contact-profile-worker';
import { ConversationsController } from './conversations/conversations.controller';
import { ConversationsService } from './conversations/conversations.service';
import { EventRecorder } from './intake/event-recorder';
import { IntakeBatchStore } from './intake/intake-batch-store';
import { IntakeSettings } from './intake/intake-settings';
import { IntakeWriter } from './intake/intake-writer';
import { MessagingCoreModule } from './messaging-core.module';
import { SqlIntakeBatchStore } from './persistence/sql-intake-batch-store';
import { OutboxDispatcher } from './outbox/outbox-dispatcher';
import { MessagesController } from './sending/messages.controller';
import { TemplatesController } from './templates/templates.controller';
import { AccessTokenRefresher } from './tokens/access-token-refresher';

/**
 * Messaging in the server: the intake writer the webhook routes hand their
 * deliveries to, the admin routes for conversations, templates and messages,
 * and the background work that starts and stops with the application: the
 * outbox dispatcher, profile lookups and token refreshes.
 */
@Module({
  imports: [MessagingCoreModule, AccountsModule, RulesModule, GraphApiModule, AdminApiModule],
  controllers: [ConversationsController, TemplatesController, MessagesController],
  providers: [
    {
      provide: IntakeSettings,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) =>
        IntakeSettings.fromEnvironment({
          INTAKE_MAX_WAIT: config.get('INTAKE_MAX_WAIT', { infer: true }),
          INTAKE_MAX_QUEUE_BYTES: config.get('INTAKE_MAX_QUEUE_BYTES', { infer: true }),
        }),
    },
    { provide: IntakeBatchStore, useClass: SqlIntakeBatchStore },
    EventRecorder,
    IntakeWriter,
    ConversationsService,
    OutboxDispatcher,
    ContactProfileWorker,
    AccessTokenRefresher,
  ],
  exports: [MessagingCoreModule, IntakeWriter],
})
export class MessagingModule {}
