import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AccountRepository } from '../../accounts/account.repository';
import { CiphertextIntegrityError } from '../../crypto/token-cipher';
import { GraphApi } from '../../graph-api/graph-api';
import { GraphApiError } from '../../graph-api/graph-api-error';
import { BackgroundLoop } from '../background-loop';
import { MessagingSettings } from '../messaging-settings';
import type { Contact } from './contact';
import { ContactRepository } from './contact.repository';

/**
 * Looks up the profile (username, name) of each new customer, and again
 * every week, in the background: the intake only records that a contact is
 * due (`ensureKnown`), so a slow or failing lookup never holds up or loses a
 * message. A failed lookup is retried later, with growing pauses.
 */
@Injectable()
export class ContactProfileWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ContactProfileWorker.name);
  private readonly loop: BackgroundLoop;

  constructor(
    private readonly settings: MessagingSettings,
    private readonly contacts: ContactRepository,
    private readonly accounts: AccountRepository,
    private readonly graph: GraphApi,
  ) {
    this.loop = new BackgroundLoop(this.logger, () => this.lookUpDueProfiles(), settings.contacts.pollIntervalMs);
  }

  onApplicationBootstrap(): void {
    this.loop.start(this.settings.contacts.pollIntervalMs);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** One round: the profiles due now, one at a time; answers how many were looked up. */
  async lookUpDueProfiles(): Promise<number> {
    const now = new Date();
    const { batchSize, leaseMs } = this.settings.contacts;
    const due = await this.contacts.claimDueLookups(now, new Date(now.getTime() + leaseMs), batchSize);
    for (const contact of due) await this.lookUp(contact);
    return due.length;
  }

  private async lookUp(contact: Contact): Promise<void> {
    const { refreshAfterMs, retryBaseMs, retryMaxMs } = this.settings.contacts;
    try {
      const { accessToken } = await this.accounts.getCredentials(contact.accountId);
      const profile = await this.graph.getUserProfile(accessToken, contact.igsid);
      const now = new Date();
      await this.contacts.recordProfile(
        contact.accountId,
        contact.igsid,
        profile,
        now,
        new Date(now.getTime() + refreshAfterMs),
      );
    } catch (error) {
      const pause = Math.min(retryMaxMs, retryBaseMs * 2 ** contact.lookupAttempts);
      const reason = error instanceof GraphApiError || error instanceof CiphertextIntegrityError ? error.message : null;
      if (reason === null) this.logger.error({ err: error, accountId: contact.accountId }, 'profile lookup failed');
      await this.contacts.recordLookupFailure(
        contact.accountId,
        contact.igsid,
        reason ?? 'internal error (see the service log)',
        new Date(Date.now() + pause),
      );
    }
  }
}
