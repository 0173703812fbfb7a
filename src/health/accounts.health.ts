import { Injectable } from '@nestjs/common';
import { Clock, PUBLIC_FIGURES_MAX_AGE_MS, RecentValue } from '@common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { InstagramBusinessAccount } from '@accounts';
import { AccountRepository, TokenRefreshSettings } from '@accounts';

/** What /health tells about the active accounts: counts only, since it answers anyone. */
export interface AccountFigures {
  active: number;
  /** Meta rejected the token: the account's queue is held until an operator stores a new one. */
  tokensInvalid: number;
  /** The token expires within the refresh horizon (7 days), or has expired. */
  tokensExpiring: number;
  /** A stored credential does not decrypt with this process's keys: the account can neither verify nor send. */
  credentialsUnreadable: number;
}

/**
 * The accounts as an operator should know them. Reported, never failed on:
 * an expiring token or one broken account is no reason to restart a replica
 * or take it out of the load balancer. Which accounts they are is for the
 * admin API (`GET /accounts?tokenStatus=invalid`, `?tokenExpiresWithin=7d`),
 * behind the token.
 */
@Injectable()
export class AccountsHealthIndicator {
  private readonly figures: RecentValue<AccountFigures>;

  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly accounts: AccountRepository,
    private readonly tokens: TokenRefreshSettings,
    private readonly clock: Clock,
  ) {
    this.figures = new RecentValue(PUBLIC_FIGURES_MAX_AGE_MS, () => this.readFigures());
  }

  async report(key = 'accounts') {
    const check = this.indicator.check(key);
    try {
      return check.up({ ...(await this.figures.get()) });
    } catch {
      return check.down({ message: 'the accounts cannot be read' });
    }
  }

  private async readFigures(): Promise<AccountFigures> {
    const [active, readability] = await Promise.all([
      this.accounts.getActiveAccounts(),
      this.accounts.credentialReadability(),
    ]);
    const now = this.clock.now().getTime();
    return {
      active: active.length,
      tokensInvalid: active.filter((account) => account.tokenStatus === 'invalid').length,
      tokensExpiring: active.filter((account) => this.expiresSoon(account, now)).length,
      credentialsUnreadable: readability.filter((account) => account.isActive && !account.readable).length,
    };
  }

  private expiresSoon(account: InstagramBusinessAccount, now: number): boolean {
    return account.tokenExpiresAt !== null && account.tokenExpiresAt.getTime() - now <= this.tokens.refreshWithinMs;
  }
}
