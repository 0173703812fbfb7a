import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CiphertextIntegrityError, type EncryptedRecords, KeyRotation, type KeyRotationReport } from '@crypto';
import { AccountRepository } from './account.repository';

/**
 * Re-encrypts every account's credentials with `APP_SECRET_KEY` after a key
 * change. Idempotent; an unreadable account is reported and skipped, never
 * stops the others.
 */
@Injectable()
export class CredentialRotationService implements EncryptedRecords, OnModuleInit {
  readonly noun = ['account', 'accounts'] as const;

  constructor(
    private readonly accounts: AccountRepository,
    private readonly keyRotation: KeyRotation,
  ) {}

  onModuleInit(): void {
    this.keyRotation.register(this);
  }

  async rotateAll(): Promise<KeyRotationReport> {
    const report: KeyRotationReport = { rotated: 0, alreadyCurrent: 0, unreadable: [] };
    for (const account of await this.accounts.getAllAccounts()) {
      try {
        if (await this.accounts.rotateCredentials(account.id)) report.rotated += 1;
        else report.alreadyCurrent += 1;
      } catch (error) {
        if (!(error instanceof CiphertextIntegrityError)) throw error;
        report.unreadable.push(account.id);
      }
    }
    return report;
  }
}
