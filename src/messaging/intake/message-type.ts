import type { MessageEvent } from './events/instagram-event';
import type { MessageType } from '../message';

const SHARE_TYPES = new Set(['share', 'ig_post', 'ig_reel', 'reel']);

/** What kind of message a customer sent, in the product's vocabulary. */
export function messageTypeOf(event: MessageEvent): MessageType {
  if (event.isUnsupported) return 'unsupported';
  if (event.replyTo?.type === 'story') return 'story_reply';
  if (event.attachments.some((a) => a.type === 'story_mention')) return 'story_mention';
  if (event.attachments.some((a) => SHARE_TYPES.has(a.type))) return 'share';
  if (event.attachments.length > 0) return 'attachment';
  return 'text';
}
