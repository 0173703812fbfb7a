import { Webhook } from 'standardwebhooks';

/** The headers that let a receiver check a delivery (Standard Webhooks: `webhook-id`, `-timestamp`, `-signature`). */
export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * Signs a delivery as the Standard Webhooks specification says, with its
 * maintained package: `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`
 * keyed with each secret's decoded bytes, several signatures space-separated
 * (a rotation's new and previous secrets). The timestamp is the attempt's,
 * so a receiver's replay window holds for retries too; the id is the
 * event's, the same on every retry.
 */
export function signedHeaders(eventId: string, at: Date, body: string, secrets: readonly string[]): SignedHeaders {
  const timestamp = new Date(Math.floor(at.getTime() / 1000) * 1000);
  return {
    'webhook-id': eventId,
    'webhook-timestamp': String(timestamp.getTime() / 1000),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(eventId, timestamp, body)).join(' '),
  };
}
