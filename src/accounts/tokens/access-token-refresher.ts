import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { BackgroundLoop, Clock, ProcessRole, RandomSource } from '@common';
import type { InstagramBusinessAccount } from '../account';
import { mayCallMeta } from '../may-call-meta';
import { AccountRepository } from '../account.repository';
import { GraphApi, GraphApiError } from '@graph-api';
import { TokenRefreshSettings } from './token-refresh-settings';

/** Meta refreshes only a long-lived token that is at least this old (and not expired). */
const MIN_TOKEN_AGE_MS = 24 * 60 * 60 * 1000;
/** After a refresh that failed, an account is not tried again for this long (by this process). */
const RETRY_AFTER_FAILURE_MS = 24 * 60 * 60 * 1000;

export interface TokenRefreshReport {
  refreshed: string[];
  failed: string[];
}

/**
 * Keeps the accounts' long-lived Instagram user tokens (60 days) from
 * expiring: every `checkIntervalMs` it refreshes those that expire within
 * `refreshWithinMs`, and those whose expiry is not known yet (learning it),
 * storing the new token encrypted with its expiry. Page tokens (Facebook
 * Login) have no such refresh and are left alone: a rejected one is marked
 * invalid when it is used. Replicas each run it; a token refreshed by one is
 * no longer due for the others, and two refreshing at once both get working
 * tokens.
 */
@Injectable()
export class AccessTokenRefresher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AccessTokenRefresher.name);
  private readonly loop: BackgroundLoop;
  private readonly failedAt = new Map<string, number>();

  constructor(
    private readonly role: ProcessRole,
    private readonly settings: TokenRefreshSettings,
    private readonly accounts: AccountRepository,
    private readonly graph: GraphApi,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {
    this.loop = new BackgroundLoop(this.logger, () => this.refreshDueTokens(), settings.checkIntervalMs);
  }

  onApplicationBootstrap(): void {
    if (!this.role.runsBackgroundWork) return;
    // Spread over the first interval, so replicas started together do not all refresh at once.
    this.loop.start(Math.floor(this.random.fraction() * this.settings.checkIntervalMs));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  async refreshDueTokens(now = this.clock.now()): Promise<TokenRefreshReport> {
    const report: TokenRefreshReport = { refreshed: [], failed: [] };
    for (const account of await this.accounts.getActiveAccounts()) {
      if (!this.isDue(account, now.getTime())) continue;
      if (await this.refresh(account)) report.refreshed.push(account.id);
      else report.failed.push(account.id);
    }
    return report;
  }

  private isDue(account: InstagramBusinessAccount, now: number): boolean {
    if (account.loginType !== 'instagram' || !mayCallMeta(account)) return false;
    if (now - (this.failedAt.get(account.id) ?? 0) < RETRY_AFTER_FAILURE_MS) return false;
    if (account.tokenExpiresAt) {
      const expiresAt = account.tokenExpiresAt.getTime();
      return expiresAt > now && expiresAt - now <= this.settings.refreshWithinMs;
    }
    // Expiry unknown: the token is at least as old as the account's last change.
    return now - account.updatedAt.getTime() >= MIN_TOKEN_AGE_MS;
  }

  private async refresh(account: InstagramBusinessAccount): Promise<boolean> {
    try {
      const { accessToken } = await this.accounts.getCredentials(account.id);
      const refreshed = await this.graph.refreshToken(accessToken);
      if (await this.tokenReplacedSince(account.id, accessToken)) return true;
      await this.accounts.update(account.id, {
        credentials: { accessToken: refreshed.accessToken },
        tokenExpiresAt: refreshed.expiresAt,
        tokenRefreshedAt: this.clock.now(),
        tokenStatus: 'valid',
      });
      this.failedAt.delete(account.id);
      this.logger.log(
        { accountId: account.id },
        `access token refreshed; it expires ${refreshed.expiresAt.toISOString()}`,
      );
      return true;
    } catch (error) {
      this.failedAt.set(account.id, this.clock.now().getTime());
      const rejected = error instanceof GraphApiError && error.kind === 'invalid_token';
      if (rejected) await this.accounts.markTokenInvalid(account.id, account.updatedAt);
      this.logger.warn({ err: error, accountId: account.id }, 'could not refresh the access token');
      return false;
    }
  }

  /** The operator may have stored a new token while Meta was asked: theirs wins. */
  private async tokenReplacedSince(accountId: string, accessToken: string): Promise<boolean> {
    return (await this.accounts.getCredentials(accountId)).accessToken !== accessToken;
  }
}
