import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AccountsModule } from '@accounts';
import { EventsModule } from '@events';
import { AdminApiModule } from '@http';
import type { Environment } from '@config';
import { ContactsModule } from '@contacts';
import { GraphApiModule } from '@graph-api';
import { RulesModule } from '@rules';
import { TemplatesModule } from '@templates';
import { BackfillJobRepository } from './backfill/backfill-job.repository';
import { BackfillRunner } from './backfill/backfill-runner';
import { BackfillSettings } from './backfill/backfill-settings';
import { BackfillWorker } from './backfill/backfill-worker';
import { BackfillController } from './backfill/backfill.controller';
import { BackfillService } from './backfill/backfill.service';
import { ConversationsApiPacer } from './backfill/conversations-api-pacer';
import { GraphApiPacing } from './backfill/graph-api-pacing';
import { TypeOrmBackfillJobRepository } from './backfill/persistence/typeorm-backfill-job.repository';
import { TypeOrmGraphApiPacing } from './backfill/persistence/typeorm-graph-api-pacing';
import { ConversationRepository } from './conversation.repository';
import { ConversationsController } from './history/conversations.controller';
import { ConversationsService } from './history/conversations.service';
import { EventRecorder } from './intake/event-recorder';
import { IntakeBatchStore } from './intake/intake-batch-store';
import { IntakeSettings } from './intake/intake-settings';
import { IntakeWriter } from './intake/intake-writer';
import { Mentions } from './mentions/mentions';
import { MentionsController } from './mentions/mentions.controller';
import { MessageRepository } from './message.repository';
import { MessagingSettings } from './messaging-settings';
import { MessagesController } from './operator/messages.controller';
import { ConversationActionsController } from './operator/conversation-actions.controller';
import { OperatorMessagesService } from './operator/operator-messages.service';
import { SenderActionsService } from './operator/sender-actions.service';
import { EarlyEchoReconciler } from './outbox/early-echo-reconciler';
import { ImmediateDispatch } from './outbox/immediate-dispatch';
import { InstagramMessageSender } from './outbox/instagram-message-sender';
import { MessageSender } from './outbox/message-sender';
import { OutboxDelivery } from './outbox/outbox-delivery';
import { OutboxDispatcher } from './outbox/outbox-dispatcher';
import { OutboxSignal } from './outbox/outbox-signal';
import { OutboxRepository } from './outbox/outbox.repository';
import { SendRateLimiter } from './outbox/send-rate-limiter';
import { SentOutcomes } from './outbox/sent-outcomes';
import { SqlIntakeBatchStore } from './persistence/sql-intake-batch-store';
import { TypeOrmMentions } from './persistence/typeorm-mentions';
import { TypeOrmConversationRepository } from './persistence/typeorm-conversation.repository';
import { TypeOrmMessageRepository } from './persistence/typeorm-message.repository';
import { TypeOrmOutboxRepository } from './persistence/typeorm-outbox.repository';
import { TypeOrmUnroutableEvents } from './persistence/typeorm-unroutable-events';
import { UnroutableEvents } from './unroutable/unroutable-events';
import { MessagingEvents } from './reporting/messaging-events';
import { AutoReplyFiller } from './replies/auto-reply-filler';
import { CommentReplies } from './replies/comment-replies';
import { HumanTakeover } from './replies/human-takeover';
import { ReplyTemplates } from './replies/reply-templates';

const settings = [
  {
    provide: MessagingSettings,
    inject: [ConfigService],
    useFactory: (config: ConfigService<Environment, true>) =>
      MessagingSettings.fromEnvironment({
        OUTBOX_MAX_ATTEMPTS: config.get('OUTBOX_MAX_ATTEMPTS', { infer: true }),
        OUTBOX_MAX_AGE: config.get('OUTBOX_MAX_AGE', { infer: true }),
      }),
  },
  {
    provide: IntakeSettings,
    inject: [ConfigService],
    useFactory: (config: ConfigService<Environment, true>) =>
      IntakeSettings.fromEnvironment({
        INTAKE_MAX_WAIT: config.get('INTAKE_MAX_WAIT', { infer: true }),
        INTAKE_MAX_QUEUE_BYTES: config.get('INTAKE_MAX_QUEUE_BYTES', { infer: true }),
      }),
  },
];
const persistence = [
  { provide: ConversationRepository, useClass: TypeOrmConversationRepository },
  { provide: MessageRepository, useClass: TypeOrmMessageRepository },
  { provide: OutboxRepository, useClass: TypeOrmOutboxRepository },
  { provide: IntakeBatchStore, useClass: SqlIntakeBatchStore },
  { provide: BackfillJobRepository, useClass: TypeOrmBackfillJobRepository },
  { provide: GraphApiPacing, useClass: TypeOrmGraphApiPacing },
  { provide: UnroutableEvents, useClass: TypeOrmUnroutableEvents },
  { provide: Mentions, useClass: TypeOrmMentions },
];
const intake = [EventRecorder, IntakeWriter];
const replies = [AutoReplyFiller, CommentReplies, HumanTakeover, ReplyTemplates];
const reporting = [MessagingEvents];
const outbox = [
  { provide: MessageSender, useClass: InstagramMessageSender },
  OutboxSignal,
  SendRateLimiter,
  SentOutcomes,
  EarlyEchoReconciler,
  OutboxDelivery,
  ImmediateDispatch,
  OutboxDispatcher,
];
const backfill = [
  { provide: BackfillSettings, useValue: new BackfillSettings() },
  ConversationsApiPacer,
  BackfillRunner,
  BackfillWorker,
];
const controllers = [
  ConversationsController,
  MentionsController,
  MessagesController,
  ConversationActionsController,
  BackfillController,
];
const services = [ConversationsService, OperatorMessagesService, SenderActionsService, BackfillService];
const exported = [
  IntakeWriter,
  OperatorMessagesService,
  ImmediateDispatch,
  MessageRepository,
  OutboxRepository,
  BackfillService,
  BackfillWorker,
  UnroutableEvents,
];

/**
 * What happens to a conversation: the intake writer the webhook routes hand
 * their deliveries to, automatic replies and human takeover, the history and
 * the messages operators write, and the outbox that sends everything through
 * the Graph API. The server and the CLI both use it; only the server runs the
 * dispatcher's loop (`ProcessRole`).
 */
@Module({
  imports: [AccountsModule, RulesModule, ContactsModule, TemplatesModule, EventsModule, GraphApiModule, AdminApiModule],
  controllers,
  providers: [...settings, ...persistence, ...intake, ...replies, ...reporting, ...outbox, ...backfill, ...services],
  exports: exported,
})
export class MessagingModule {}
