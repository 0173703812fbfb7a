import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiParam } from '@nestjs/swagger';
import type { ErrorCode } from '@common';
import { AdminAuthGuard } from './admin-auth.guard';

/** The security scheme of the admin token in the OpenAPI document. */
export const ADMIN_BEARER_SCHEME = 'admin-token';

/** Where `ApiErrors` keeps a route's codes until the document's conventions turn them into responses. */
export const ERROR_CODES_EXTENSION = 'x-error-codes';

/**
 * Documents the error codes a route answers because of what it does (a
 * missing rule, a refused token), each under its status. The codes every
 * route of its kind shares (authentication, the body parser, the database)
 * are added by the document's conventions (src/openapi/api-conventions.ts).
 */
export function ApiErrors(...codes: ErrorCode[]): MethodDecorator {
  return ApiExtension(ERROR_CODES_EXTENSION, codes);
}

/**
 * Puts a controller (or one route) behind the admin token, and says so in
 * the OpenAPI document. The controller's module must import `AdminApiModule`.
 */
export function AdminApi(): MethodDecorator & ClassDecorator {
  return applyDecorators(UseGuards(AdminAuthGuard), ApiBearerAuth(ADMIN_BEARER_SCHEME));
}

/** The ids a path can name, and what each is. Every id is a UUID (v7) the service made. */
const PATH_IDS = {
  accountId: 'the account’s id',
  ruleId: 'the rule’s id (a rule of this account)',
  templateId: 'the template’s id (a template of this account)',
  conversationId: 'the conversation’s id (a conversation of this account)',
  messageId: 'the message’s id (a message of this account)',
  endpointId: 'the event endpoint’s id',
  deliveryId: 'the delivery’s id (a delivery of this endpoint)',
  jobId: 'the backfill job’s id (a job of this account)',
} as const;

/** Documents the ids in a route's path; an id that is malformed or not under the account is a 404. */
export function ApiPathIds(...names: Array<keyof typeof PATH_IDS>): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...names.map((name) =>
      ApiParam({
        name,
        description: PATH_IDS[name],
        schema: { type: 'string', format: 'uuid' },
        example: '019ac4a2-6f1e-7c3a-9d2b-3f4e5a6b7c8d',
      }),
    ),
  );
}
