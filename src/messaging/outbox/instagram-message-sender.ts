import { Injectable } from '@nestjs/common';
import { CredentialsCache } from '@accounts';
import { GraphApi } from '@graph-api';
import type { Message } from '../message';
import { MessageSender, type SentMessage } from './message-sender';
import { buildSendApiRequest } from './send-api-request';

/** The Send API of graph.instagram.com, with the account's token from the in-memory credentials cache. */
@Injectable()
export class InstagramMessageSender extends MessageSender {
  constructor(
    private readonly credentials: CredentialsCache,
    private readonly graph: GraphApi,
  ) {
    super();
  }

  async send(message: Message, accountUpdatedAt?: Date): Promise<SentMessage> {
    const { accessToken } = await this.credentials.get(message.accountId, accountUpdatedAt);
    const result = await this.graph.sendMessage(accessToken, buildSendApiRequest(message));
    return { mid: result.messageId };
  }
}
