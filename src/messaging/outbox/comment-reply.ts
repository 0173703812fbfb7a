import type { Message } from '../message';

/** A reply to a comment: private (through the Send API, to `comment_id`) or public (under the comment). */
export type CommentReplyKind = 'private' | 'public';

/** Whether an outbox message answers a comment, and how; null for every other message. */
export function commentReplyKindOf(message: Pick<Message, 'commentId' | 'type'>): CommentReplyKind | null {
  if (message.commentId === null) return null;
  return message.type === 'comment' ? 'public' : 'private';
}

/** When the comment a private reply answers was made, as the intake recorded it with the reply. */
export function commentedAtOf(message: Pick<Message, 'metadata'>): Date | null {
  const value = message.metadata?.commentedAt;
  if (typeof value !== 'string') return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}
