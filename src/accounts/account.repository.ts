import type { Page } from '@common';
import type { LoginType } from '@graph-api';
import type { AccountConnection, AccountCredentials, InstagramBusinessAccount, TokenStatus } from './account';

export interface NewAccount {
  username: string;
  igUserId: string;
  /** Instagram Login when left out. */
  loginType?: LoginType;
  pageId?: string | null;
  displayName?: string | null;
  fallbackResponse?: string | null;
  autoReplyLimit?: number | null;
  autoReplyLimitMinutes?: number | null;
  credentials: AccountCredentials;
  /** `valid` when the token was just checked with Meta; `unknown` otherwise. */
  tokenStatus?: TokenStatus;
}

export type AccountChanges = Partial<Omit<NewAccount, 'credentials'>> & {
  credentials?: Partial<AccountCredentials>;
  isActive?: boolean;
  tokenStatus?: TokenStatus;
  tokenExpiresAt?: Date | null;
  tokenRefreshedAt?: Date | null;
};

export type AccountPage = Page<InstagramBusinessAccount>;

/** What checking webhooks needs of an active account; a secret that cannot be decrypted is null. */
export interface WebhookSecrets {
  account: InstagramBusinessAccount;
  appSecret: string | null;
  verifyToken: string | null;
}

/** Which accounts a list shows; every condition given must hold. */
export interface AccountFilter {
  tokenStatus?: TokenStatus;
  /** Accounts whose token expires by then (already expired included); an unknown expiry never matches. */
  tokenExpiresBy?: Date;
}

/** An account's decrypted credentials, read together with how it is connected and when it last changed. */
export interface VersionedCredentials {
  credentials: AccountCredentials;
  connection: AccountConnection;
  updatedAt: Date;
}

/** Whether this process's keys decrypt every stored credential of the account. */
export interface CredentialReadability {
  accountId: string;
  isActive: boolean;
  readable: boolean;
}

/**
 * Persistence of accounts. Credentials are encrypted on the way in and are
 * decrypted only by `getCredentials`, for the callers that need them (the
 * signature check, the sender), and inside `rotateCredentials`; reading or
 * listing accounts never decrypts.
 */
export abstract class AccountRepository {
  abstract getById(id: string): Promise<InstagramBusinessAccount | null>;
  abstract getByUsername(username: string): Promise<InstagramBusinessAccount | null>;
  abstract getByIgUserId(igUserId: string): Promise<InstagramBusinessAccount | null>;
  abstract getActiveAccounts(): Promise<InstagramBusinessAccount[]>;
  /** The accounts, active or not, whose igUserId is one of these (one query, for a delivery's entries). */
  abstract getByIgUserIds(igUserIds: string[]): Promise<InstagramBusinessAccount[]>;
  /**
   * Every active account with its app secret and verify token, decrypted, in
   * one read. A credential that fails its integrity check is null: one bad
   * account must not stop webhook checks for the others.
   */
  abstract getActiveWebhookSecrets(): Promise<WebhookSecrets[]>;
  /** Every account, active or not, oldest first (for the operator's commands; accounts are few). */
  abstract getAllAccounts(): Promise<InstagramBusinessAccount[]>;
  abstract list(limit: number, cursor: string | null, filter?: AccountFilter): Promise<AccountPage>;
  abstract create(account: NewAccount): Promise<InstagramBusinessAccount>;
  abstract update(id: string, changes: AccountChanges): Promise<InstagramBusinessAccount>;
  abstract deactivate(id: string): Promise<void>;
  /**
   * The one rule of marking an account's token invalid (which holds its
   * queue): only if the account is unchanged since `unchangedSince` (its
   * `updatedAt` when the rejected token was read). A token replaced meanwhile
   * has not been tried yet and must not be blamed. True when it was marked now.
   */
  abstract markTokenInvalid(id: string, unchangedSince: Date): Promise<boolean>;
  /** @throws CiphertextIntegrityError when a stored credential fails its integrity check. */
  abstract getCredentials(id: string): Promise<AccountCredentials>;
  /** The credentials with the account's connection and `updatedAt`, to tell whether they are still current. */
  abstract getVersionedCredentials(id: string): Promise<VersionedCredentials>;
  /**
   * Re-encrypts the account's credentials that a previous key made with the
   * current key; true when anything was re-encrypted, false when all were current.
   * @throws CiphertextIntegrityError when a stored credential fails its integrity check.
   */
  abstract rotateCredentials(id: string): Promise<boolean>;
  /**
   * Tries to decrypt every stored credential of every account, active or not,
   * and answers which decrypt; the plaintexts are dropped at once. Signs of a
   * wrong APP_SECRET_KEY, or of a damaged row.
   */
  abstract credentialReadability(): Promise<CredentialReadability[]>;
}
