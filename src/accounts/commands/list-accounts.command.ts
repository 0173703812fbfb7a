import { Command, CommandRunner } from 'nest-commander';
import { CliOutput } from '@common';
import { AccountsService } from '../accounts.service';

@Command({ name: 'list-accounts', description: 'every account: id, username, active, token status' })
export class ListAccountsCommand extends CommandRunner {
  constructor(
    private readonly accounts: AccountsService,
    private readonly out: CliOutput,
  ) {
    super();
  }

  async run(): Promise<void> {
    const accounts = await this.accounts.listAll();
    if (accounts.length === 0) {
      this.out.line('no accounts yet (add one with seed-account)');
      return;
    }
    this.out.table(
      accounts.map((account) => ({
        id: account.id,
        username: account.username,
        active: account.isActive ? 'yes' : 'no',
        'token status': account.tokenStatus,
      })),
    );
  }
}
