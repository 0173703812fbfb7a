/**
 * Stable error codes of the product. Services throw DomainError with one of
 * these; the HTTP edge maps each to a status in one exhaustive table
 * (`ERROR_STATUS` in http-error.filter.ts), so a new code without a status
 * does not compile.
 */
export type ErrorCode =
  | 'validation_failed'
  | 'unauthorized'
  | 'account_not_found'
  | 'conflict'
  | 'token_rejected'
  | 'graph_api_unavailable'
  | 'database_unavailable'
  | 'credentials_unreadable'
  | 'webhook_verification_failed'
  | 'signature_invalid'
  | 'webhook_payload_invalid'
  | 'too_many_requests'
  | 'graph_api_rejected'
  | 'account_inactive'
  | 'rule_not_found'
  | 'conversation_not_found'
  | 'message_not_found'
  | 'template_not_found'
  | 'recipient_not_found'
  | 'outside_messaging_window'
  | 'intake_overloaded'
  | 'event_endpoint_not_found'
  | 'event_delivery_not_found'
  | 'event_delivery_not_failed'
  | 'backfill_in_progress'
  | 'backfill_job_not_found';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Per-field messages, for validation failures. */
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
