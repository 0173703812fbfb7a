import type { AnyErrorCode } from '@http';

interface ErrorEntry {
  /** When an answer carries this code: the document's description of it. */
  meaning: string;
  /** A `message` such an answer may carry, for the document's example. */
  example: string;
}

/**
 * What each error code means, as the OpenAPI document explains it. A record
 * over every code, so a new code does not compile until it is described.
 */
export const ERROR_CATALOGUE: Record<AnyErrorCode, ErrorEntry> = {
  validation_failed: {
    meaning: 'the request is invalid; `fields` has one message per invalid field',
    example: 'name is required',
  },
  bad_request: {
    meaning: 'the request cannot be read: a body that is not JSON, or a malformed percent-escape in the path',
    example: 'request body is not valid JSON',
  },
  unauthorized: {
    meaning: 'missing or wrong `Authorization: Bearer $ADMIN_API_TOKEN`',
    example: 'missing or invalid admin token (Authorization: Bearer <ADMIN_API_TOKEN>)',
  },
  too_many_requests: {
    meaning: 'too many failed authentication attempts from this address; try again after `Retry-After` seconds',
    example: 'too many failed authentication attempts; try again later',
  },
  payload_too_large: { meaning: 'the body is larger than 256 KiB', example: 'request body is too large' },
  unsupported_media_type: {
    meaning: 'the body’s charset or content encoding is not supported (send UTF-8 JSON)',
    example: 'the request body’s charset or content encoding is not supported',
  },
  internal_error: {
    meaning: 'an unexpected failure; it is logged with the request id',
    example: 'internal error',
  },
  intake_overloaded: {
    meaning:
      'a webhook delivery could not be stored in time (the intake is over its limits); retry after `Retry-After`',
    example: 'the webhook intake is overloaded: it waited too long to be written; retry shortly',
  },
  database_unavailable: {
    meaning: 'the database cannot be reached; try again',
    example: 'the database is unavailable; try again',
  },
  account_not_found: { meaning: 'no account has this id', example: 'account not found' },
  rule_not_found: { meaning: 'the account has no rule with this id', example: 'rule not found in this account' },
  template_not_found: {
    meaning: 'the account has no template with this id or name',
    example: 'template not found in this account',
  },
  conversation_not_found: {
    meaning: 'the account has no conversation with this id',
    example: 'conversation not found in this account',
  },
  message_not_found: {
    meaning: 'the account has no message with this id',
    example: 'message not found in this account',
  },
  conflict: {
    meaning: 'another record already holds a value that must be unique (`fields` names it)',
    example: 'an account with this username already exists',
  },
  account_inactive: {
    meaning: 'the account is deactivated; reactivate it with `PUT` `isActive: true` first',
    example: 'the account is deactivated; reactivate it (PUT isActive: true) first',
  },
  token_rejected: {
    meaning: 'Meta rejected the access token, or it belongs to another Instagram user',
    example: 'Meta rejected the access token: Error validating access token',
  },
  graph_api_rejected: {
    meaning: 'Meta refused the request for another reason',
    example: 'Meta refused: Unsupported request',
  },
  graph_api_unavailable: {
    meaning: 'Meta could not be reached or failed; try again',
    example: 'Meta could not answer; try again: timeout',
  },
  credentials_unreadable: {
    meaning: 'the account’s stored credentials cannot be decrypted with the configured keys',
    example: 'stored credentials of this account cannot be decrypted',
  },
  recipient_not_found: {
    meaning: 'no one with this username has messaged the account',
    example: 'no one called @someone has messaged this account',
  },
  outside_messaging_window: {
    meaning: 'Meta would refuse it: outside the messaging window (24 hours, or 7 days with `HUMAN_AGENT`)',
    example: 'not sent: outside the 24-hour messaging window',
  },
  event_endpoint_not_found: { meaning: 'no event endpoint has this id', example: 'event endpoint not found' },
  event_delivery_not_found: {
    meaning: 'the event endpoint has no delivery with this id',
    example: 'event delivery not found for this endpoint',
  },
  event_delivery_not_failed: {
    meaning: 'only a failed delivery can be retried; this one is pending or delivered',
    example: 'the delivery is pending, not failed: it is still being tried',
  },
  backfill_in_progress: {
    meaning: 'the account has a backfill job queued or running; one runs at a time',
    example: 'a backfill of this account is already running (job 019ac4a2-9c32-7f40-8b5d-3e4f5a6b7c8d)',
  },
  backfill_job_not_found: {
    meaning: 'the account has no backfill job with this id',
    example: 'backfill job not found in this account',
  },
  // Codes of routes outside the admin API, listed so that every code is described.
  webhook_verification_failed: { meaning: 'wrong verify token', example: 'verify token mismatch' },
  signature_invalid: { meaning: 'wrong webhook signature', example: 'signature does not match' },
  webhook_payload_invalid: { meaning: 'not a webhook delivery', example: 'not JSON' },
  forbidden: { meaning: 'refused', example: 'forbidden' },
  not_found: { meaning: 'no such route', example: 'not found' },
  service_unavailable: { meaning: 'not ready; try again', example: 'service unavailable' },
};
