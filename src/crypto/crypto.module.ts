import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { decodeSecretKey, type Environment } from '@config';
import { AesGcmTokenCipher } from './aes-gcm-token-cipher';
import { KeyRotation } from './key-rotation';
import { TokenCipher } from './token-cipher';

const decode = (value: string): Buffer => {
  const key = decodeSecretKey(value);
  if (!key) throw new Error('a secret key is not 32 bytes (configuration validation should have refused it)');
  return key;
};

/** The cipher of every stored credential, and the records `rotate-keys` re-encrypts. */
@Module({
  providers: [
    KeyRotation,
    {
      provide: TokenCipher,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) =>
        new AesGcmTokenCipher(
          decode(config.get('APP_SECRET_KEY', { infer: true })),
          config.get('APP_SECRET_KEY_PREVIOUS', { infer: true }).map(decode),
        ),
    },
  ],
  exports: [TokenCipher, KeyRotation],
})
export class CryptoModule {}
