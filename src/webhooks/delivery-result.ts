import { DomainError, type ErrorCode } from '@common';
import type { WebhookDeliveryResult } from '@metrics';
import type { IntakeSummary } from '@messaging';

/**
 * A stored delivery in one word. An unroutable entry outweighs the rest,
 * being what an operator must look at; a delivery that brought nothing new
 * is a duplicate (Meta redelivers).
 */
export function storedDeliveryResult(summary: IntakeSummary): WebhookDeliveryResult {
  if (summary.unroutable > 0) return 'unroutable';
  if (summary.stored === 0 && summary.duplicates > 0) return 'duplicate';
  return 'accepted';
}

/** A refused or failed delivery in one word; `error` is everything Meta will retry (5xx). */
export function failedDeliveryResult(error: unknown): WebhookDeliveryResult {
  return error instanceof DomainError ? RESULT_OF[error.code] : 'error';
}

/**
 * The label of a delivery refused or failed with each code: one entry per
 * code, so a new code does not compile until it says what Meta's delivery
 * became. The refusals are the routes' own; every other failure is an
 * `error` (a 5xx that Meta retries).
 */
const RESULT_OF: Record<ErrorCode, WebhookDeliveryResult> = {
  validation_failed: 'error',
  unauthorized: 'error',
  account_not_found: 'unknown_account',
  conflict: 'error',
  token_rejected: 'error',
  graph_api_unavailable: 'error',
  database_unavailable: 'error',
  credentials_unreadable: 'error',
  webhook_verification_failed: 'error',
  signature_invalid: 'bad_signature',
  webhook_payload_invalid: 'invalid_payload',
  too_many_requests: 'error',
  graph_api_rejected: 'error',
  account_inactive: 'error',
  rule_not_found: 'error',
  conversation_not_found: 'error',
  message_not_found: 'error',
  template_not_found: 'error',
  recipient_not_found: 'error',
  outside_messaging_window: 'error',
  intake_overloaded: 'overloaded',
  event_endpoint_not_found: 'error',
  event_delivery_not_found: 'error',
  event_delivery_not_failed: 'error',
  backfill_in_progress: 'error',
  backfill_job_not_found: 'error',
};
