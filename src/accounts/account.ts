import type { GraphAccess, LoginType } from '@graph-api';

/** An Instagram professional account served by this gateway. Never carries a credential. */
export interface InstagramBusinessAccount {
  id: string;
  username: string;
  /** The Instagram professional account's id, whichever way it is connected: what webhooks carry as `entry[].id`. */
  igUserId: string;
  /** Instagram Login (an Instagram user token) or Facebook Login (the linked Page's token). */
  loginType: LoginType;
  /** The Facebook Page linked to the Instagram account, for Facebook Login; null for Instagram Login. */
  pageId: string | null;
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

/** How an account is connected to Meta: which login, and for Facebook Login which Page. */
export type AccountConnection = Pick<InstagramBusinessAccount, 'loginType' | 'pageId'>;

/**
 * What calling Meta as the account takes: its token, and for Facebook Login
 * its Page and the app secret that proves each call.
 * @throws Error when a Facebook Login account has no Page, which the accounts service never stores.
 */
export function graphAccessOf(connection: AccountConnection, credentials: AccountCredentials): GraphAccess {
  if (connection.loginType === 'instagram') return { loginType: 'instagram', accessToken: credentials.accessToken };
  if (connection.pageId === null) throw new Error('an account connected through Facebook Login has no pageId');
  return {
    loginType: 'facebook',
    accessToken: credentials.accessToken,
    appSecret: credentials.appSecret,
    pageId: connection.pageId,
  };
}

/**
 * Why a connection cannot be stored, per field, or null when it can: a Page
 * belongs to Facebook Login, and only to it. Both fields are named when a Page
 * is given for Instagram Login, since either may be the mistake.
 */
export function connectionProblems(connection: AccountConnection): Record<string, string> | null {
  if (connection.loginType === 'facebook' && connection.pageId === null) {
    return { pageId: 'pageId is required when loginType is facebook (the Page linked to the Instagram account)' };
  }
  if (connection.loginType === 'instagram' && connection.pageId !== null) {
    return {
      loginType: 'loginType must be facebook for an account with a pageId',
      pageId: 'pageId applies only to loginType facebook',
    };
  }
  return null;
}

/** Instagram usernames are case-insensitive and often written with '@': kept lower-case, without it. */
export function normalizeUsername(username: string): string {
  return username.trim().replace(/^@/, '').toLowerCase();
}
