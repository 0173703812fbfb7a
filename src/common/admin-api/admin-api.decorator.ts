import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import { ADMIN_BEARER_SCHEME } from '../../configure-app';
import { AdminAuthGuard } from './admin-auth.guard';
import { ErrorResponseDto } from './error-response.dto';

const ERROR_DESCRIPTIONS = {
  400: 'invalid request: `fields` has one message per invalid field',
  401: 'missing or wrong `Authorization: Bearer $ADMIN_API_TOKEN`',
  404: 'no such resource (or not under this account)',
  409: 'conflicts with the current state (e.g. a value another record already holds)',
  422: 'refused: Meta rejected the token or the request',
  429: 'too many failed authentication attempts from this address; see Retry-After',
  502: 'Meta could not be reached or failed; try again',
} as const;

export type ApiErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

/** Documents the error answers a route can give, all in the one error shape. */
export function ApiErrorResponses(...statuses: ApiErrorStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: ERROR_DESCRIPTIONS[status], type: ErrorResponseDto }),
    ),
  );
}

/**
 * Puts a controller (or one route) behind the admin token, and says so in
 * Swagger. The controller's module must import `AdminApiModule`.
 */
export function AdminApi(): MethodDecorator & ClassDecorator {
  return applyDecorators(UseGuards(AdminAuthGuard), ApiBearerAuth(ADMIN_BEARER_SCHEME), ApiErrorResponses(401, 429));
}
