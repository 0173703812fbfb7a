import { Injectable, Logger } from '@nestjs/common';
import { CredentialsCache } from '@accounts';
import { constantTimeEquals, DomainError } from '@common';
import { ActiveAccountResolver } from './active-account-resolver';

type HubQuery = Record<string, unknown>;

/**
 * Meta's subscription handshake: `hub.mode=subscribe` and the verify token
 * configured in the App Dashboard; the answer is the bare `hub.challenge`.
 */
@Injectable()
export class SubscriptionVerifier {
  private readonly logger = new Logger(SubscriptionVerifier.name);

  constructor(
    private readonly credentials: CredentialsCache,
    private readonly activeAccounts: ActiveAccountResolver,
  ) {}

  async verifySubscription(accountId: string, query: HubQuery): Promise<string> {
    const account = await this.activeAccounts.require(accountId);
    const { verifyToken } = await this.credentials.get(account.id);
    return this.answer(query, (token) => constantTimeEquals(token, verifyToken), account.id);
  }

  /**
   * For one Meta app shared by several accounts: the verify token of any
   * active account is accepted, checked against the tokens kept in memory.
   */
  async verifySharedSubscription(query: HubQuery): Promise<string> {
    const { verifyTokens } = await this.activeAccounts.sharedRouteSecrets();
    return this.answer(query, (token) => verifyTokens.map((t) => constantTimeEquals(token, t)).includes(true), null);
  }

  private answer(query: HubQuery, accepts: (token: string) => boolean, accountId: string | null): string {
    const { 'hub.mode': mode, 'hub.verify_token': token, 'hub.challenge': challenge } = query;
    if (mode !== 'subscribe' || typeof token !== 'string' || typeof challenge !== 'string' || !accepts(token)) {
      this.logger.warn({ accountId }, 'webhook verification refused');
      throw new DomainError('webhook_verification_failed', 'verify token or mode does not match');
    }
    this.logger.log({ accountId }, 'webhook subscription verified');
    return challenge;
  }
}
