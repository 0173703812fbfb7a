import { Injectable } from '@nestjs/common';

/** What re-encrypting one kind of record did. */
export interface KeyRotationReport {
  rotated: number;
  alreadyCurrent: number;
  /** Records whose ciphertexts fail their integrity check (or were made by an unknown key), by id. */
  unreadable: string[];
}

/** Records that hold ciphertexts: each module that stores credentials registers its own. */
export interface EncryptedRecords {
  /** What a record is, singular and plural (`account`, `accounts`), for the operator's report. */
  readonly noun: readonly [string, string];
  /** Re-encrypts with APP_SECRET_KEY what a previous key made; idempotent; an unreadable record is reported and skipped. */
  rotateAll(): Promise<KeyRotationReport>;
}

/**
 * Every kind of record that holds ciphertexts, so that `rotate-keys`
 * re-encrypts them all without knowing the modules that own them. A module
 * registers its records when it starts.
 */
@Injectable()
export class KeyRotation {
  private readonly records: EncryptedRecords[] = [];

  register(records: EncryptedRecords): void {
    this.records.push(records);
  }

  /** In the order they registered (a module before those built on it). */
  registered(): readonly EncryptedRecords[] {
    return this.records;
  }
}
