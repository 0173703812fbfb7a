import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Clock, ProcessRole, BackgroundLoop } from '@common';
import { ContactLookupSettings } from './contact-lookup-settings';
import { ContactProfileLookup } from './contact-profile-lookup';
import { ContactRepository } from './contact.repository';

/**
 * Looks up the profile (username, name) of each new customer, and again
 * every week, in the background: the intake only records that a contact is
 * due, so a slow or failing lookup never holds up or loses a message. A
 * failed lookup is retried later, with growing pauses.
 */
@Injectable()
export class ContactProfileWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ContactProfileWorker.name);
  private readonly loop: BackgroundLoop;

  constructor(
    private readonly role: ProcessRole,
    private readonly settings: ContactLookupSettings,
    private readonly contacts: ContactRepository,
    private readonly lookup: ContactProfileLookup,
    private readonly clock: Clock,
  ) {
    const { pollIntervalMs, idlePollMaxMs } = settings;
    this.loop = new BackgroundLoop(this.logger, () => this.lookUpDueProfiles(), pollIntervalMs, idlePollMaxMs);
  }

  onApplicationBootstrap(): void {
    if (!this.role.runsBackgroundWork) return;
    this.loop.start(this.settings.pollIntervalMs);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** One round: the profiles due now, one at a time; answers how many were looked up. */
  async lookUpDueProfiles(): Promise<number> {
    const now = this.clock.now();
    const { batchSize, leaseMs } = this.settings;
    const due = await this.contacts.claimDueLookups(now, new Date(now.getTime() + leaseMs), batchSize);
    for (const contact of due) await this.lookup.lookUp(contact);
    return due.length;
  }
}
