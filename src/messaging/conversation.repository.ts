import type { Page } from '@common';
import type { Conversation, ConversationSummary } from './conversation';

export interface ConversationActivity {
  at: Date;
  /** The customer's own message: the messaging window runs from it. */
  fromParticipant: boolean;
}

/** Conversations, every operation scoped to one account. */
export abstract class ConversationRepository {
  /**
   * The conversation of (account, participant), created on first contact
   * (safe under concurrent calls), for an event of it: a conversation it
   * creates already carries the event's time (and window start), sparing the
   * update that `updateLastMessageTime` would otherwise make.
   */
  abstract getOrStart(
    accountId: string,
    participantId: string,
    activity: ConversationActivity,
  ): Promise<{ conversation: Conversation; created: boolean }>;
  abstract getById(accountId: string, conversationId: string): Promise<Conversation | null>;
  abstract getByParticipant(accountId: string, participantId: string): Promise<Conversation | null>;
  /** Moves the last-message time (and, for the customer's messages, the window start) forward, never back. */
  abstract updateLastMessageTime(
    accountId: string,
    conversationId: string,
    at: Date,
    fromParticipant: boolean,
  ): Promise<void>;
  abstract setAutomationPausedUntil(accountId: string, conversationId: string, until: Date | null): Promise<void>;
  /** Newest activity first, with the participant's username and name where known. */
  abstract list(accountId: string, limit: number, cursor: string | null): Promise<Page<ConversationSummary>>;
}
