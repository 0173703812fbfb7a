import { Injectable } from '@nestjs/common';
import { AccountRepository } from '../../accounts/account.repository';
import { GraphApi } from '../../graph-api/graph-api';
import type { Message } from '../messages/message';
import { MessageSender, type SentMessage } from './message-sender';
import { buildSendApiRequest } from './send-api-request';

/** The Send API of graph.instagram.com; the token is decrypted for the call and kept nowhere. */
@Injectable()
export class InstagramMessageSender extends MessageSender {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly graph: GraphApi,
  ) {
    super();
  }

  async send(message: Message): Promise<SentMessage> {
    const { accessToken } = await this.accounts.getCredentials(message.accountId);
    const result = await this.graph.sendMessage(accessToken, buildSendApiRequest(message));
    return { mid: result.messageId };
  }
}
