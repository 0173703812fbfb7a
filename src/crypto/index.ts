// What other modules may use of `crypto`; everything else in the folder is its own.
export { CryptoModule } from './crypto.module';
export { KeyRotation } from './key-rotation';
export type { EncryptedRecords, KeyRotationReport } from './key-rotation';
export { CiphertextIntegrityError, TokenCipher } from './token-cipher';
