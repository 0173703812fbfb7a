/** An Instagram professional account served by this gateway. Never carries a credential. */
export interface InstagramBusinessAccount {
  id: string;
  username: string;
  /** The `user_id` of `GET /me`; what webhooks carry as `entry[].id`. */
  igUserId: string;
  displayName: string | null;
  fallbackResponse: string | null;
  /** Automatic replies one conversation may get within `autoReplyLimitMinutes`; null: the default (5). */
  autoReplyLimit: number | null;
  /** null: the default (10). */
  autoReplyLimitMinutes: number | null;
  isActive: boolean;
  tokenStatus: TokenStatus;
  tokenExpiresAt: Date | null;
  tokenRefreshedAt: Date | null;
  /** Bumped on every change of the account's rules, so replicas can refresh their caches cheaply. */
  rulesVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

export const TOKEN_STATUSES = ['unknown', 'valid', 'invalid'] as const;
export type TokenStatus = (typeof TOKEN_STATUSES)[number];

/** The account's secrets, decrypted in memory only for the callers that use them. */
export interface AccountCredentials {
  accessToken: string;
  appSecret: string;
  verifyToken: string;
}

/** Instagram usernames are case-insensitive and often written with '@': kept lower-case, without it. */
export function normalizeUsername(username: string): string {
  return username.trim().replace(/^@/, '').toLowerCase();
}
