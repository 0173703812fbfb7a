import { isUtf8 } from 'node:buffer';
import { WebhookPayloadError } from './webhook-payload.error';

/**
 * JSON is exchanged as UTF-8 (RFC 8259), and Meta sends plain ASCII with
 * `\uXXXX` escapes. Other bytes would be decoded with replacement characters,
 * so the journal and the stored text would no longer be what was sent:
 * such a body is not JSON and is refused.
 */
export function assertUtf8Body(body: Buffer): void {
  if (!isUtf8(body)) throw new WebhookPayloadError('the body is not valid UTF-8');
}
