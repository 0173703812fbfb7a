import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DomainError, type ErrorCode, ID_PATTERN } from '@common';
import type { Page } from '@common';
import type { Environment } from '@config';
import { GraphApi, GraphApiError, type GraphErrorKind } from '@graph-api';
import type { InstagramBusinessAccount, TokenStatus } from './account';
import { type AccountChanges, AccountRepository, type NewAccount } from './account.repository';

/** An account as operators see it: with the webhook URL to give Meta. */
export type AccountView = InstagramBusinessAccount & { webhookUrl: string };

export interface TokenCheck {
  /** Ask Meta (`GET /me`) whether the token works and belongs to `igUserId` before saving. */
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
 * checking a token with Meta before trusting it, resetting the token status
 * when the token changes (which releases a held outbox), subscribing an
 * account to this app's webhooks.
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
    const tokenStatus = await this.tokenStatusAfter(account.credentials.accessToken, account.igUserId, check);
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
    await this.require(id);
    return this.view(await this.accounts.update(id, withTokenReset(changes)));
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
   */
  async subscribe(id: string): Promise<readonly string[]> {
    const account = await this.require(id);
    if (!account.isActive) {
      throw new DomainError('account_inactive', 'the account is deactivated; reactivate it (PUT isActive: true) first');
    }
    const { accessToken } = await this.accounts.getCredentials(id);
    try {
      const fields = await this.graph.subscribeApp(accessToken);
      if (account.tokenStatus !== 'valid') await this.accounts.update(id, { tokenStatus: 'valid' });
      return fields;
    } catch (error) {
      if (error instanceof GraphApiError && error.kind === 'invalid_token') {
        await this.accounts.markTokenInvalid(id, account.updatedAt);
      }
      throw refusal(error);
    }
  }

  /**
   * Creates the account, or brings the one with this igUserId (the identity
   * Meta gives it) up to date and active again: running it twice changes nothing.
   */
  async seed(account: NewAccount, check: TokenCheck): Promise<SeedResult> {
    const tokenStatus = await this.tokenStatusAfter(account.credentials.accessToken, account.igUserId, check);
    const existing = await this.accounts.getByIgUserId(account.igUserId);
    if (!existing)
      return { account: this.view(await this.accounts.create({ ...account, tokenStatus })), created: true };
    const updated = await this.accounts.update(existing.id, {
      ...withTokenReset(account),
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

  /** `valid` once Meta confirmed the token is igUserId's; `unknown` when not asked. */
  private async tokenStatusAfter(accessToken: string, igUserId: string, check: TokenCheck): Promise<TokenStatus> {
    if (!check.validateToken) return 'unknown';
    let me;
    try {
      me = await this.graph.getMe(accessToken);
    } catch (error) {
      throw refusal(error);
    }
    if (me.userId !== igUserId) {
      throw new DomainError(
        'token_rejected',
        `the access token belongs to Instagram user ${me.userId} (@${me.username}), not to igUserId ${igUserId}`,
        { igUserId: `the token belongs to ${me.userId}` },
      );
    }
    return 'valid';
  }

  private view(account: InstagramBusinessAccount): AccountView {
    return { ...account, webhookUrl: `${this.publicBaseUrl}/webhooks/instagram/${account.id}` };
  }
}

/** A new access token has not been tried yet: its status starts over, and a queue held for the old one resumes. */
function withTokenReset<T extends AccountChanges>(changes: T): T {
  return changes.credentials?.accessToken === undefined
    ? changes
    : { ...changes, tokenStatus: 'unknown', tokenExpiresAt: null };
}

/**
 * What an operator is told when Meta says no, or cannot be asked: one entry
 * per kind of Graph API failure, so a new kind does not compile until it has one.
 */
const REFUSAL_OF: Record<GraphErrorKind, { code: ErrorCode; says: string }> = {
  invalid_token: { code: 'token_rejected', says: 'Meta rejected the access token' },
  permanent: { code: 'graph_api_rejected', says: 'Meta refused' },
  transient: { code: 'graph_api_unavailable', says: 'Meta could not answer; try again' },
  rate_limited: { code: 'graph_api_unavailable', says: 'Meta asks to slow down; try again later' },
  uncertain: { code: 'graph_api_unavailable', says: 'Meta’s answer was unclear; check before trying again' },
};

function refusal(error: unknown): unknown {
  if (!(error instanceof GraphApiError)) return error;
  const { code, says } = REFUSAL_OF[error.kind];
  return new DomainError(code, `${says}: ${error.message}`);
}
