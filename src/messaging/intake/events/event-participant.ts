import type { InstagramEvent } from './instagram-event';

/**
 * The customer (IGSID) an event is about, which names its conversation: the
 * other party of an event between the account and one customer. On the
 * account's own events (echoes, its reactions or read receipts) the account
 * is the sender and the customer the recipient. Null when the event is not
 * between the account and someone else: it names no customer, neither party
 * is the account, or it is an echo that the account did not send. A
 * conversation's participant is never the account itself.
 */
export function participantId(event: InstagramEvent, accountId: string): string | null {
  const { senderId, recipientId } = event;
  if (senderId === accountId) return recipientId !== null && recipientId !== accountId ? recipientId : null;
  // Only the account sends echoes: one from anyone else is inconsistent.
  if (event.kind === 'message' && event.isEcho) return null;
  return recipientId === accountId ? senderId : null;
}
