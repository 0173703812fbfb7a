import { Injectable } from '@nestjs/common';
import type { InstagramBusinessAccount } from '../accounts/account';
import { AccountChangeFeed } from '../accounts/account-change-feed';
import { AccountRepository } from '../accounts/account.repository';
import { DomainError } from '../common/domain-error';
import { ID_PATTERN } from '../common/ids';

/**
 * How long a replica keeps an account and its app secret for webhook checks.
 * A change made on this replica applies at once; one made on another replica
 * (a deactivation, a new app secret) applies here within this time.
 */
export const WEBHOOK_ACCOUNT_CACHE_MS = 5000;

interface CachedAccount {
  account: InstagramBusinessAccount | null;
  appSecret: string | null;
  loadedAt: number;
}

/**
 * The account a webhook route names, which must exist and be active (anything
 * else is a 404 for Meta), and the app secret its signature is checked with.
 * Meta's deliveries come in bursts, so both are kept in memory briefly rather
 * than read and decrypted for every request.
 */
@Injectable()
export class ActiveAccountResolver {
  private readonly cached = new Map<string, CachedAccount>();

  constructor(
    private readonly accounts: AccountRepository,
    changes: AccountChangeFeed,
  ) {
    changes.onChange((accountId) => this.cached.delete(accountId));
  }

  async require(accountId: string): Promise<InstagramBusinessAccount> {
    const { account } = await this.load(accountId);
    if (!account || !account.isActive) throw new DomainError('account_not_found', 'no active account with this id');
    return account;
  }

  async appSecretOf(accountId: string): Promise<string> {
    const entry = await this.load(accountId);
    if (entry.appSecret === null) {
      entry.appSecret = (await this.accounts.getCredentials(accountId)).appSecret;
    }
    return entry.appSecret;
  }

  private async load(accountId: string, now = Date.now()): Promise<CachedAccount> {
    const entry = this.cached.get(accountId);
    if (entry && now - entry.loadedAt < WEBHOOK_ACCOUNT_CACHE_MS) return entry;
    const account = ID_PATTERN.test(accountId) ? await this.accounts.getById(accountId) : null;
    const loaded: CachedAccount = { account, appSecret: null, loadedAt: now };
    // Unknown ids are not kept: anyone can send them, and they must not fill memory.
    if (account) this.cached.set(accountId, loaded);
    else this.cached.delete(accountId);
    return loaded;
  }
}
