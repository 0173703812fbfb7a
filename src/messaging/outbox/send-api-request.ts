import type { SendApiRequest } from '@graph-api';
import type { Message } from '../message';
import { HUMAN_AGENT_TAG } from './messaging-window';

/**
 * The Send API body for one outbox row, shaped as Meta's samples
 * (meta-fixtures/send-api-request-*.json): `{recipient, message}`, with
 * `messaging_type: MESSAGE_TAG` and `tag` for a HUMAN_AGENT reply,
 * `messaging_type: RESPONSE` beside quick replies as Meta's sample has it,
 * `reply_to: {mid}` for a quote reply (the Send API's own field, beside `message`);
 * a private reply to a comment goes to `recipient.comment_id`.
 */
export function buildSendApiRequest(
  message: Pick<Message, 'id' | 'recipientId' | 'text' | 'payload' | 'tag'> &
    Partial<Pick<Message, 'commentId' | 'metadata'>>,
): SendApiRequest {
  if (!message.recipientId) throw new Error(`outbox message ${message.id} has no recipient`);
  const content = message.payload ?? { text: message.text ?? '' };
  // A private reply is addressed to the comment (send-api-request-private-reply.json), not to the person.
  const request: SendApiRequest = {
    recipient: message.commentId ? { comment_id: message.commentId } : { id: message.recipientId },
  };
  if (message.tag === HUMAN_AGENT_TAG) {
    request.messaging_type = 'MESSAGE_TAG';
    request.tag = HUMAN_AGENT_TAG;
  } else if ('quick_replies' in content) {
    request.messaging_type = 'RESPONSE';
  }
  request.message = content;
  const replyToMid = message.metadata?.replyToMid;
  if (typeof replyToMid === 'string') request.reply_to = { mid: replyToMid };
  return request;
}
