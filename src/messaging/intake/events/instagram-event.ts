/**
 * What one Meta Instagram webhook delivery says, as plain types. Field names
 * follow the product's vocabulary, not Meta's wire format; every event keeps
 * the item Meta sent in `raw`, so nothing is lost when a type is not modelled.
 */

/** A JSON object as JSON.parse produces it. */
export type JsonObject = Readonly<Record<string, unknown>>;

export interface ParsedDelivery {
  entries: ParsedEntry[];
}

export interface ParsedEntry {
  /** `entry[].id`: the Instagram professional account (`user_id` of `GET /me`) the entry is for. */
  entryId: string;
  /** `entry[].time`; null when Meta sent none. */
  time: Date | null;
  events: InstagramEvent[];
  /** The entry exactly as Meta sent it, for entries that no account may apply. */
  raw: JsonObject;
}

export type InstagramEvent =
  | MessageEvent
  | MessageDeletedEvent
  | MessageEditEvent
  | ReactionEvent
  | UnreactionEvent
  | PostbackEvent
  | ReferralEvent
  | SeenEvent
  | ChangeEvent
  | UnknownEvent;

export interface EventBase {
  /** Meta's time of the event. */
  timestamp: Date;
  /** Delivered in `entry[].standby`: another app controls the thread, so it is stored but never answered. */
  standby: boolean;
  /** The item exactly as Meta sent it. */
  raw: unknown;
}

/** Fields of every event from `entry[].messaging` or `entry[].standby`. */
export interface MessagingEventBase extends EventBase {
  senderId: string;
  recipientId: string;
}

export interface MessageEvent extends MessagingEventBase {
  kind: 'message';
  mid: string;
  text: string | null;
  attachments: MessageAttachment[];
  /** The account's own message (sent through the API or typed in the Instagram app). */
  isEcho: boolean;
  /** A message type the API cannot deliver; it has no content. */
  isUnsupported: boolean;
  replyTo: ReplyTarget | null;
  /** The payload of a tapped quick reply; `text` is then the button title. */
  quickReplyPayload: string | null;
  /** Present on the first message sent from a click-to-Instagram-Direct ad. */
  referral: Referral | null;
}

export interface MessageAttachment {
  /**
   * As Meta sent it: `image` (stickers too), `video`, `audio`, `file`, `share`,
   * `ig_post`, `ig_reel`, `reel`, `story_mention`, `ephemeral` (the media is
   * not available), or a type that did not exist when this was written.
   */
  type: string;
  /** As Meta sent it; `url` is a CDN link that expires. */
  payload: JsonObject | null;
}

export type ReplyTarget =
  { type: 'story'; storyId: string | null; url: string | null } | { type: 'message'; mid: string };

export interface Referral {
  ref: string | null;
  /** For example `ADS` or `SHORTLINKS`. */
  source: string | null;
  /** For example `OPEN_THREAD`. */
  type: string | null;
  adId: string | null;
  adsContextData: JsonObject | null;
  /** `product.id`: the shop product the conversation was started from. */
  productId: string | null;
}

/** The sender unsent a message; only its mid is left. */
export interface MessageDeletedEvent extends MessagingEventBase {
  kind: 'message_deleted';
  /** The mid of the message that was deleted. */
  mid: string;
}

export interface MessageEditEvent extends MessagingEventBase {
  kind: 'message_edit';
  /** The mid of the message that was edited. */
  mid: string;
  text: string | null;
  /** How many times the message has been edited, counting this edit. */
  editCount: number | null;
}

export interface ReactionEvent extends MessagingEventBase {
  kind: 'reaction';
  /** The mid of the message reacted to. */
  mid: string;
  /** Meta's name of the reaction, for example `love`. */
  reaction: string | null;
  emoji: string | null;
}

export interface UnreactionEvent extends MessagingEventBase {
  kind: 'unreaction';
  /** The mid of the message whose reaction was removed. */
  mid: string;
}

/** An icebreaker, persistent-menu or template button was tapped. */
export interface PostbackEvent extends MessagingEventBase {
  kind: 'postback';
  mid: string | null;
  title: string | null;
  payload: string | null;
  /** Present when the button was reached through an ig.me link. */
  referral: Referral | null;
}

/** An existing thread was reopened through an ig.me link or an ad. */
export interface ReferralEvent extends MessagingEventBase {
  kind: 'referral';
  referral: Referral;
}

export interface SeenEvent extends MessagingEventBase {
  kind: 'seen';
  /** The last message read. */
  mid: string | null;
}

/** An `entry[].changes` item, such as a comment on the account's post. */
export interface ChangeEvent extends EventBase {
  kind: 'change';
  /** Who caused the change (the commenter); null when the change names no one. */
  senderId: string | null;
  /** The account the entry is for. */
  recipientId: string;
  /** The subscribed field, for example `comments`. */
  field: string;
  value: unknown;
  /** The comment of a `comments` or `live_comments` change. */
  comment: ChangedComment | null;
  /** The account's @mention of a `mentions` change. */
  mention: ChangedMention | null;
}

/**
 * Someone @mentioned the account in a comment or in a caption. Meta says
 * neither who nor what: only where, to be read from the Graph API.
 */
export interface ChangedMention {
  /** The post or reel the mention is on. */
  mediaId: string;
  /** The comment that mentions the account; null for a mention in the caption. */
  commentId: string | null;
}

export interface ChangedComment {
  /** The `comment_id` a private reply is addressed to. */
  id: string;
  text: string | null;
  /** The post, reel or live video commented on. */
  mediaId: string | null;
  /** Meta's `media.media_product_type`, e.g. `FEED`, `REELS`, `LIVE`. */
  mediaProductType: string | null;
  /** The comment this one answers, for a reply in a comment thread. */
  parentId: string | null;
  /** The ad the comment was made on, for a comment on an ad. */
  adId: string | null;
  fromUsername: string | null;
}

/** An item this service does not model, or one too malformed to be what it claims to be. */
export interface UnknownEvent extends Omit<EventBase, 'timestamp'> {
  kind: 'unknown';
  senderId: string | null;
  recipientId: string | null;
  timestamp: Date | null;
  /** Why the item is not one of the modelled kinds, for the log. */
  reason: string;
}
