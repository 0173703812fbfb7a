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

/** Meta's standard messaging window. */
export const MESSAGING_WINDOW_MS = 24 * 60 * 60 * 1000;

export function windowExpiresAt(conversation: Pick<Conversation, 'lastInboundAt'>): Date | null {
  return conversation.lastInboundAt ? new Date(conversation.lastInboundAt.getTime() + MESSAGING_WINDOW_MS) : null;
}

export function isAutomationPaused(conversation: Pick<Conversation, 'automationPausedUntil'>, now: Date): boolean {
  return conversation.automationPausedUntil !== null && conversation.automationPausedUntil.getTime() > now.getTime();
}
