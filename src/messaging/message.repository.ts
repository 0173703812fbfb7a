import type { Page } from '@common';
import type { EditOutcome, Message, MessageEdit, NewInboundMessage, NewOutboundMessage } from './message';

/** Messages, every operation scoped to one account. */
export abstract class MessageRepository {
  /** Stores an event-borne message; null when it is already stored (same mid or event key for the account). */
  abstract create(message: NewInboundMessage): Promise<Message | null>;
  /** Queues an outbound message; null when this automatic reply already exists. */
  abstract enqueue(message: NewOutboundMessage): Promise<Message | null>;
  abstract getById(accountId: string, messageId: string): Promise<Message | null>;
  abstract getByMid(accountId: string, mid: string): Promise<Message | null>;
  /** Which of these mids the account has stored. */
  abstract storedMids(accountId: string, mids: string[]): Promise<Set<string>>;
  /** The conversation in timestamp order. */
  abstract getConversationHistory(
    accountId: string,
    conversationId: string,
    limit: number,
    cursor: string | null,
  ): Promise<Page<Message>>;
  abstract markDeleted(accountId: string, mid: string, at: Date): Promise<boolean>;
  /** Applies an edit unless the stored text is from a newer one (Meta's time, then its edit count). */
  abstract applyEdit(accountId: string, mid: string, edit: MessageEdit): Promise<EditOutcome>;
  /** Sets the message's reaction (null: removed) unless a newer reaction or unreaction was applied; false when not applied. */
  abstract setReaction(accountId: string, mid: string, reaction: string | null, at: Date): Promise<boolean>;
  /** Records the reaction this account put on one of its messages (null: removed); false when there is no such message. */
  abstract setOurReaction(accountId: string, messageId: string, reaction: string | null): Promise<boolean>;
  abstract markSeen(accountId: string, mid: string, at: Date): Promise<boolean>;
  /** Marks the outbound message Meta echoed back delivered; false when no message of ours has that mid. */
  abstract markDelivered(accountId: string, mid: string, at: Date): Promise<boolean>;
  /** Deletes an echo stored as typed in the Instagram app (origin `app`); false when the message is not one. */
  abstract deleteAppEcho(accountId: string, messageId: string): Promise<boolean>;
  /**
   * The oldest echo stored as typed in the Instagram app (its mid matched no
   * message of ours) in the conversation, with exactly this text, from `since` on.
   */
  abstract findAppEcho(accountId: string, conversationId: string, text: string, since: Date): Promise<Message | null>;
  /** When the latest message a person typed in the Instagram app was stored, outside standby; null if none. */
  abstract lastAppMessageStoredAt(accountId: string, conversationId: string): Promise<Date | null>;
}
