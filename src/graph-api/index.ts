// What other modules may use of `graph-api`; everything else in the folder is its own.
export { GraphApi, LOGIN_TYPES } from './graph-api';
export type {
  ConversationMessage,
  ConversationMessageRef,
  ConversationPage,
  ConversationSummary,
  GraphAccess,
  LoginType,
  SendApiRequest,
} from './graph-api';
export { GraphApiError } from './graph-api-error';
export type { GraphErrorKind } from './graph-api-error';
export { GraphApiModule } from './graph-api.module';
