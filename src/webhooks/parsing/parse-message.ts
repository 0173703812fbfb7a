import type {
  JsonObject,
  MessageDeletedEvent,
  MessageEvent,
  MessagingEventBase,
  ReplyTarget,
  UnknownEvent,
} from '@messaging';
import { ownField, readFlag, readMid, readObject, readString, toId } from './json-values';
import { parseAttachments } from './parse-attachments';
import { parseReferral } from './parse-referral';

/** A `message` item: a new message, an echo of the account's own, or the notice that one was unsent. */
export function parseMessage(
  message: JsonObject,
  base: MessagingEventBase,
): MessageEvent | MessageDeletedEvent | UnknownEvent {
  const mid = readMid(message, 'mid');
  if (mid === null) return { kind: 'unknown', ...base, reason: 'message without a valid mid' };
  if (readFlag(message, 'is_deleted')) return { kind: 'message_deleted', ...base, mid };
  const referral = readObject(message, 'referral');
  return {
    kind: 'message',
    ...base,
    mid,
    text: readString(message, 'text'),
    attachments: parseAttachments(ownField(message, 'attachments')),
    isEcho: readFlag(message, 'is_echo'),
    isUnsupported: readFlag(message, 'is_unsupported'),
    replyTo: parseReplyTarget(readObject(message, 'reply_to')),
    quickReplyPayload: readQuickReplyPayload(message),
    referral: referral === null ? null : parseReferral(referral),
  };
}

/** `reply_to.story` for a reply to the account's story, `reply_to.mid` for a quoted message. */
function parseReplyTarget(replyTo: JsonObject | null): ReplyTarget | null {
  if (replyTo === null) return null;
  const story = readObject(replyTo, 'story');
  if (story !== null) return { type: 'story', storyId: toId(ownField(story, 'id')), url: readString(story, 'url') };
  const mid = readMid(replyTo, 'mid');
  return mid === null ? null : { type: 'message', mid };
}

function readQuickReplyPayload(message: JsonObject): string | null {
  const quickReply = readObject(message, 'quick_reply');
  return quickReply === null ? null : readString(quickReply, 'payload');
}
