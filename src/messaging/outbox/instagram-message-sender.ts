import { Injectable } from '@nestjs/common';
import { CredentialsCache } from '@accounts';
import { GraphApi } from '@graph-api';
import type { Message } from '../message';
import { MessageSender, type SentMessage } from './message-sender';
import { commentReplyKindOf } from './comment-reply';
import { buildSendApiRequest } from './send-api-request';

/**
 * The Send API as the account's login type has it (graph.instagram.com's
 * `/me/messages`, or graph.facebook.com's `/{page-id}/messages` with
 * `appsecret_proof`: the Graph API client chooses), with the account's
 * access from the in-memory credentials cache. A public reply to a comment
 * goes to `POST /{comment-id}/replies` instead.
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
    if (commentReplyKindOf(message) === 'public') {
      // The account's public reply under a comment: a comment of its own, whose id stands in for a mid.
      const reply = await this.graph.replyToComment(access, message.commentId!, message.text ?? '');
      return { mid: reply.id };
    }
    const result = await this.graph.sendMessage(access, buildSendApiRequest(message));
    return { mid: result.messageId };
  }
}
