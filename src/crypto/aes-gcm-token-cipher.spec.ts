import { randomBytes } from 'node:crypto';
import { AesGcmTokenCipher } from './aes-gcm-token-cipher';
import { CiphertextIntegrityError } from './token-cipher';

const CONTEXT = 'account:1:accessToken';

function tamperPart(ciphertext: string, index: number): string {
  const parts = ciphertext.split('.');
  const bytes = Buffer.from(parts[index], 'base64url');
  if (bytes.length === 0) {
    parts[index] = 'AA';
  } else {
    bytes[0] ^= 0x01;
    parts[index] = bytes.toString('base64url');
  }
  return parts.join('.');
}

describe('AesGcmTokenCipher', () => {
  const key = randomBytes(32);
  const cipher = new AesGcmTokenCipher(key);

  it('round-trips and uses a fresh IV each time', () => {
    const a = cipher.encrypt('IGAAT-secret-token', CONTEXT);
    const b = cipher.encrypt('IGAAT-secret-token', CONTEXT);
    expect(a).not.toBe(b);
    expect(a).not.toContain('IGAAT');
    expect(cipher.decrypt(a, CONTEXT)).toBe('IGAAT-secret-token');
    expect(cipher.decrypt(b, CONTEXT)).toBe('IGAAT-secret-token');
  });

  it('carries a format version and the id of the key that made it', () => {
    const [version, keyId] = cipher.encrypt('x', CONTEXT).split('.');
    expect(version).toBe('v1');
    expect(keyId).toMatch(/^[0-9a-f]{12}$/);
    expect(cipher.encrypt('y', CONTEXT).split('.')[1]).toBe(keyId);
  });

  it.each(['', 'plain', 'ünïcødé ✓ 日本語 🔐', 'x'.repeat(10_000)])('round-trips %j', (plaintext) => {
    expect(cipher.decrypt(cipher.encrypt(plaintext, CONTEXT), CONTEXT)).toBe(plaintext);
  });

  it.each([
    [2, 'IV'],
    [3, 'tag'],
    [4, 'ciphertext'],
  ])('rejects tampering with the %s part (%s)', (index) => {
    const ciphertext = cipher.encrypt('secret', CONTEXT);
    expect(() => cipher.decrypt(tamperPart(ciphertext, index), CONTEXT)).toThrow(CiphertextIntegrityError);
  });

  it('rejects a changed version or key id', () => {
    const parts = cipher.encrypt('secret', CONTEXT).split('.');
    expect(() => cipher.decrypt(['v2', ...parts.slice(1)].join('.'), CONTEXT)).toThrow(CiphertextIntegrityError);
    expect(() => cipher.decrypt([parts[0], '000000000000', ...parts.slice(2)].join('.'), CONTEXT)).toThrow(
      CiphertextIntegrityError,
    );
  });

  it('rejects a ciphertext moved to another context', () => {
    const ciphertext = cipher.encrypt('secret', CONTEXT);
    expect(() => cipher.decrypt(ciphertext, 'account:2:accessToken')).toThrow(CiphertextIntegrityError);
  });

  it('rejects a ciphertext of a foreign key and anything that is not a ciphertext', () => {
    const foreign = new AesGcmTokenCipher(randomBytes(32)).encrypt('secret', CONTEXT);
    expect(() => cipher.decrypt(foreign, CONTEXT)).toThrow(CiphertextIntegrityError);
    expect(() => cipher.decrypt('plaintext-token', CONTEXT)).toThrow(CiphertextIntegrityError);
    expect(() => cipher.decrypt('', CONTEXT)).toThrow(CiphertextIntegrityError);
  });

  it('decrypts with a previous key and reports which ciphertexts need rotating', () => {
    const oldCipher = new AesGcmTokenCipher(key);
    const old = oldCipher.encrypt('secret', CONTEXT);
    const rotated = new AesGcmTokenCipher(randomBytes(32), [key]);
    expect(rotated.decrypt(old, CONTEXT)).toBe('secret');
    expect(rotated.isFromPreviousKey(old)).toBe(true);
    const fresh = rotated.encrypt('secret', CONTEXT);
    expect(rotated.isFromPreviousKey(fresh)).toBe(false);
    expect(() => oldCipher.decrypt(fresh, CONTEXT)).toThrow(CiphertextIntegrityError);
  });

  it('never puts the plaintext or the key in an error message', () => {
    const ciphertext = cipher.encrypt('top-secret-value', CONTEXT);
    try {
      cipher.decrypt(tamperPart(ciphertext, 4), CONTEXT);
      throw new Error('expected a failure');
    } catch (error) {
      expect(String(error)).not.toContain('top-secret-value');
      expect(String(error)).not.toContain(key.toString('base64'));
    }
  });
});
