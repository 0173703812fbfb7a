import type { Attachment, Message } from '../message';
import type { NoReplyReason } from '../replies/auto-reply-policy';
import type { InboundRow } from './intake-plan';

/** A customer's message the batch has just inserted, as it now stands in the database. */
export function insertedInboundMessage(
  row: InboundRow & { conversationId: string },
  noReplyReason: NoReplyReason | null,
  now: Date,
): Message {
  return {
    id: row.id,
    accountId: row.accountId,
    conversationId: row.conversationId,
    direction: 'inbound',
    type: row.type,
    text: row.text,
    mid: row.mid,
    senderId: row.senderId,
    recipientId: row.recipientId,
    attachments: row.attachments === null ? [] : (JSON.parse(row.attachments) as Attachment[]),
    metadata: row.metadata === null ? null : (JSON.parse(row.metadata) as Record<string, unknown>),
    timestamp: row.occurredAt,
    isEcho: false,
    isStandby: row.isStandby,
    source: row.source,
    deletedAt: null,
    editedAt: null,
    reaction: null,
    ourReaction: null,
    seenAt: null,
    noReplyReason,
    status: null,
    origin: null,
    ruleId: null,
    replyToMessageId: null,
    commentId: null,
    partIndex: 0,
    tag: null,
    payload: null,
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    lastErrorCode: null,
    lastErrorSubcode: null,
    sentAt: null,
    deliveredAt: null,
    createdAt: now,
  };
}
