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

/** `GET /me?fields=user_id,username`: `userId` is what webhooks carry as `entry[].id`. */
export interface GraphMe {
  userId: string;
  username: string;
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

export interface RefreshedToken {
  accessToken: string;
  expiresAt: Date;
}

/**
 * Meta's Graph API as the rest of the service uses it. Every call takes the
 * account's own access token; a refused or failed call throws a
 * `GraphApiError` that says what to do about it (retry, back off, mark the
 * token invalid, give up).
 */
export abstract class GraphApi {
  abstract getMe(accessToken: string): Promise<GraphMe>;

  /** Subscribes the token's account to this app's webhooks; answers the fields now subscribed. */
  abstract subscribeApp(accessToken: string): Promise<readonly string[]>;

  abstract sendMessage(accessToken: string, body: SendApiRequest): Promise<SendApiResult>;

  /** `timeoutMs` bounds a lookup a caller waits for (the default is the client's own timeout). */
  abstract getUserProfile(accessToken: string, igsid: string, options?: { timeoutMs?: number }): Promise<UserProfile>;

  /** Exchanges a long-lived token (at least 24 hours old, not expired) for a fresh 60-day one. */
  abstract refreshToken(accessToken: string): Promise<RefreshedToken>;
}
