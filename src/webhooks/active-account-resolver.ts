import { Injectable } from '@nestjs/common';
import type { InstagramBusinessAccount } from '../accounts/account';
import { AccountRepository } from '../accounts/account.repository';
import { DomainError } from '../common/domain-error';
import { ID_PATTERN } from '../common/ids';

/** The account a webhook route names, which must exist and be active: anything else is a 404 for Meta. */
@Injectable()
export class ActiveAccountResolver {
  constructor(private readonly accounts: AccountRepository) {}

  async require(accountId: string): Promise<InstagramBusinessAccount> {
    const account = ID_PATTERN.test(accountId) ? await this.accounts.getById(accountId) : null;
    if (!account || !account.isActive) throw new DomainError('account_not_found', 'no active account with this id');
    return account;
  }
}
