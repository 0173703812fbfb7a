// What other modules may use of `http`; everything else in the folder is its own.
export {
  ADMIN_BEARER_SCHEME,
  AdminApi,
  ApiErrors,
  ApiPathIds,
  ERROR_CODES_EXTENSION,
} from './admin-api/admin-api.decorator';
export { AdminApiModule } from './admin-api/admin-api.module';
export { ErrorResponseDto } from './admin-api/error-response.dto';
export { HttpErrorFilter, errorBodyOf, retryAfterOf, statusOfErrorCode } from './http-error.filter';
export type { AnyErrorCode } from './http-error.filter';
export { applyHttpSecurity } from './http-security';
export { JSON_BODY_METHODS, assertUtf8JsonBody, refuseUnsafeJsonBodies } from './json-body-guard';
export { NextCursorProperty, PageQueryDto } from './page-query.dto';
export { createValidationPipe, fieldMessages } from './validation';
export { presence } from './validators/presence';
export { FitsJsonTextColumn } from './validators/stored-json-size';
export { CodePointLength, Utf8ByteLength, codePointLength } from './validators/text-length';
