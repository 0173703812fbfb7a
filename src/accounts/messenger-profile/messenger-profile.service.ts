import { Injectable } from '@nestjs/common';
import { Clock, DomainError } from '@common';
import { GraphApi, GraphApiError, refusal } from '@graph-api';
import { AccountsService } from '../accounts.service';
import { CredentialsCache } from '../credentials-cache';
import { AccountRepository } from '../account.repository';
import { type MessengerProfile, messengerProfileBody } from './messenger-profile';
import { MessengerProfileRepository } from './messenger-profile.repository';

export type MessengerProfileChanges = Partial<Pick<MessengerProfile, 'iceBreakers' | 'persistentMenu'>>;

const META_FIELDS = { iceBreakers: 'ice_breakers', persistentMenu: 'persistent_menu' } as const;

/**
 * The account's ice breakers and persistent menu: set on Meta first (the
 * Messenger Profile API, `platform=instagram`), then kept here, so what `GET`
 * shows is what Meta accepted. A field set to an empty list is deleted on Meta.
 */
@Injectable()
export class MessengerProfileService {
  constructor(
    private readonly accountsService: AccountsService,
    private readonly accounts: AccountRepository,
    private readonly profiles: MessengerProfileRepository,
    private readonly credentials: CredentialsCache,
    private readonly graph: GraphApi,
    private readonly clock: Clock,
  ) {}

  async get(accountId: string): Promise<MessengerProfile> {
    await this.accountsService.get(accountId);
    return (await this.profiles.get(accountId)) ?? { accountId, iceBreakers: [], persistentMenu: [], updatedAt: null };
  }

  async update(accountId: string, changes: MessengerProfileChanges): Promise<MessengerProfile> {
    const current = await this.get(accountId);
    const next = { ...current, ...changes };
    const set = messengerProfileBody({
      iceBreakers: changes.iceBreakers ?? [],
      persistentMenu: changes.persistentMenu ?? [],
    });
    const cleared = (Object.keys(META_FIELDS) as Array<keyof typeof META_FIELDS>)
      .filter((field) => changes[field]?.length === 0)
      .map((field) => META_FIELDS[field]);
    await this.onMeta(accountId, async (access) => {
      if (Object.keys(set).length > 0) await this.graph.setMessengerProfile(access, set);
      if (cleared.length > 0) await this.graph.deleteMessengerProfileFields(access, cleared);
    });
    const saved = { ...next, updatedAt: this.clock.now() };
    await this.profiles.save(saved);
    return saved;
  }

  async clear(accountId: string): Promise<void> {
    await this.get(accountId);
    await this.onMeta(accountId, (access) =>
      this.graph.deleteMessengerProfileFields(access, Object.values(META_FIELDS)),
    );
    await this.profiles.delete(accountId);
  }

  private async onMeta(
    accountId: string,
    call: (access: Awaited<ReturnType<CredentialsCache['graphAccess']>>) => Promise<void>,
  ): Promise<void> {
    const account = await this.accountsService.get(accountId);
    if (!account.isActive) {
      throw new DomainError('account_inactive', 'the account is deactivated; reactivate it (PUT isActive: true) first');
    }
    try {
      await call(await this.credentials.graphAccess(accountId));
    } catch (error) {
      if (error instanceof GraphApiError && error.kind === 'invalid_token') {
        await this.accounts.markTokenInvalid(accountId, account.updatedAt);
      }
      throw refusal(error);
    }
  }
}
