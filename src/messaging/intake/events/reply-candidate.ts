import type { ChangeEvent, InstagramEvent, MessageEvent, PostbackEvent } from './instagram-event';

/**
 * Whether an event may deserve an automatic reply: a customer's new message
 * with text or a quick-reply tap, or a postback. Echoes are the account's own
 * words, and standby events belong to a thread another app controls, so
 * neither is ever answered. Rules, pauses and the messaging window decide the
 * rest.
 */
export function isReplyCandidate(event: InstagramEvent): event is MessageEvent | PostbackEvent {
  if (event.standby) return false;
  if (event.kind === 'postback') return true;
  if (event.kind !== 'message' || event.isEcho || event.isUnsupported) return false;
  return (event.text !== null && event.text.trim() !== '') || event.quickReplyPayload !== null;
}

/**
 * Whether a change is a comment that comment rules may answer with a private
 * reply: someone else's comment (the account's own are never answered), not
 * in standby.
 */
export function isAnswerableComment(accountIgUserId: string, event: ChangeEvent): boolean {
  return event.comment !== null && !event.standby && event.senderId !== null && event.senderId !== accountIgUserId;
}
