import { MESSAGING_WINDOW_MS } from '../conversation';
import type { MessageOrigin } from '../message';

/** The one message tag this service sends: a person's reply after the 24-hour window. */
export const HUMAN_AGENT_TAG = 'HUMAN_AGENT';
export type MessageTag = typeof HUMAN_AGENT_TAG;

/** How long after the person's last message a human agent may still answer with the tag. */
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

export interface OutgoingMessage {
  origin: MessageOrigin | null;
  tag: string | null;
}

/**
 * Why Meta would refuse to deliver this message now, or null when it may be
 * sent. Windows run from Meta's timestamp of the person's last message:
 * 24 hours for everything, 7 days for a message a person wrote and tagged
 * HUMAN_AGENT; an automatic message is never tagged.
 */
export function windowRefusal(lastInboundAt: Date | null, message: OutgoingMessage, now: Date): string | null {
  if (lastInboundAt === null) {
    return 'the person has not messaged this account yet: Meta allows messages only within 24 hours of their last message';
  }
  const standardEnd = new Date(lastInboundAt.getTime() + MESSAGING_WINDOW_MS);
  if (now < standardEnd) return null;
  const humanAgentEnd = new Date(lastInboundAt.getTime() + HUMAN_AGENT_WINDOW_MS);
  const humanWritten = message.origin === 'operator';
  if (humanWritten && message.tag === HUMAN_AGENT_TAG && now < humanAgentEnd) return null;
  const closed = `the 24-hour messaging window closed at ${standardEnd.toISOString()}`;
  if (!humanWritten) return `${closed}; automatic messages are not sent after it`;
  if (now < humanAgentEnd) {
    return `${closed}; a message written by a person may still be sent with tag ${HUMAN_AGENT_TAG} until ${humanAgentEnd.toISOString()}`;
  }
  return `${closed}, and the 7-day window of the ${HUMAN_AGENT_TAG} tag at ${humanAgentEnd.toISOString()}`;
}

/** How long after a comment Meta accepts a private reply to it. */
export const PRIVATE_REPLY_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Why a private reply to a comment must not be sent now, or null. It runs
 * from the comment's own time, not from a Direct Message: a private reply
 * neither needs nor opens the 24-hour window.
 */
export function privateReplyRefusal(commentedAt: Date | null, now: Date): string | null {
  if (commentedAt === null)
    return 'the time of the comment is unknown, so the 7 days for a private reply cannot be told';
  const end = new Date(commentedAt.getTime() + PRIVATE_REPLY_WINDOW_MS);
  if (now < end) return null;
  return `Meta accepts a private reply only within 7 days of the comment, which ended at ${end.toISOString()}`;
}
