/** One thread between an account and one customer (IGSID). */
export interface Conversation {
  id: string;
  accountId: string;
  participantId: string;
  lastMessageAt: Date | null;
  /** Meta's timestamp of the customer's latest message; the messaging window runs from here. */
  lastInboundAt: Date | null;
  automationPausedUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A conversation with what the contacts table knows of its participant, for listing. */
export interface ConversationSummary extends Conversation {
  participantUsername: string | null;
  participantName: string | null;
}

/** "Until resumed": a pause with no end is stored as the latest time both databases hold. */
export const PAUSED_UNTIL_RESUMED = new Date('9999-12-31T23:59:59.000Z');

/** Meta's standard messaging window. */
export const MESSAGING_WINDOW_MS = 24 * 60 * 60 * 1000;

export function windowExpiresAt(conversation: Pick<Conversation, 'lastInboundAt'>): Date | null {
  return conversation.lastInboundAt ? new Date(conversation.lastInboundAt.getTime() + MESSAGING_WINDOW_MS) : null;
}

/** Paused with no end: until an operator resumes it. */
export function isPausedUntilResumed(conversation: Pick<Conversation, 'automationPausedUntil'>): boolean {
  return conversation.automationPausedUntil?.getTime() === PAUSED_UNTIL_RESUMED.getTime();
}

export function isAutomationPaused(conversation: Pick<Conversation, 'automationPausedUntil'>, now: Date): boolean {
  return conversation.automationPausedUntil !== null && conversation.automationPausedUntil.getTime() > now.getTime();
}
