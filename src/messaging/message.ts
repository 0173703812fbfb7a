import type { NoReplyReason } from './replies/auto-reply-policy';

// Each enumeration once, as a list the DTOs and the document reuse, and its type.
export const MESSAGE_DIRECTIONS = ['inbound', 'outbound'] as const;
export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number];

export const MESSAGE_TYPES = [
  'text',
  'attachment',
  'reaction',
  'postback',
  'seen',
  'story_reply',
  'story_mention',
  'share',
  'referral',
  'comment',
  'mention',
  'deleted',
  'unsupported',
  'template',
  'other',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export const OUTBOUND_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'failed'] as const;
export type OutboundStatus = (typeof OUTBOUND_STATUSES)[number];

/** Who wrote an outbound message: a rule, the account's fallback, an operator through the API or CLI, or a person in the Instagram app. */
export const MESSAGE_ORIGINS = ['rule', 'fallback', 'operator', 'app'] as const;
export type MessageOrigin = (typeof MESSAGE_ORIGINS)[number];

/** How a message came: a webhook, a backfill through the Conversations API, a replay of a kept delivery, or the service's own API (replies, operators). */
export const MESSAGE_SOURCES = ['webhook', 'backfill', 'replay', 'api'] as const;
export type MessageSource = (typeof MESSAGE_SOURCES)[number];

export interface Attachment {
  type: string;
  payload: Record<string, unknown>;
}

/** A message of a conversation, in either direction. Outbound messages carry their delivery state. */
export interface Message {
  id: string;
  accountId: string;
  conversationId: string;
  direction: MessageDirection;
  type: MessageType;
  text: string | null;
  /** Meta's id; null until an outbound message is sent. */
  mid: string | null;
  senderId: string | null;
  recipientId: string | null;
  attachments: Attachment[];
  metadata: Record<string, unknown> | null;
  /** Meta's timestamp for inbound messages; when it was queued for outbound ones. */
  timestamp: Date;
  isEcho: boolean;
  isStandby: boolean;
  source: MessageSource;
  deletedAt: Date | null;
  editedAt: Date | null;
  reaction: string | null;
  /** The reaction this account put on a customer's message (`PUT .../reaction`); null when none. */
  ourReaction: string | null;
  seenAt: Date | null;
  /** Why a customer's message got no automatic reply before any rule was looked at; null otherwise. */
  noReplyReason: NoReplyReason | null;
  status: OutboundStatus | null;
  origin: MessageOrigin | null;
  ruleId: string | null;
  replyToMessageId: string | null;
  /**
   * Meta's id of the comment: on a customer's comment (and mention), on the
   * private reply sent to it, and on the account's public reply under it.
   */
  commentId: string | null;
  /** The part's position when a long text was split into several messages (0 for the first or only one). */
  partIndex: number;
  tag: string | null;
  payload: Record<string, unknown> | null;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  lastErrorCode: number | null;
  lastErrorSubcode: number | null;
  sentAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

export type NewInboundMessage = Pick<Message, 'accountId' | 'conversationId' | 'type' | 'text' | 'timestamp'> &
  Partial<
    Pick<
      Message,
      | 'mid'
      | 'senderId'
      | 'recipientId'
      | 'attachments'
      | 'metadata'
      | 'isEcho'
      | 'isStandby'
      | 'deletedAt'
      | 'editedAt'
    >
  > & {
    /** Meta's `num_edit` when the message is first stored from an edit. */
    editCount?: number | null;
    direction: MessageDirection;
    /** Deterministic id for events that have no mid of their own (reactions, seen receipts). */
    eventKey?: string | null;
    commentId?: string | null;
    origin?: MessageOrigin | null;
    status?: OutboundStatus | null;
    /** `webhook` unless said otherwise. */
    source?: MessageSource;
  };

/** A customer's edit of one of their messages. */
export interface MessageEdit {
  text: string | null;
  /** Meta's time of the edit. */
  at: Date;
  /** Meta's `num_edit`: how many times the message has been edited, this edit included. */
  editCount: number | null;
}

/** Whether an edit changed the message, was older than what is stored, or found no message to edit. */
export type EditOutcome = 'applied' | 'stale' | 'no_message';

export interface NewOutboundMessage {
  accountId: string;
  conversationId: string;
  recipientId: string;
  text: string | null;
  type: MessageType;
  origin: MessageOrigin;
  ruleId?: string | null;
  /** The inbound message an automatic reply answers: at most one reply each, by a unique key. */
  replyToMessageId?: string | null;
  partIndex?: number;
  tag?: string | null;
  payload?: Record<string, unknown> | null;
  /** A reply to this comment: private (type `text`, through the Send API) or public (type `comment`). */
  commentId?: string | null;
  /** Media sent by URL, shown in the history like a customer's. */
  attachments?: Attachment[];
  /** `replyToMid`: the message a text quote-replies to. */
  metadata?: Record<string, unknown> | null;
}
