import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@common';
import { CredentialsCache } from '@accounts';
import { CiphertextIntegrityError } from '@crypto';
import { GraphApi, GraphApiError } from '@graph-api';
import { ContactLookupSettings } from './contact-lookup-settings';
import type { Contact } from './contact';
import { ContactRepository } from './contact.repository';

/**
 * Looks one customer's profile (username, name) up with Meta and records the
 * answer, or the failure and when to try again, with growing pauses. The
 * background worker uses it for every due contact; the sender uses it, with a
 * short wait, for a new customer whose first reply greets them by name.
 */
@Injectable()
export class ContactProfileLookup {
  private readonly logger = new Logger(ContactProfileLookup.name);

  constructor(
    private readonly settings: ContactLookupSettings,
    private readonly contacts: ContactRepository,
    private readonly credentials: CredentialsCache,
    private readonly graph: GraphApi,
    private readonly clock: Clock,
  ) {}

  /** The contact as it stands afterwards: with its profile when Meta answered, unchanged when it did not. */
  async lookUp(contact: Contact, options: { timeoutMs?: number } = {}): Promise<Contact> {
    const { refreshAfterMs, retryBaseMs, retryMaxMs } = this.settings;
    try {
      const access = await this.credentials.graphAccess(contact.accountId);
      const profile = await this.graph.getUserProfile(access, contact.igsid, options);
      const now = this.clock.now();
      await this.contacts.recordProfile(
        contact.accountId,
        contact.igsid,
        profile,
        now,
        new Date(now.getTime() + refreshAfterMs),
      );
      return { ...contact, username: profile.username, name: profile.name, profileFetchedAt: now };
    } catch (error) {
      const pause = Math.min(retryMaxMs, retryBaseMs * 2 ** contact.lookupAttempts);
      const reason = error instanceof GraphApiError || error instanceof CiphertextIntegrityError ? error.message : null;
      if (reason === null) this.logger.error({ err: error, accountId: contact.accountId }, 'profile lookup failed');
      await this.contacts.recordLookupFailure(
        contact.accountId,
        contact.igsid,
        reason ?? 'internal error (see the service log)',
        new Date(this.clock.now().getTime() + pause),
      );
      return contact;
    }
  }
}
