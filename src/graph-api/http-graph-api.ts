import { HttpService } from '@nestjs/axios';
import { Injectable } from '@nestjs/common';
import { type AxiosRequestConfig, isAxiosError } from 'axios';
import {
  GraphApi,
  type GraphMe,
  type RefreshedToken,
  type SendApiRequest,
  type SendApiResult,
  type UserProfile,
  WEBHOOK_FIELDS,
} from './graph-api';
import { Metrics } from '@metrics';
import { classifyMetaError, GraphApiError, type GraphErrorKind, retryAfterMsFromUsageHeaders } from './graph-api-error';

interface MetaErrorBody {
  error?: { message?: unknown; code?: unknown; error_subcode?: unknown; fbtrace_id?: unknown };
}

const MAX_REASON_LENGTH = 500;
/** Below this length a "secret" is not worth scrubbing: replacing it would mangle the message. */
const MIN_SCRUBBED_SECRET_LENGTH = 8;

const integerOrNull = (value: unknown): number | null => {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) ? number : null;
};

const stringOrNull = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function scrub(text: string, secret: string): string {
  const clean = secret.length >= MIN_SCRUBBED_SECRET_LENGTH ? text.split(secret).join('[redacted]') : text;
  return clean.length > MAX_REASON_LENGTH ? `${clean.slice(0, MAX_REASON_LENGTH)}…` : clean;
}

/**
 * Turns whatever axios threw into a `GraphApiError`. Axios errors carry the
 * request config (headers with the bearer token, the URL with a query token),
 * so nothing of them is kept: only Meta's code, subcode, message (with the
 * token scrubbed out) and trace id, or the network error's code.
 */
export function toGraphApiError(error: unknown, operation: string, secret: string): GraphApiError {
  if (!isAxiosError(error)) {
    const reason = error instanceof Error ? scrub(error.message, secret) : 'unexpected failure';
    return new GraphApiError({ kind: 'transient', operation, reason });
  }
  const response = error.response;
  if (!response) {
    const timedOut = error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT';
    const reason = timedOut
      ? `no answer within ${error.config?.timeout ?? '?'} ms`
      : `network error ${error.code ?? ''}`;
    return new GraphApiError({ kind: 'transient', operation, reason: reason.trim() });
  }
  const httpStatus = response.status;
  const retryAfterMs = retryAfterMsFromUsageHeaders(response.headers as Record<string, unknown>);
  const meta = (response.data as MetaErrorBody | undefined)?.error;
  const code = integerOrNull(meta?.code);
  if (meta && code !== null) {
    const subcode = integerOrNull(meta.error_subcode);
    return new GraphApiError({
      kind: classifyMetaError(code, subcode),
      operation,
      reason: scrub(stringOrNull(meta.message) ?? 'no message', secret),
      code,
      subcode,
      httpStatus,
      fbtraceId: stringOrNull(meta.fbtrace_id),
      retryAfterMs,
    });
  }
  // No Meta error body (a proxy or load balancer answered): the status is all there is.
  const kind: GraphErrorKind = httpStatus >= 500 ? 'transient' : httpStatus === 429 ? 'rate_limited' : 'permanent';
  return new GraphApiError({
    kind,
    operation,
    reason: `HTTP ${httpStatus} without a Graph API error`,
    httpStatus,
    retryAfterMs,
  });
}

/**
 * The Graph API over HTTP (axios, configured by `GraphApiModule`). The access
 * token travels in the `Authorization` header, except for the token refresh,
 * where Meta wants it in the query.
 */
@Injectable()
export class HttpGraphApi extends GraphApi {
  constructor(
    private readonly http: HttpService,
    private readonly metrics: Metrics,
  ) {
    super();
  }

  async getMe(accessToken: string): Promise<GraphMe> {
    const operation = 'GET /me';
    const data = await this.call<{ user_id?: unknown; username?: unknown }>(operation, accessToken, {
      method: 'GET',
      url: '/me',
      params: { fields: 'user_id,username' },
      headers: bearer(accessToken),
    });
    const userId = data.user_id;
    if (typeof userId !== 'string' && typeof userId !== 'number') throw unexpectedAnswer(operation, 'permanent');
    return { userId: String(userId), username: String(data.username ?? '') };
  }

  async subscribeApp(accessToken: string): Promise<readonly string[]> {
    const operation = 'POST /me/subscribed_apps';
    const data = await this.call<{ success?: unknown }>(operation, accessToken, {
      method: 'POST',
      url: '/me/subscribed_apps',
      params: { subscribed_fields: WEBHOOK_FIELDS.join(',') },
      headers: bearer(accessToken),
    });
    if (data.success !== true) throw unexpectedAnswer(operation, 'permanent');
    return WEBHOOK_FIELDS;
  }

  async sendMessage(accessToken: string, body: SendApiRequest): Promise<SendApiResult> {
    const operation = 'POST /me/messages';
    const data = await this.call<{ recipient_id?: unknown; message_id?: unknown }>(operation, accessToken, {
      method: 'POST',
      url: '/me/messages',
      data: body,
      headers: bearer(accessToken),
    });
    // A 2xx that does not look like a send: Meta may still have delivered it.
    if (typeof data.recipient_id !== 'string') throw unexpectedAnswer(operation, 'uncertain');
    return { recipientId: data.recipient_id, messageId: stringOrNull(data.message_id) };
  }

  async getUserProfile(accessToken: string, igsid: string, options: { timeoutMs?: number } = {}): Promise<UserProfile> {
    const operation = 'GET /{igsid}';
    // The IGSID becomes a path segment: refuse anything that could address another object.
    if (!/^\d{1,64}$/.test(igsid)) {
      throw new GraphApiError({ kind: 'permanent', operation, reason: 'not an IGSID (digits expected)' });
    }
    const data = await this.call<{ username?: unknown; name?: unknown; profile_pic?: unknown }>(
      operation,
      accessToken,
      {
        method: 'GET',
        url: `/${igsid}`,
        params: { fields: 'name,username,profile_pic' },
        headers: bearer(accessToken),
        ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
      },
    );
    return {
      igsid,
      username: stringOrNull(data.username),
      name: stringOrNull(data.name),
      profilePic: stringOrNull(data.profile_pic),
    };
  }

  async refreshToken(accessToken: string): Promise<RefreshedToken> {
    const operation = 'GET /refresh_access_token';
    const data = await this.call<{ access_token?: unknown; expires_in?: unknown }>(operation, accessToken, {
      method: 'GET',
      url: '/refresh_access_token',
      params: { grant_type: 'ig_refresh_token', access_token: accessToken },
    });
    const expiresIn = integerOrNull(data.expires_in);
    if (typeof data.access_token !== 'string' || expiresIn === null) throw unexpectedAnswer(operation, 'permanent');
    return { accessToken: data.access_token, expiresAt: new Date(Date.now() + expiresIn * 1000) };
  }

  /** Every call is timed by operation (`GET /{igsid}`, never the id itself) and outcome. */
  private async call<T>(operation: string, accessToken: string, request: AxiosRequestConfig): Promise<T> {
    const done = this.metrics.startGraphApiCall(operation);
    try {
      const { data } = await this.http.axiosRef.request<T>(request);
      done('ok');
      return data;
    } catch (error) {
      const failure = toGraphApiError(error, operation, accessToken);
      done(failure.kind);
      throw failure;
    }
  }
}

const bearer = (accessToken: string) => ({ Authorization: `Bearer ${accessToken}` });

const unexpectedAnswer = (operation: string, kind: GraphErrorKind) =>
  new GraphApiError({ kind, operation, reason: 'unexpected answer from Meta' });
