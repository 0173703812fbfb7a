import type { InstagramBusinessAccount } from '@accounts';
import type { ConversationMessage } from '@graph-api';
import type { MessageAttachment, MessageEvent } from '../intake/events/instagram-event';

/** The attachment kinds of the Conversations API, as the webhook names them. */
const ATTACHMENT_KINDS: Array<[key: string, type: string]> = [
  ['image_data', 'image'],
  ['video_data', 'video'],
  ['audio_data', 'audio'],
];

function attachmentOf(item: Record<string, unknown>): MessageAttachment {
  for (const [key, type] of ATTACHMENT_KINDS) {
    const data = item[key];
    if (data && typeof data === 'object') return { type, payload: data as Record<string, unknown> };
  }
  const url = item.file_url ?? item.url;
  return { type: 'file', payload: typeof url === 'string' ? { url } : { ...item } };
}

/**
 * A message the Conversations API gave, as the webhook event that would
 * have brought it: the customer's message, or, when it is from the account
 * itself, its echo. `null` when Meta did not say who wrote it or to whom.
 */
export function conversationMessageEvent(
  account: InstagramBusinessAccount,
  message: ConversationMessage,
  fallbackTime: Date,
): MessageEvent | null {
  const fromAccount = message.fromId === account.igUserId;
  const participant = fromAccount ? message.toIds.find((id) => id !== account.igUserId) : message.fromId;
  if (!participant) return null;
  return {
    kind: 'message',
    mid: message.id,
    text: message.text,
    attachments: message.attachments.map(attachmentOf),
    isEcho: fromAccount,
    isUnsupported: false,
    replyTo: message.replyToMid === null ? null : { type: 'message', mid: message.replyToMid },
    quickReplyPayload: null,
    referral: null,
    senderId: fromAccount ? account.igUserId : participant,
    recipientId: fromAccount ? participant : account.igUserId,
    timestamp: message.createdTime ?? fallbackTime,
    standby: false,
    raw: message,
  };
}
