import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CiphertextIntegrityError } from '@crypto';
import { DomainError, type ErrorCode } from '@common';
import { isDatabaseUnavailable } from '@database';

export const ERROR_STATUS: Record<ErrorCode, HttpStatus> = {
  validation_failed: HttpStatus.BAD_REQUEST,
  unauthorized: HttpStatus.UNAUTHORIZED,
  account_not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  token_rejected: HttpStatus.UNPROCESSABLE_ENTITY,
  graph_api_unavailable: HttpStatus.BAD_GATEWAY,
  database_unavailable: HttpStatus.SERVICE_UNAVAILABLE,
  credentials_unreadable: HttpStatus.INTERNAL_SERVER_ERROR,
  webhook_verification_failed: HttpStatus.FORBIDDEN,
  signature_invalid: HttpStatus.FORBIDDEN,
  webhook_payload_invalid: HttpStatus.BAD_REQUEST,
  too_many_requests: HttpStatus.TOO_MANY_REQUESTS,
  graph_api_rejected: HttpStatus.UNPROCESSABLE_ENTITY,
  account_inactive: HttpStatus.CONFLICT,
  rule_not_found: HttpStatus.NOT_FOUND,
  conversation_not_found: HttpStatus.NOT_FOUND,
  message_not_found: HttpStatus.NOT_FOUND,
  template_not_found: HttpStatus.NOT_FOUND,
  recipient_not_found: HttpStatus.UNPROCESSABLE_ENTITY,
  outside_messaging_window: HttpStatus.UNPROCESSABLE_ENTITY,
  intake_overloaded: HttpStatus.SERVICE_UNAVAILABLE,
  event_endpoint_not_found: HttpStatus.NOT_FOUND,
  event_delivery_not_found: HttpStatus.NOT_FOUND,
  event_delivery_not_failed: HttpStatus.CONFLICT,
  backfill_in_progress: HttpStatus.CONFLICT,
  backfill_job_not_found: HttpStatus.NOT_FOUND,
};

/** Seconds a client should wait before trying again, for the errors that say so. */
const RETRY_AFTER_SECONDS: Partial<Record<ErrorCode, number>> = { intake_overloaded: 1 };

/** The `Retry-After` an error's answer carries, if any. */
export function retryAfterOf(exception: unknown): number | undefined {
  return exception instanceof DomainError ? RETRY_AFTER_SECONDS[exception.code] : undefined;
}

/** Codes for errors raised by the framework itself (routing, body parsing), and for errors nobody foresaw. */
export const FRAMEWORK_ERROR_STATUS = {
  bad_request: HttpStatus.BAD_REQUEST,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  payload_too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  unsupported_media_type: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  service_unavailable: HttpStatus.SERVICE_UNAVAILABLE,
  internal_error: HttpStatus.INTERNAL_SERVER_ERROR,
} as const;

export type FrameworkErrorCode = keyof typeof FRAMEWORK_ERROR_STATUS;

/** Every `error` an answer can carry. */
export type AnyErrorCode = ErrorCode | FrameworkErrorCode;

export function statusOfErrorCode(code: AnyErrorCode): number {
  return code in FRAMEWORK_ERROR_STATUS
    ? FRAMEWORK_ERROR_STATUS[code as FrameworkErrorCode]
    : ERROR_STATUS[code as ErrorCode];
}

/** The code of a framework error, by its HTTP status (a guard's 401 and 429 are the admin API's own). */
const HTTP_STATUS_CODE: Partial<Record<number, string>> = {
  ...Object.fromEntries(Object.entries(FRAMEWORK_ERROR_STATUS).map(([code, status]) => [status, code])),
  401: 'unauthorized',
  429: 'too_many_requests',
};

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  requestId: string;
  fields?: Record<string, string>;
}

/** The JSON error answer for any error, in the one shape every route uses. */
export function errorBodyOf(exception: unknown, requestId: string): ErrorBody {
  if (exception instanceof DomainError) {
    return {
      statusCode: ERROR_STATUS[exception.code],
      error: exception.code,
      message: exception.message,
      requestId,
      ...(exception.fields ? { fields: exception.fields } : {}),
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const answer = exception.getResponse();
    const message =
      typeof answer === 'string' ? answer : String((answer as { message?: unknown }).message ?? exception.message);
    return { statusCode: status, error: HTTP_STATUS_CODE[status] ?? 'http_error', message, requestId };
  }
  if (exception instanceof CiphertextIntegrityError) {
    return errorBodyOf(
      new DomainError('credentials_unreadable', 'stored credentials of this account cannot be decrypted'),
      requestId,
    );
  }
  if (isDatabaseUnavailable(exception)) {
    return errorBodyOf(new DomainError('database_unavailable', 'the database is unavailable; try again'), requestId);
  }
  const { status, type } = (exception ?? {}) as { status?: unknown; type?: unknown };
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // body-parser errors (too large, malformed) carry an HTTP status of their own.
    const message =
      status === 413
        ? 'request body is too large'
        : status === 415
          ? 'the request body’s charset or content encoding is not supported'
          : type === 'entity.parse.failed'
            ? 'request body is not valid JSON'
            : 'request body rejected';
    return { statusCode: status, error: HTTP_STATUS_CODE[status] ?? 'bad_request', message, requestId };
  }
  return { statusCode: 500, error: 'internal_error', message: 'internal error', requestId };
}

/**
 * The one place errors become HTTP answers, all in one JSON shape. Unknown
 * errors become a 500 that carries the request id and are logged once; their
 * message never reaches the client.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: string | number }>();
    const response = http.getResponse<Response>();
    const body = errorBodyOf(exception, String(request.id ?? ''));
    // An overloaded intake answers many 503s at once, each counted: one line each would add to the load.
    if (body.statusCode >= 500 && body.error !== 'intake_overloaded') {
      this.logger.error({ err: exception, requestId: body.requestId }, `request failed: ${body.error}`);
    }
    if (response.headersSent) return;
    const retryAfter = retryAfterOf(exception);
    if (retryAfter !== undefined) response.setHeader('Retry-After', String(retryAfter));
    // A route may have declared another content type for its success answer (webhooks answer text/plain).
    response.status(body.statusCode).type('application/json').json(body);
  }
}
