import type { MessageSource } from '../message';

/**
 * A place where someone @mentioned the account: a comment, or a caption.
 * Meta's webhook says only where; who wrote it and what it says are read
 * from the Graph API (`mentioned_comment`, `mentioned_media`), so a mention
 * belongs to no conversation.
 */
export interface Mention {
  id: string;
  accountId: string;
  mediaId: string;
  /** Null for a mention in the caption of the media. */
  commentId: string | null;
  /** Meta's time of the change (the entry's, as mentions carry none of their own). */
  mentionedAt: Date;
  source: MessageSource;
  createdAt: Date;
}

/** The key a mention is kept once by: its comment, or for a caption its media. */
export function mentionKeyOf(mention: Pick<Mention, 'mediaId' | 'commentId'>): string {
  return mention.commentId === null ? `media:${mention.mediaId}` : `comment:${mention.commentId}`;
}
