import { CiphertextIntegrityError, type TokenCipher } from '@crypto';
import type { EventEndpointEntity } from './event-endpoint.entity';

type SecretField = 'secret' | 'previousSecret';

/** The context each secret is encrypted under: a ciphertext moved to another endpoint or field does not decrypt. */
const contextOf = (endpointId: string, field: SecretField) => `event-endpoint:${endpointId}:${field}`;

export function sealSecret(cipher: TokenCipher, endpointId: string, field: SecretField, secret: string): string {
  return cipher.encrypt(secret, contextOf(endpointId, field));
}

export function openSecret(cipher: TokenCipher, endpointId: string, field: SecretField, ciphertext: string): string {
  return cipher.decrypt(ciphertext, contextOf(endpointId, field));
}

type SecretColumns = Pick<
  EventEndpointEntity,
  'id' | 'secretCiphertext' | 'previousSecretCiphertext' | 'previousSecretExpiresAt'
>;

/** The secrets that sign now: the current one, and the previous one until its overlap ends; null if one does not decrypt. */
export function signingSecrets(cipher: TokenCipher, row: SecretColumns, now: Date): string[] | null {
  try {
    const secrets = [openSecret(cipher, row.id, 'secret', row.secretCiphertext)];
    const previousValid = row.previousSecretExpiresAt !== null && row.previousSecretExpiresAt.getTime() > now.getTime();
    if (row.previousSecretCiphertext !== null && previousValid) {
      secrets.push(openSecret(cipher, row.id, 'previousSecret', row.previousSecretCiphertext));
    }
    return secrets;
  } catch (error) {
    if (error instanceof CiphertextIntegrityError) return null;
    throw error;
  }
}
