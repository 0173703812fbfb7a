import { randomBytes } from 'node:crypto';

const PREFIX = 'whsec_';
const SECRET_BYTES = 24;

/** A signing secret as Standard Webhooks writes it: `whsec_` and the base64 of 24 random bytes. */
export function newEndpointSecret(): string {
  return `${PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}
