import { Injectable } from '@nestjs/common';
import { AccountEvents } from '@accounts';
import { EventOutbox } from './event-outbox';

/** Accounts' events, as the endpoints get them: queued in the transaction that marks the account. */
@Injectable()
export class AccountTokenEvents extends AccountEvents {
  constructor(private readonly outbox: EventOutbox) {
    super();
  }

  async tokenInvalid(accountId: string): Promise<void> {
    await this.outbox.queue([{ type: 'account.token_invalid', accountId, data: { tokenStatus: 'invalid' } }]);
  }
}
