import { Injectable } from '@nestjs/common';
import { CredentialsCache } from '@accounts';
import { GraphApi } from '@graph-api';
import type { Message } from '../message';
import { MessageSender, type SentMessage } from './message-sender';
import { buildSendApiRequest } from './send-api-request';

/**
 * The Send API as the account's login type has it (graph.instagram.com's
 * `/me/messages`, or graph.facebook.com's `/{page-id}/messages` with
 * `appsecret_proof`: the Graph API client chooses), with the account's
 * access from the in-memory credentials cache.
 */
@Injectable()
export class InstagramMessageSender extends MessageSender {
  constructor(
    private readonly credentials: CredentialsCache,
    private readonly graph: GraphApi,
  ) {
    super();
  }

  async send(message: Message, accountUpdatedAt?: Date): Promise<SentMessage> {
    const access = await this.credentials.graphAccess(message.accountId, accountUpdatedAt);
    const result = await this.graph.sendMessage(access, buildSendApiRequest(message));
    return { mid: result.messageId };
  }
}
