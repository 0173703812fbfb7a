import { isAutomationPaused, MESSAGING_WINDOW_MS } from '../conversation';

/**
 * At most this many automatic replies per conversation within the window:
 * another bot (or another account on this gateway) answering every reply
 * with one of its own would otherwise ping-pong until Meta rate-limits the
 * account and real customers are starved.
 */
export interface AutoReplyCap {
  replies: number;
  windowMs: number;
}

export const DEFAULT_AUTO_REPLY_CAP: AutoReplyCap = { replies: 5, windowMs: 10 * 60_000 };

/** The account's own cap, where it has one. */
export function autoReplyCapOf(account: {
  autoReplyLimit: number | null;
  autoReplyLimitMinutes: number | null;
}): AutoReplyCap {
  return {
    replies: account.autoReplyLimit ?? DEFAULT_AUTO_REPLY_CAP.replies,
    windowMs:
      account.autoReplyLimitMinutes === null ? DEFAULT_AUTO_REPLY_CAP.windowMs : account.autoReplyLimitMinutes * 60_000,
  };
}

/** Why a customer's new message gets no automatic reply, before any rule is looked at. */
export const NO_REPLY_REASONS = ['automation_paused', 'window_closed', 'auto_reply_limit'] as const;
export type NoReplyReason = (typeof NO_REPLY_REASONS)[number];

export function reasonNotToReply(
  conversation: { automationPausedUntil: Date | null },
  messageAt: Date,
  now: Date,
  repliesInWindow: number,
  cap: AutoReplyCap = DEFAULT_AUTO_REPLY_CAP,
): NoReplyReason | null {
  if (isAutomationPaused(conversation, now)) return 'automation_paused';
  // A late redelivery of an old message: Meta would refuse an automatic message outside the window.
  if (now.getTime() - messageAt.getTime() >= MESSAGING_WINDOW_MS) return 'window_closed';
  if (repliesInWindow >= cap.replies) return 'auto_reply_limit';
  return null;
}

export const NO_REPLY_EXPLANATIONS: Record<NoReplyReason, string> = {
  automation_paused: 'automation is paused in this conversation',
  window_closed: 'the 24-hour window has closed',
  auto_reply_limit: 'the conversation reached its limit of automatic replies; a loop with another bot is likely',
};
