import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { InstagramBusinessAccount } from '../accounts/account';
import { AccountRepository } from '../accounts/account.repository';
import { MessagingSettings } from '../messaging/messaging-settings';
import { OutboxRepository } from '../messaging/outbox/outbox.repository';

/**
 * What an operator should know about sending: the outbox backlog, and the
 * accounts whose token is invalid or about to expire. Both are reported,
 * never failed on: a backlog or an expiring token is no reason to restart a
 * replica or take it out of the load balancer.
 */
@Injectable()
export class MessagingHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly outbox: OutboxRepository,
    private readonly accounts: AccountRepository,
    private readonly settings: MessagingSettings,
  ) {}

  async backlog(key = 'outbox') {
    const check = this.indicator.check(key);
    try {
      return check.up({ ...(await this.outbox.backlog()) });
    } catch {
      return check.down({ message: 'the outbox cannot be read' });
    }
  }

  async tokens(key = 'accounts') {
    const check = this.indicator.check(key);
    try {
      const active = await this.accounts.getActiveAccounts();
      const atRisk = active.filter((account) => this.tokenAtRisk(account, Date.now()));
      return check.up({
        active: active.length,
        tokensAtRisk: atRisk.map((account) => ({
          id: account.id,
          username: account.username,
          tokenStatus: account.tokenStatus,
          tokenExpiresAt: account.tokenExpiresAt,
        })),
      });
    } catch {
      return check.down({ message: 'the accounts cannot be read' });
    }
  }

  /** Invalid, or expiring within the refresh horizon (already expired included). */
  private tokenAtRisk(account: InstagramBusinessAccount, now: number): boolean {
    if (account.tokenStatus === 'invalid') return true;
    return (
      account.tokenExpiresAt !== null && account.tokenExpiresAt.getTime() - now <= this.settings.tokens.refreshWithinMs
    );
  }
}
