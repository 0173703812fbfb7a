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
 * stores from Direct Messages (messages, postbacks, seen, reactions, referrals).
 */
export const WEBHOOK_FIELDS = [
  'messages',
  'messaging_postbacks',
  'messaging_seen',
  'message_reactions',
  'messaging_referral',
] as const;

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

  /** Subscribes the account to this app's webhooks; answers the fields now subscribed. */
  abstract subscribeApp(access: GraphAccess): Promise<readonly string[]>;

  abstract sendMessage(access: GraphAccess, body: SendApiRequest): Promise<SendApiResult>;

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
