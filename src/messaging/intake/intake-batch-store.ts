import type { NoReplyReason } from '../replies/auto-reply-policy';
import type { ConversationTouch, DeliveryRow, InboundRow, MentionRow, UnroutableRow } from './intake-plan';

/** A conversation of the batch as it stands once the batch's activity is applied. */
export interface BatchConversation {
  id: string;
  accountId: string;
  participantId: string;
  automationPausedUntil: Date | null;
  /** When its automatic replies (their first parts) queued since the batch's `repliesSince` were queued. */
  autoRepliedAt: Date[];
}

/** An automatic reply part to queue: its text keeps `{{username}}` and `{{name}}`, filled in when it is sent. */
export interface ReplyRow {
  id: string;
  accountId: string;
  conversationId: string;
  recipientId: string;
  text: string | null;
  /** `text`, or a Send API message in `payload` (a rule's template: buttons, cards, media). */
  type: 'text' | 'template' | 'attachment';
  /** JSON of the Send API `message` object, or null for a plain text. */
  payload: string | null;
  /** JSON of the media the history shows, or null. */
  attachments: string | null;
  origin: 'rule' | 'fallback';
  ruleId: string | null;
  replyToMessageId: string;
  partIndex: number;
}

/**
 * The set-based statements of one intake batch, run inside the caller's
 * transaction: each call is a fixed number of statements whatever the
 * number of rows, and each skips or merges what a unique key says exists.
 */
export abstract class IntakeBatchStore {
  /** The raw deliveries (one per digest) and the unroutable items, each kept once. */
  abstract recordDeliveries(deliveries: DeliveryRow[], unroutable: UnroutableRow[], now: Date): Promise<void>;

  /**
   * Creates the conversations that are new and moves the others' activity
   * times forward; answers all of them, with their automatic replies since
   * `repliesSince` (read in the same statement; none when it is null).
   */
  abstract touchConversations(
    touches: ConversationTouch[],
    now: Date,
    repliesSince: Date | null,
  ): Promise<BatchConversation[]>;

  /** Inserts the messages whose mid or event key is not stored yet; answers the ids of those it inserted. */
  abstract insertInbound(rows: Array<InboundRow & { conversationId: string }>, now: Date): Promise<Set<string>>;

  /** Inserts the mentions the account does not have yet; answers the ids of those it inserted. */
  abstract insertMentions(rows: MentionRow[], now: Date): Promise<Set<string>>;

  /** Records why these messages (by id) got no automatic reply. */
  abstract recordNoReplyReasons(reasons: Map<string, NoReplyReason>): Promise<void>;

  /** Queues the replies, skipping any part a message already has (a unique key on the message and part). */
  abstract queueReplies(replies: ReplyRow[], now: Date): Promise<void>;
}
