import type { InstagramEvent } from './instagram-event';

/**
 * The customer (IGSID) an event is about, which names its conversation. On
 * the account's own events (echoes, its reactions or read receipts) the
 * account is the sender and the customer the recipient. Null when the event
 * names no customer.
 */
export function participantId(event: InstagramEvent, accountId: string): string | null {
  if (event.kind === 'message' && event.isEcho) return event.recipientId;
  if (event.senderId === accountId) return event.recipientId === accountId ? null : event.recipientId;
  return event.senderId;
}
