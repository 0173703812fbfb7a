import { DomainError } from '@common';
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
  if (!(error instanceof DomainError)) return 'error';
  switch (error.code) {
    case 'signature_invalid':
      return 'bad_signature';
    case 'account_not_found':
      return 'unknown_account';
    case 'webhook_payload_invalid':
      return 'invalid_payload';
    case 'intake_overloaded':
      return 'overloaded';
    default:
      return 'error';
  }
}
