// What other modules may use of `graph-api`; everything else in the folder is its own.
export {
  COMMENT_WEBHOOK_FIELDS,
  GraphApi,
  LOGIN_TYPES,
  MEDIA_TYPES,
  REACTIONS,
  SENDER_ACTIONS,
  SLOW_MEDIA_TYPES,
  STICKERS,
  WEBHOOK_FIELDS,
} from './graph-api';
export type {
  ConversationMessage,
  ConversationMessageRef,
  ConversationPage,
  ConversationSummary,
  GraphAccess,
  LoginType,
  MediaType,
  Reaction,
  SendApiRequest,
  SenderAction,
  Sticker,
} from './graph-api';
export { GraphApiError, isMediaFailure } from './graph-api-error';
export type { GraphErrorKind } from './graph-api-error';
export { refusal } from './graph-refusal';
export { GraphApiModule } from './graph-api.module';
