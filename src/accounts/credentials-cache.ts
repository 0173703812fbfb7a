import { Injectable } from '@nestjs/common';
import type { GraphAccess } from '@graph-api';
import { type AccountCredentials, graphAccessOf } from './account';
import { AccountChangeFeed } from './account-change-feed';
import { AccountRepository, type VersionedCredentials } from './account.repository';

/** How long decrypted credentials stay in this process's memory once read. */
export const CREDENTIALS_CACHE_MS = 5000;

interface Cached {
  read: Promise<VersionedCredentials>;
  loadedAt: number;
}

/**
 * An account's decrypted credentials, kept in memory for a few seconds, so a
 * burst of sends does not read and decrypt them for every message. They are
 * read again when the account changes here (the change feed), when they are
 * older than CREDENTIALS_CACHE_MS, or when the caller knows the account
 * changed after they were read (`changedAt`, from a row it read with the
 * account's `updatedAt`): a token replaced on another replica is never used
 * stale.
 */
@Injectable()
export class CredentialsCache {
  private readonly cached = new Map<string, Cached>();

  constructor(
    private readonly accounts: AccountRepository,
    changes: AccountChangeFeed,
  ) {
    changes.onChange((accountId) => this.cached.delete(accountId));
  }

  /** @throws CiphertextIntegrityError when a stored credential fails its integrity check. */
  async get(accountId: string, changedAt?: Date, now = Date.now()): Promise<AccountCredentials> {
    return (await this.read(accountId, changedAt, now)).credentials;
  }

  /**
   * What calling Meta as the account takes (its token, and for Facebook Login
   * its Page and app secret), read with its credentials and as fresh as they are.
   * @throws CiphertextIntegrityError when a stored credential fails its integrity check.
   */
  async graphAccess(accountId: string, changedAt?: Date, now = Date.now()): Promise<GraphAccess> {
    const { connection, credentials } = await this.read(accountId, changedAt, now);
    return graphAccessOf(connection, credentials);
  }

  private async read(accountId: string, changedAt: Date | undefined, now: number): Promise<VersionedCredentials> {
    const entry = this.cached.get(accountId);
    if (entry && now - entry.loadedAt < CREDENTIALS_CACHE_MS) {
      const versioned = await entry.read;
      if (!changedAt || versioned.updatedAt.getTime() >= changedAt.getTime()) return versioned;
    }
    const read = this.accounts.getVersionedCredentials(accountId);
    this.cached.set(accountId, { read, loadedAt: now });
    // A failed read (an unreadable credential, a missing account) is not kept.
    read.catch(() => {
      if (this.cached.get(accountId)?.read === read) this.cached.delete(accountId);
    });
    return read;
  }
}
