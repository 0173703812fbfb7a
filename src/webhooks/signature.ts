import { createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE_PATTERN = /^sha256=([0-9a-f]{64})$/;

/** The HMAC that `X-Hub-Signature-256: sha256=<lowercase hex>` carries; null when the header is not one. */
export function signatureDigest(header: string | string[] | undefined): Buffer | null {
  if (typeof header !== 'string') return null;
  const match = SIGNATURE_PATTERN.exec(header);
  return match ? Buffer.from(match[1], 'hex') : null;
}

/**
 * Whether `digest` is the HMAC-SHA256 of the exact bytes received keyed with
 * `appSecret`. Meta signs its own serialisation (non-ASCII as \uXXXX
 * escapes), so the raw body, never re-serialised JSON, is what must be
 * hashed. The comparison takes the same time wherever the first difference is.
 */
export function isSignedWith(rawBody: Buffer, digest: Buffer, appSecret: string): boolean {
  return timingSafeEqual(createHmac('sha256', appSecret).update(rawBody).digest(), digest);
}

/** Checks Meta's `X-Hub-Signature-256` header against one app secret. */
export function isValidSignature(rawBody: Buffer, header: string | string[] | undefined, appSecret: string): boolean {
  const digest = signatureDigest(header);
  return digest !== null && isSignedWith(rawBody, digest, appSecret);
}
