import { AccountEntity, MessengerProfileEntity } from '@accounts';
import { ContactEntity } from '@contacts';
import { EventDeliveryEntity, EventEndpointEntity } from '@events';
import {
  BackfillJobEntity,
  ConversationEntity,
  GraphApiPacingEntity,
  MentionEntity,
  MessageEntity,
  UnroutableEventEntity,
  WebhookDeliveryEntity,
} from '@messaging';
import { ResponseRuleEntity } from '@rules';
import { MessageTemplateEntity } from '@templates';

/**
 * Every module's TypeORM entities, for the one DataSource. Classes rather
 * than globs, so the same list serves jest (.ts), dist (.js) and the CLI.
 */
export const ENTITIES = [
  AccountEntity,
  ConversationEntity,
  ContactEntity,
  MessageEntity,
  MessageTemplateEntity,
  ResponseRuleEntity,
  WebhookDeliveryEntity,
  UnroutableEventEntity,
  EventEndpointEntity,
  EventDeliveryEntity,
  MessengerProfileEntity,
  BackfillJobEntity,
  GraphApiPacingEntity,
  MentionEntity,
];
