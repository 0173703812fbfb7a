import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AccountRepository } from '@accounts';

/**
 * At start, tries the configured keys on every stored credential. When none
 * decrypts, the key is almost certainly wrong (a typo, another environment's
 * secret, or the previous key left out of APP_SECRET_KEY_PREVIOUS during a
 * rotation): the replica could verify no webhook and send nothing, so it
 * says so at error level, before the first delivery fails. Accounts whose
 * credentials alone fail are named at warning level: a damaged row, not a key.
 */
@Injectable()
export class StoredCredentialsCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger(StoredCredentialsCheck.name);

  constructor(private readonly accounts: AccountRepository) {}

  async onApplicationBootstrap(): Promise<void> {
    let readability;
    try {
      readability = await this.accounts.credentialReadability();
    } catch (error) {
      // No schema yet (DB_RUN_MIGRATIONS=false before the Job ran), or no database: /health/ready tells.
      this.logger.warn({ err: error }, 'the stored credentials could not be checked at start');
      return;
    }
    const unreadable = readability.filter((account) => !account.readable).map((account) => account.accountId);
    if (unreadable.length === 0) return;
    if (unreadable.length === readability.length) {
      this.logger.error(
        `APP_SECRET_KEY decrypts none of the stored credentials (${readability.length} accounts): it is most ` +
          'likely the wrong key, or the key that encrypted them is missing from APP_SECRET_KEY_PREVIOUS. No ' +
          'webhook can be verified and no message sent until the key is fixed.',
      );
      return;
    }
    this.logger.warn(
      { accountIds: unreadable },
      `${unreadable.length} of ${readability.length} accounts have stored credentials that do not decrypt ` +
        '(damaged, or made by a key this replica does not have); /health counts them as credentialsUnreadable',
    );
  }
}
