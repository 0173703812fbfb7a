import { Injectable } from '@nestjs/common';
import { CiphertextIntegrityError } from '@crypto';
import { AccountRepository } from './account.repository';

export interface RotationReport {
  rotated: number;
  alreadyCurrent: number;
  /** Accounts whose stored credentials fail their integrity check (or were made by an unknown key). */
  unreadable: string[];
}

/**
 * Re-encrypts every account's credentials with `APP_SECRET_KEY` after a key
 * change. Idempotent; an unreadable account is reported and skipped, never
 * stops the others.
 */
@Injectable()
export class CredentialRotationService {
  constructor(private readonly accounts: AccountRepository) {}

  async rotateAll(): Promise<RotationReport> {
    const report: RotationReport = { rotated: 0, alreadyCurrent: 0, unreadable: [] };
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
