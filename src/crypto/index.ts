// What other modules may use of `crypto`; everything else in the folder is its own.
export { CryptoModule } from './crypto.module';
export { CiphertextIntegrityError, TokenCipher } from './token-cipher';
