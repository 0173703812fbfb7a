import { createHmac } from 'node:crypto';
import type { AxiosRequestConfig } from 'axios';
import type { GraphAccess, LoginType } from './graph-api';
import { GraphApiError } from './graph-api-error';

/** The Graph API base URL (host and version) of each login type. */
export class GraphApiHosts implements Record<LoginType, string> {
  constructor(
    /** `GRAPH_API_BASE_URL/GRAPH_API_VERSION`: Instagram Login. */
    readonly instagram: string,
    /** `FACEBOOK_GRAPH_API_BASE_URL/GRAPH_API_VERSION`: Facebook Login. */
    readonly facebook: string,
  ) {}
}

/**
 * `appsecret_proof`: the HMAC-SHA256 of the access token keyed with the app
 * secret, in lowercase hex. Meta refuses a Page token's call without it when
 * the app requires it, so a token stolen without its app secret is useless.
 */
export function appSecretProof(accessToken: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(accessToken).digest('hex');
}

/** A Page id becomes a path segment: digits only, so it cannot address another object. */
const PAGE_ID = /^\d{1,32}$/;

/**
 * The node an account's own edges hang from (`/{node}/messages`,
 * `/{node}/subscribed_apps`), and how operation names spell it (metrics and
 * errors never carry the id itself): `me` for an Instagram user token, the
 * Page for a Page token.
 */
export function accountNode(access: GraphAccess): { path: string; name: string } {
  if (access.loginType === 'instagram') return { path: 'me', name: 'me' };
  if (!PAGE_ID.test(access.pageId)) {
    throw new GraphApiError({
      kind: 'permanent',
      operation: 'Facebook Login',
      reason: 'not a Page id (digits expected)',
    });
  }
  return { path: access.pageId, name: '{page-id}' };
}

/**
 * The request as the account makes it: to its login type's host, with its
 * token in the `Authorization` header (never in the URL), and for Facebook
 * Login with `appsecret_proof` beside the call's own parameters.
 */
export function asAccount(access: GraphAccess, hosts: GraphApiHosts, request: AxiosRequestConfig): AxiosRequestConfig {
  const proof =
    access.loginType === 'facebook' ? { appsecret_proof: appSecretProof(access.accessToken, access.appSecret) } : {};
  return {
    ...request,
    baseURL: hosts[access.loginType],
    headers: { ...request.headers, Authorization: `Bearer ${access.accessToken}` },
    params: { ...request.params, ...proof },
  };
}

/** What a call's errors must never show of its access: the token, and the app secret and the proof made with it. */
export function secretsOf(access: GraphAccess): string[] {
  return access.loginType === 'facebook'
    ? [access.accessToken, access.appSecret, appSecretProof(access.accessToken, access.appSecret)]
    : [access.accessToken];
}
