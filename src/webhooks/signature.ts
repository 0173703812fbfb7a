import { createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE_PATTERN = /^sha256=([0-9a-f]{64})$/;

/**
 * Checks Meta's `X-Hub-Signature-256: sha256=<lowercase hex>` against an
 * HMAC-SHA256 of the exact bytes received. Meta signs its own serialisation
 * (non-ASCII as \uXXXX escapes), so the raw body, never re-serialised JSON,
 * is what must be hashed. The comparison takes the same time wherever the
 * first difference is.
 */
export function isValidSignature(rawBody: Buffer, header: string | string[] | undefined, appSecret: string): boolean {
  if (typeof header !== 'string') return false;
  const match = SIGNATURE_PATTERN.exec(header);
  if (!match) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(match[1], 'hex'));
}

export function signBody(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}
