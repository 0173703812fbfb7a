/**
 * The two ways Meta connects an Instagram professional account to an app:
 * Instagram Login (an Instagram user token, graph.instagram.com) and Facebook
 * Login (a Page access token of the Facebook Page linked to the account,
 * graph.facebook.com). One Meta app uses one of them.
 */
export const LOGIN_TYPES = ['instagram', 'facebook'] as const;
export type LoginType = (typeof LOGIN_TYPES)[number];

/**
 * What one account's calls are made with, which also decides where they go:
 * an Instagram user token, sent to `GRAPH_API_BASE_URL` and addressing the
 * account as `me`; or a Page token, sent to `FACEBOOK_GRAPH_API_BASE_URL`,
 * addressing the account as its Page and proving each call with
 * `appsecret_proof`, for which the app secret is needed.
 */
export type GraphAccess =
  | { loginType: 'instagram'; accessToken: string }
  | { loginType: 'facebook'; accessToken: string; appSecret: string; pageId: string };

/**
 * The fields this app subscribes each account to: everything the service
 * handles, from Direct Messages (messages, postbacks, seen, reactions,
 * referrals, edits) and from the account's media (comments, live comments).
 */
export const WEBHOOK_FIELDS = [
  'messages',
  'messaging_postbacks',
  'messaging_seen',
  'message_reactions',
  'messaging_referral',
  'message_edit',
  'comments',
  'live_comments',
] as const;

/** Fields Meta subscribes only with the `instagram_business_manage_comments` permission. */
export const COMMENT_WEBHOOK_FIELDS: readonly string[] = ['comments', 'live_comments', 'mentions'];

/**
 * The same, as a Page's webhook fields, which is how Facebook Login
 * subscribes (`POST /{page-id}/subscribed_apps`): the Page edge knows
 * `message_reads` and `messaging_referrals` rather than Instagram's
 * `messaging_seen` and `messaging_referral`. Meta then sends the Instagram
 * fields the app subscribes to in the App Dashboard.
 */
export const PAGE_WEBHOOK_FIELDS = [
  'messages',
  'messaging_postbacks',
  'message_reads',
  'message_reactions',
  'messaging_referrals',
] as const;

/**
 * The Instagram professional account that an access reaches: `GET /me` with
 * an Instagram user token, the Page's `instagram_business_account` with a
 * Page token. `userId` is what webhooks carry as `entry[].id`; null when the
 * Page has no Instagram account linked. Meta names the username only for
 * Instagram Login.
 */
export interface ConnectedAccount {
  userId: string | null;
  username: string | null;
}

