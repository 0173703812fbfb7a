import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError } from '@common';

/** Flattens class-validator's tree into one message per field (`items[0].title`). */
export function fieldMessages(errors: ValidationError[], prefix = ''): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const messages = Object.values(error.constraints ?? {});
    if (messages.length > 0) fields[path] = messages[0];
    Object.assign(fields, fieldMessages(error.children ?? [], path));
  }
  return fields;
}

/**
 * Request validation for the admin API: unknown fields are refused rather
 * than silently dropped, and failures become one `validation_failed` error
 * listing one message per field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => {
      const fields = fieldMessages(errors);
      return new DomainError('validation_failed', Object.values(fields).join('; ') || 'invalid request', fields);
    },
  });
}
