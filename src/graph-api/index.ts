// What other modules may use of `graph-api`; everything else in the folder is its own.
export { COMMENT_WEBHOOK_FIELDS, GraphApi, LOGIN_TYPES, WEBHOOK_FIELDS } from './graph-api';
export type { GraphAccess, LoginType, SendApiRequest } from './graph-api';
export { GraphApiError } from './graph-api-error';
export type { GraphErrorKind } from './graph-api-error';
export { GraphApiModule } from './graph-api.module';
