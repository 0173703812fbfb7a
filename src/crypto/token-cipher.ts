/**
 * Encrypts the credentials stored in the database. `context` names what the
 * plaintext is (for example `account:<id>:accessToken`); it is authenticated
 * with the ciphertext, so a ciphertext copied to another row or field does not
 * decrypt there.
 */
export abstract class TokenCipher {
  abstract encrypt(plaintext: string, context: string): string;

  /** @throws CiphertextIntegrityError when the ciphertext is tampered, foreign or made by an unknown key. */
  abstract decrypt(ciphertext: string, context: string): string;

  /** True when the ciphertext was made by a key other than the current one (and so needs rotating). */
  abstract isFromPreviousKey(ciphertext: string): boolean;
}

/** A ciphertext that fails its integrity check; an error for that record, never a crash of the service. */
export class CiphertextIntegrityError extends Error {
  constructor(reason: string) {
    super(`stored credential cannot be decrypted: ${reason}`);
    this.name = 'CiphertextIntegrityError';
  }
}
