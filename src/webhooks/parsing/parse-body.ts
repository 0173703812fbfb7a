import type { ParsedDelivery } from '@messaging';
import { parseWebhookPayload } from './parse-webhook-payload';
import { WebhookPayloadError } from './webhook-payload.error';

/** A delivery's exact bytes, parsed. @throws WebhookPayloadError when they are not a webhook delivery. */
export function parseBody(rawBody: Buffer): ParsedDelivery {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new WebhookPayloadError('the body is not valid JSON');
  }
  return parseWebhookPayload(body);
}
