import { randomBytes } from 'node:crypto';

/**
 * Webhook bodies of one messaging event, shaped like Meta's fixtures
 * (text-message.json, echo-message.json) but happening now (the fixtures are
 * older than the 24-hour window) and between whoever the test names.
 */
export interface MessagingEvent {
  /** The business account (`entry[].id`). */
  igUserId: string;
  /** The customer's IGSID. */
  customer: string;
  text: string;
  mid?: string;
  /** Meta's time of the event; now unless given. */
  timestamp?: number;
}

export const newMid = () => `test-mid-${randomBytes(12).toString('base64url')}`;

function delivery(igUserId: string, timestamp: number, item: Record<string, unknown>): string {
  return JSON.stringify({ object: 'instagram', entry: [{ time: timestamp + 500, id: igUserId, messaging: [item] }] });
}

/** The customer writes to the account. */
export function customerMessage({ igUserId, customer, text, mid = newMid(), timestamp = Date.now() }: MessagingEvent) {
  return delivery(igUserId, timestamp, {
    sender: { id: customer },
    recipient: { id: igUserId },
    timestamp,
    message: { mid, text },
  });
}

/** Meta echoes a message the account sent (through the API, or typed in the Instagram app). */
export function echoOf({ igUserId, customer, text, mid = newMid(), timestamp = Date.now() }: MessagingEvent) {
  return delivery(igUserId, timestamp, {
    sender: { id: igUserId },
    recipient: { id: customer },
    timestamp,
    message: { mid, text, is_echo: true },
  });
}

/** A comment (or live comment) on one of the account's media, as Meta's `comments` and `live_comments` fields send it. */
export interface CommentEvent {
  igUserId: string;
  /** The commenter's IGSID (`from.id`); the account's own id for its own comment. */
  from: string;
  text: string;
  commentId: string;
  mediaId: string;
  field?: 'comments' | 'live_comments';
  /** Epoch seconds, as `changes` carry them; now unless given. */
  timeSeconds?: number;
  parentId?: string;
  adId?: string;
}

/** A `changes` delivery shaped like comment-change.json (and live-comment-change.json for `live_comments`). */
export function commentChange({
  igUserId,
  from,
  text,
  commentId,
  mediaId,
  field = 'comments',
  timeSeconds = Math.floor(Date.now() / 1000),
  parentId,
  adId,
}: CommentEvent): string {
  const value: Record<string, unknown> = {
    from: { id: from, username: `user_${from.slice(-6)}` },
    media: { id: mediaId, media_product_type: field === 'live_comments' ? 'LIVE' : 'FEED' },
    id: commentId,
    text,
    ...(parentId ? { parent_id: parentId } : {}),
    ...(adId ? { ad_id: adId } : {}),
  };
  return JSON.stringify({
    object: 'instagram',
    entry: [{ id: igUserId, time: timeSeconds, changes: [{ field, value }] }],
  });
}

/** Someone @mentions the account in a comment on a post, or in its caption without `commentId`, as in mention-change.json. */
export function mentionChange({
  igUserId,
  mediaId,
  commentId,
  timeSeconds = Math.floor(Date.now() / 1000),
}: {
  igUserId: string;
  mediaId: string;
  commentId?: string;
  timeSeconds?: number;
}): string {
  const value = { media_id: mediaId, ...(commentId ? { comment_id: commentId } : {}) };
  return JSON.stringify({
    object: 'instagram',
    entry: [{ id: igUserId, time: timeSeconds, changes: [{ field: 'mentions', value }] }],
  });
}

/** The customer taps a postback button (ice breaker, persistent menu, template button), as in postback.json. */
export function postbackTap({
  igUserId,
  customer,
  title,
  payload,
  timestamp = Date.now(),
}: {
  igUserId: string;
  customer: string;
  title: string;
  payload: string;
  timestamp?: number;
}): string {
  return delivery(igUserId, timestamp, {
    sender: { id: customer },
    recipient: { id: igUserId },
    timestamp,
    postback: { mid: newMid(), title, payload },
  });
}

/** The customer taps a quick reply, as in quick-reply.json: `text` is its title. */
export function quickReplyTap({
  igUserId,
  customer,
  text,
  payload,
  timestamp = Date.now(),
}: MessagingEvent & { payload: string }) {
  return delivery(igUserId, timestamp, {
    sender: { id: customer },
    recipient: { id: igUserId },
    timestamp,
    message: { mid: newMid(), text, quick_reply: { payload } },
  });
}
