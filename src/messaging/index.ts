// What other modules may use of `messaging`; everything else in the folder is its own.
export type {
  ChangeEvent,
  ChangedComment,
  ChangedMention,
  InstagramEvent,
  JsonObject,
  MessageAttachment,
  MessageDeletedEvent,
  MessageEvent,
  MessagingEventBase,
  ParsedDelivery,
  ParsedEntry,
  Referral,
  ReplyTarget,
  UnknownEvent,
} from './intake/events/instagram-event';
export { BackfillCommand } from './backfill/backfill.command';
export { BackfillJobEntity } from './backfill/persistence/backfill-job.entity';
export { GraphApiPacingEntity } from './backfill/persistence/graph-api-pacing.entity';
export { IntakeWriter } from './intake/intake-writer';
export type { IntakeSummary, RoutedEntry } from './intake/verified-delivery';
export type { KeptEntry, UnroutableEvent, UnroutableFilter } from './unroutable/unroutable-event';
export { UnroutableEvents } from './unroutable/unroutable-events';
export { MessagingModule } from './messaging.module';
export { SendMessageCommand } from './operator/send-message.command';
export { OutboxRepository } from './outbox/outbox.repository';
export type { OutboxBacklog } from './outbox/outbox.repository';
export { ConversationEntity } from './persistence/conversation.entity';
export { MentionEntity } from './persistence/mention.entity';
export { MessageEntity } from './persistence/message.entity';
export { UnroutableEventEntity } from './persistence/unroutable-event.entity';
export { WebhookDeliveryEntity } from './persistence/webhook-delivery.entity';
