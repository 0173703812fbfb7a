import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { CiphertextIntegrityError, TokenCipher } from './token-cipher';

const FORMAT_VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

interface Key {
  id: string;
  material: Buffer;
}

/** The key id is a short fingerprint: it names the key in each ciphertext without revealing it. */
export function keyIdOf(material: Buffer): string {
  return createHash('sha256').update('instagram-dm-gateway key id').update(material).digest('hex').slice(0, 12);
}

/**
 * AES-256-GCM with a random 96-bit IV per encryption. Format:
 * `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts). The version, key id
 * and context are authenticated as additional data.
 */
export class AesGcmTokenCipher extends TokenCipher {
  private readonly current: Key;
  private readonly byId: Map<string, Key>;

  constructor(currentKey: Buffer, previousKeys: Buffer[] = []) {
    super();
    const toKey = (material: Buffer): Key => {
      if (material.length !== 32) throw new Error('AES-256-GCM keys are 32 bytes');
      return { id: keyIdOf(material), material };
    };
    this.current = toKey(currentKey);
    this.byId = new Map([...previousKeys.map(toKey), this.current].map((key) => [key.id, key]));
  }

  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.material, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(this.additionalData(this.current.id, context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT_VERSION, this.current.id, iv, cipher.getAuthTag(), body]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  decrypt(ciphertext: string, context: string): string {
    const parts = ciphertext.split('.');
    if (parts.length !== 5) throw new CiphertextIntegrityError('not a ciphertext of this service');
    const [version, keyId, ivText, tagText, bodyText] = parts;
    if (version !== FORMAT_VERSION) throw new CiphertextIntegrityError(`unknown format version "${version}"`);
    const key = this.byId.get(keyId);
    if (!key)
      throw new CiphertextIntegrityError(`made by key ${keyId}, which is neither the current nor a previous key`);
    const iv = Buffer.from(ivText, 'base64url');
    const tag = Buffer.from(tagText, 'base64url');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new CiphertextIntegrityError('malformed');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.material, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(this.additionalData(keyId, context));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(bodyText, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new CiphertextIntegrityError('integrity check failed');
    }
  }

  isFromPreviousKey(ciphertext: string): boolean {
    return ciphertext.split('.')[1] !== this.current.id;
  }

  private additionalData(keyId: string, context: string): Buffer {
    return Buffer.from(`${FORMAT_VERSION}.${keyId}.${context}`, 'utf8');
  }
}
