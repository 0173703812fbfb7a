import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DomainError, ID_PATTERN } from '@common';
import type { Page } from '@common';
import type { Environment } from '@config';
import { COMMENT_WEBHOOK_FIELDS, WEBHOOK_FIELDS, type GraphAccess, GraphApi, GraphApiError, refusal } from '@graph-api';
import {
  type AccountConnection,
  connectionProblems,
  graphAccessOf,
  type InstagramBusinessAccount,
  type TokenStatus,
} from './account';
import { type AccountChanges, AccountRepository, type NewAccount } from './account.repository';

/** An account as operators see it: with the webhook URL to give Meta. */
export type AccountView = InstagramBusinessAccount & { webhookUrl: string };

export interface TokenCheck {
  /** Ask Meta whether the token works and reaches `igUserId` (itself, or through its Page) before saving. */
  validateToken: boolean;
}

/** Which accounts `list` shows; every condition given must hold. */
export interface AccountListFilter {
  tokenStatus?: TokenStatus;
  /** Only those whose token expires within this many milliseconds from now (already expired included). */
  tokenExpiresWithinMs?: number;
}

export interface SeedResult {
  account: AccountView;
  created: boolean;
}

/**
 * The rules of managing accounts, shared by the admin API and the CLI:
 * how an account may be connected (Instagram Login, or Facebook Login through
 * a Page), checking a token with Meta before trusting it, resetting the token
 * status when the token or the connection changes (which releases a held
 * outbox), subscribing an account to this app's webhooks.
 */
@Injectable()
export class AccountsService {
  private readonly publicBaseUrl: string;

  constructor(
    private readonly accounts: AccountRepository,
    private readonly graph: GraphApi,
    config: ConfigService<Environment, true>,
  ) {
    this.publicBaseUrl = config.get('PUBLIC_BASE_URL', { infer: true });
  }

  async create(account: NewAccount, check: TokenCheck): Promise<AccountView> {
    const connection = connectionAfter(INSTAGRAM_LOGIN, account);
    const tokenStatus = await this.tokenStatusAfter(graphAccessOf(connection, account.credentials), account, check);
    return this.view(await this.accounts.create({ ...account, tokenStatus }));
  }

  async list(limit: number, cursor: string | null, filter: AccountListFilter = {}): Promise<Page<AccountView>> {
    const page = await this.accounts.list(limit, cursor, {
      tokenStatus: filter.tokenStatus,
      tokenExpiresBy:
        filter.tokenExpiresWithinMs === undefined ? undefined : new Date(Date.now() + filter.tokenExpiresWithinMs),
    });
    return { items: page.items.map((account) => this.view(account)), nextCursor: page.nextCursor };
  }

  async listAll(): Promise<AccountView[]> {
    return (await this.accounts.getAllAccounts()).map((account) => this.view(account));
  }

  async get(id: string): Promise<AccountView> {
    return this.view(await this.require(id));
  }

  async update(id: string, changes: AccountChanges): Promise<AccountView> {
    const current = await this.require(id);
    return this.view(await this.accounts.update(id, withConnectionAndTokenReset(current, changes)));
  }

  /** Deactivates, keeping the history; its webhooks answer 404 from now on. */
  async deactivate(id: string): Promise<void> {
    await this.require(id);
    await this.accounts.deactivate(id);
  }

  /**
   * Subscribes the account to this app's webhooks with its own token (also
   * how an operator re-subscribes one that Meta dropped). Meta's answer tells
   * us about the token too, and the account's token status follows it.
   * `fields` replaces the fields the service handles.
   */
  async subscribe(id: string, fields?: readonly string[]): Promise<readonly string[]> {
    const account = await this.require(id);
    if (!account.isActive) {
      throw new DomainError('account_inactive', 'the account is deactivated; reactivate it (PUT isActive: true) first');
    }
    const access = graphAccessOf(account, await this.accounts.getCredentials(id));
    try {
      const subscribed = await (fields ? this.graph.subscribeApp(access, fields) : this.graph.subscribeApp(access));
      if (account.tokenStatus !== 'valid') await this.accounts.update(id, { tokenStatus: 'valid' });
      return subscribed;
    } catch (error) {
      if (error instanceof GraphApiError && error.kind === 'invalid_token') {
        await this.accounts.markTokenInvalid(id, account.updatedAt);
      }
      throw refusal(error, missingPermissionOf(error, fields ?? WEBHOOK_FIELDS));
    }
  }

