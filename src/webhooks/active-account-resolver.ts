import { Injectable, Logger } from '@nestjs/common';
import type { InstagramBusinessAccount } from '@accounts';
import { AccountChangeFeed, AccountRepository, type WebhookSecrets, CredentialsCache } from '@accounts';
import { DomainError, ID_PATTERN } from '@common';

/**
 * How long a replica keeps an account and its app secret for webhook checks.
 * A change made on this replica applies at once; one made on another replica
 * (a deactivation, a new app secret) applies here within this time.
 */
export const WEBHOOK_ACCOUNT_CACHE_MS = 5000;

interface CachedAccount {
  account: InstagramBusinessAccount | null;
  loadedAt: number;
}

/** The active accounts as the shared route checks them, all from memory. */
export interface SharedRouteSecrets {
  /** Each distinct app secret, with the ids of the accounts that sign with it. */
  bySecret: Map<string, string[]>;
  /** Account id to app secret, for the readable ones. */
  secretOf: Map<string, string>;
  verifyTokens: string[];
  /** Active accounts whose app secret cannot be decrypted: they are skipped. */
  unreadable: Set<string>;
}

/**
 * The account a webhook route names, which must exist and be active (anything
 * else is a 404 for Meta), and the app secret its signature is checked with
 * (from the credentials cache); and, for the shared route, every active
 * account's secrets at once. Meta's deliveries come in bursts, so all of it
 * is kept in memory briefly rather than read and decrypted for every request.
 */
@Injectable()
export class ActiveAccountResolver {
  private readonly logger = new Logger(ActiveAccountResolver.name);
  private readonly cached = new Map<string, CachedAccount>();
  private readonly loading = new Map<string, Promise<CachedAccount>>();
  private shared: { secrets: Promise<SharedRouteSecrets>; loadedAt: number } | null = null;
  private reportedUnreadable = new Set<string>();

  constructor(
    private readonly accounts: AccountRepository,
    private readonly credentials: CredentialsCache,
    changes: AccountChangeFeed,
  ) {
    changes.onChange((accountId) => {
      this.cached.delete(accountId);
      this.shared = null;
    });
  }

  async require(accountId: string): Promise<InstagramBusinessAccount> {
    const { account } = await this.load(accountId);
    if (!account || !account.isActive) throw new DomainError('account_not_found', 'no active account with this id');
    return account;
  }

  /** @throws CiphertextIntegrityError when the stored app secret cannot be decrypted. */
  async appSecretOf(accountId: string): Promise<string> {
    return (await this.credentials.get(accountId)).appSecret;
  }

  /** The secrets of every active account, read in one query at most every few seconds. */
  sharedRouteSecrets(now = Date.now()): Promise<SharedRouteSecrets> {
    if (this.shared && now - this.shared.loadedAt < WEBHOOK_ACCOUNT_CACHE_MS) return this.shared.secrets;
    const secrets = this.accounts.getActiveWebhookSecrets().then((rows) => this.indexSecrets(rows));
    // One read serves every request that arrives while it runs; a failed read is not kept.
    this.shared = { secrets, loadedAt: now };
    secrets.catch(() => {
      if (this.shared?.secrets === secrets) this.shared = null;
    });
    return secrets;
  }

  private indexSecrets(rows: WebhookSecrets[]): SharedRouteSecrets {
    const indexed: SharedRouteSecrets = {
      bySecret: new Map(),
      secretOf: new Map(),
      verifyTokens: [],
      unreadable: new Set(),
    };
    for (const { account, appSecret, verifyToken } of rows) {
      if (verifyToken !== null) indexed.verifyTokens.push(verifyToken);
      if (appSecret === null) {
        indexed.unreadable.add(account.id);
        continue;
      }
      indexed.secretOf.set(account.id, appSecret);
      indexed.bySecret.set(appSecret, [...(indexed.bySecret.get(appSecret) ?? []), account.id]);
    }
    // Said once per account, not at every reload: the account stays skipped until its credentials are fixed.
    for (const accountId of indexed.unreadable) {
      if (!this.reportedUnreadable.has(accountId)) {
        this.logger.error(
          { accountId },
          'stored webhook credentials of this account cannot be decrypted (check APP_SECRET_KEY and APP_SECRET_KEY_PREVIOUS); its webhook entries are kept as unroutable',
        );
      }
    }
    this.reportedUnreadable = indexed.unreadable;
    return indexed;
  }

  private async load(accountId: string, now = Date.now()): Promise<CachedAccount> {
    const entry = this.cached.get(accountId);
    if (entry && now - entry.loadedAt < WEBHOOK_ACCOUNT_CACHE_MS) return entry;
    // One read per account at a time: a burst that finds the entry expired waits for it instead of each reading.
    const pending = this.loading.get(accountId);
    if (pending) return pending;
    const loading = this.read(accountId, now).finally(() => this.loading.delete(accountId));
    this.loading.set(accountId, loading);
    return loading;
  }

  private async read(accountId: string, now: number): Promise<CachedAccount> {
    const account = ID_PATTERN.test(accountId) ? await this.accounts.getById(accountId) : null;
    const loaded: CachedAccount = { account, loadedAt: now };
    // Unknown ids are not kept: anyone can send them, and they must not fill memory.
    if (account) this.cached.set(accountId, loaded);
    else this.cached.delete(accountId);
    return loaded;
  }
}