/** What Meta fetches by URL and sends as a message's attachment. */
export const MEDIA_TYPES = ['image', 'video', 'audio', 'file'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

/** Media Meta counts against its slower per-account rate (10 calls per second, not 100). */
export const SLOW_MEDIA_TYPES: readonly MediaType[] = ['audio', 'video'];

/** The stickers the Send API takes as an attachment type. */
export const STICKERS = ['like_heart'] as const;
export type Sticker = (typeof STICKERS)[number];

/**
 * The reactions the Send API's `react` sender action takes on Instagram: Meta's Instagram pages name
 * only `love` (Messenger takes any emoji, Instagram does not).
 */
export const REACTIONS = ['love'] as const;
export type Reaction = (typeof REACTIONS)[number];

/** What a conversation can be shown at once, outside any message. */
export const SENDER_ACTIONS = ['typing_on', 'typing_off', 'mark_seen'] as const;
export type SenderAction = (typeof SENDER_ACTIONS)[number];

/**
 * A Send API body, passed to Meta as given (`recipient` plus `message`, or a
 * `sender_action`); building it is the sender's job.
 */
export interface SendApiRequest {
  recipient: { id: string } | { comment_id: string };
  message?: Record<string, unknown>;
  sender_action?: string;
  payload?: Record<string, unknown>;
  messaging_type?: string;
  tag?: string;
  /** A quote reply: the message it answers. */
  reply_to?: { mid: string };
}

export interface SendApiResult {
  recipientId: string;
  /** Meta's `mid` of the sent message; null for sender actions, which answer without one. */
  messageId: string | null;
}

/** `GET /{IGSID}`; Meta leaves out what the person does not share. */
export interface UserProfile {
  igsid: string;
  username: string | null;
  name: string | null;
  profilePic: string | null;
}

/** One conversation of `GET /me/conversations`: Meta's id and when it last changed. */
export interface ConversationSummary {
  id: string;
  updatedTime: Date | null;
}

/** A page of the account's conversations, newest activity first; `after` reads the next one (null: the last). */
export interface ConversationPage {
  conversations: ConversationSummary[];
  after: string | null;
}

/** A message as a conversation lists it: its id and time, no more. */
export interface ConversationMessageRef {
  id: string;
  createdTime: Date | null;
}

/** `GET /{message-id}`: a message of a conversation, in either direction. */
export interface ConversationMessage {
  id: string;
  createdTime: Date | null;
  fromId: string | null;
  toIds: string[];
  text: string | null;
  /** As Meta lists them (`image_data`, `video_data`, `file_url`, ...). */
  attachments: Array<Record<string, unknown>>;
  /** The mid the message answers, when it is a reply. */
  replyToMid: string | null;
}

export interface RefreshedToken {
  accessToken: string;
  expiresAt: Date;
}

/**
 * Meta's Graph API as the rest of the service uses it. Every call takes the
 * account's own access, and goes where that account's login type says (the
 * caller never chooses a host or a path); a refused or failed call throws a
 * `GraphApiError` that says what to do about it (retry, back off, mark the
 * token invalid, give up).
 */
export abstract class GraphApi {
  abstract getConnectedAccount(access: GraphAccess): Promise<ConnectedAccount>;

  /**
   * Subscribes the account to this app's webhooks, to `fields` or to the
   * fields the service handles for its login type; answers the fields now subscribed.
   */
  abstract subscribeApp(access: GraphAccess, fields?: readonly string[]): Promise<readonly string[]>;

  abstract sendMessage(access: GraphAccess, body: SendApiRequest): Promise<SendApiResult>;

  /** Posts `text` as the account's public reply under a comment (`POST /{comment-id}/replies`); answers the reply's id. */
  abstract replyToComment(access: GraphAccess, commentId: string, text: string): Promise<{ id: string }>;
  /**
   * Sets the fields of the account's Messenger Profile that `profile` carries
   * (`ice_breakers`, `persistent_menu`, in Meta's shape); `platform=instagram` is added.
   */
  abstract setMessengerProfile(access: GraphAccess, profile: Record<string, unknown>): Promise<void>;

  /** Removes these fields of the account's Messenger Profile (`ice_breakers`, `persistent_menu`). */
  abstract deleteMessengerProfileFields(access: GraphAccess, fields: readonly string[]): Promise<void>;

  /** `timeoutMs` bounds a lookup a caller waits for (the default is the client's own timeout). */
  abstract getUserProfile(access: GraphAccess, igsid: string, options?: { timeoutMs?: number }): Promise<UserProfile>;

  /**
   * Exchanges a long-lived Instagram user token (at least 24 hours old, not
   * expired) for a fresh 60-day one. Page tokens have no such refresh.
   */
  abstract refreshToken(accessToken: string): Promise<RefreshedToken>;

  /** `GET /me/conversations?platform=instagram`, one page (`after`: the cursor of the previous page). */
  abstract listConversations(access: GraphAccess, after: string | null): Promise<ConversationPage>;

  /** `GET /{conversation-id}?fields=messages`: the conversation's messages, newest first. */
  abstract listConversationMessages(access: GraphAccess, conversationId: string): Promise<ConversationMessageRef[]>;

  /**
   * `GET /{message-id}?fields=...`. Meta answers only for the 20 most recent
   * messages of a conversation; older ones are refused (`permanent`).
   */
  abstract getConversationMessage(access: GraphAccess, messageId: string): Promise<ConversationMessage>;
}