  /**
   * Creates the account, or brings the one with this igUserId (the identity
   * Meta gives it) up to date and active again: running it twice changes nothing.
   */
  async seed(account: NewAccount, check: TokenCheck): Promise<SeedResult> {
    const existing = await this.accounts.getByIgUserId(account.igUserId);
    if (!existing) return { account: await this.create(account, check), created: true };
    const connection = connectionAfter(existing, account);
    const tokenStatus = await this.tokenStatusAfter(graphAccessOf(connection, account.credentials), account, check);
    const updated = await this.accounts.update(existing.id, {
      ...withConnectionAndTokenReset(existing, account),
      tokenStatus,
      isActive: true,
    });
    return { account: this.view(updated), created: false };
  }

  private async require(id: string): Promise<InstagramBusinessAccount> {
    const account = ID_PATTERN.test(id) ? await this.accounts.getById(id) : null;
    if (!account) throw new DomainError('account_not_found', 'account not found');
    return account;
  }

  /** `valid` once Meta confirmed the token reaches igUserId (itself, or through its Page); `unknown` when not asked. */
  private async tokenStatusAfter(
    access: GraphAccess,
    { igUserId }: Pick<NewAccount, 'igUserId'>,
    check: TokenCheck,
  ): Promise<TokenStatus> {
    if (!check.validateToken) return 'unknown';
    let reached;
    try {
      reached = await this.graph.getConnectedAccount(access);
    } catch (error) {
      throw refusal(error);
    }
    if (access.loginType === 'facebook' && reached.userId !== igUserId) {
      throw new DomainError(
        'token_rejected',
        reached.userId === null
          ? `the Page ${access.pageId} has no Instagram professional account linked`
          : `the Page ${access.pageId} is linked to Instagram account ${reached.userId}, not to igUserId ${igUserId}`,
        reached.userId === null
          ? { pageId: 'no Instagram account is linked to this Page' }
          : { igUserId: `the Page is linked to ${reached.userId}` },
      );
    }
    if (reached.userId !== igUserId) {
      throw new DomainError(
        'token_rejected',
        `the access token belongs to Instagram user ${reached.userId} (@${reached.username}), not to igUserId ${igUserId}`,
        { igUserId: `the token belongs to ${reached.userId}` },
      );
    }
    return 'valid';
  }

  private view(account: InstagramBusinessAccount): AccountView {
    return { ...account, webhookUrl: `${this.publicBaseUrl}/webhooks/instagram/${account.id}` };
  }
}

/** How an account is connected unless told otherwise. */
const INSTAGRAM_LOGIN: AccountConnection = { loginType: 'instagram', pageId: null };

/** The connection, if it may be stored; else a validation error naming the fields at fault. */
function storableConnection(connection: AccountConnection): AccountConnection {
  const problems = connectionProblems(connection);
  if (problems) throw new DomainError('validation_failed', Object.values(problems).join('; '), problems);
  return connection;
}

/**
 * The account's connection after these changes, if it may be stored: what
 * they leave out is kept, except that leaving Facebook Login drops the Page.
 */
function connectionAfter(current: AccountConnection, changes: Partial<AccountConnection>): AccountConnection {
  const loginType = changes.loginType ?? current.loginType;
  const pageId = changes.pageId !== undefined ? changes.pageId : loginType === 'instagram' ? null : current.pageId;
  return storableConnection({ loginType, pageId });
}

/**
 * The changes as they will be stored, with the whole connection when they
 * touch it. A new access token, or a new connection, has not been tried yet:
 * the token status starts over, and a queue held for the old one resumes.
 */
function withConnectionAndTokenReset<T extends AccountChanges>(current: AccountConnection, changes: T): T {
  let result = changes;
  let untried = changes.credentials?.accessToken !== undefined;
  if (changes.loginType !== undefined || changes.pageId !== undefined) {
    const connection = connectionAfter(current, changes);
    result = { ...result, ...connection };
    untried ||= connection.loginType !== current.loginType || connection.pageId !== current.pageId;
  }
  return untried ? { ...result, tokenStatus: 'unknown', tokenExpiresAt: null } : result;
}

/** Meta's permission errors: code 10, and 200 to 299. */
const isPermissionError = (error: GraphApiError): boolean =>
  error.code === 10 || (error.code !== null && error.code >= 200 && error.code <= 299);

/**
 * Meta refuses a subscription to comment fields when the app lacks the
 * permission that grants them; its message does not always name it, so the
 * operator is told which one to request.
 */
function missingPermissionOf(error: unknown, fields: readonly string[]): string {
  if (!(error instanceof GraphApiError) || !isPermissionError(error)) return '';
  const commentFields = fields.filter((field) => COMMENT_WEBHOOK_FIELDS.includes(field));
  if (commentFields.length === 0) return '';
  return ` (${commentFields.join(', ')} need the instagram_business_manage_comments permission: grant it to the app and the account's token, then subscribe again)`;
}
