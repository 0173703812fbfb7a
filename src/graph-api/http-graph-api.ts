import { HttpService } from '@nestjs/axios';
import { Injectable } from '@nestjs/common';
import { type AxiosRequestConfig, isAxiosError } from 'axios';
import {
  type ConnectedAccount,
  type ConversationMessage,
  type ConversationMessageRef,
  type ConversationPage,
  GraphApi,
  type GraphAccess,
  PAGE_WEBHOOK_FIELDS,
  type RefreshedToken,
  type SendApiRequest,
  type SendApiResult,
  type UserProfile,
  WEBHOOK_FIELDS,
} from './graph-api';
import { Clock } from '@common';
import { Metrics } from '@metrics';
import { accountNode, asAccount, GraphApiHosts, secretsOf } from './account-request';
import { CallDeadline } from './call-deadline';
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

function scrub(text: string, secrets: readonly string[]): string {
  let clean = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SCRUBBED_SECRET_LENGTH) clean = clean.split(secret).join('[redacted]');
  }
  return clean.length > MAX_REASON_LENGTH ? `${clean.slice(0, MAX_REASON_LENGTH)}…` : clean;
}

/**
 * Turns whatever axios threw into a `GraphApiError`. Axios errors carry the
 * request config (headers with the bearer token, the URL with a query token
 * or `appsecret_proof`), so nothing of them is kept: only Meta's code,
 * subcode, message (with the secrets scrubbed out) and trace id, or the
 * network error's code.
 */
export function toGraphApiError(error: unknown, operation: string, secrets: readonly string[]): GraphApiError {
  if (!isAxiosError(error)) {
    const reason = error instanceof Error ? scrub(error.message, secrets) : 'unexpected failure';
    return new GraphApiError({ kind: 'transient', operation, reason });
  }
  const response = error.response;
  if (!response) {
    // A call's own deadline is `CallDeadline`'s; what comes here is the network's (refused, reset, unreachable).
    return new GraphApiError({ kind: 'transient', operation, reason: `network error ${error.code ?? ''}`.trim() });
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
      reason: scrub(stringOrNull(meta.message) ?? 'no message', secrets),
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
 * The Graph API over HTTP (axios, configured by `GraphApiModule`). Each call
 * goes to the host of the account's login type and addresses the account as
 * that login names it (`me`, or its Page); the access token travels in the
 * `Authorization` header, except for the token refresh, where Meta wants it
 * in the query, and a Page token's calls carry `appsecret_proof`.
 */
@Injectable()
export class HttpGraphApi extends GraphApi {
  constructor(
    private readonly http: HttpService,
    private readonly hosts: GraphApiHosts,
    private readonly metrics: Metrics,
    private readonly clock: Clock,
  ) {
    super();
  }

  async getConnectedAccount(access: GraphAccess): Promise<ConnectedAccount> {
    if (access.loginType === 'facebook') {
      const operation = 'GET /{page-id}';
      const data = await this.call<{ instagram_business_account?: { id?: unknown } }>(operation, access, {
        method: 'GET',
        url: `/${accountNode(access).path}`,
        params: { fields: 'instagram_business_account' },
      });
      const userId = data.instagram_business_account?.id;
      return {
        userId: typeof userId === 'string' || typeof userId === 'number' ? String(userId) : null,
        username: null,
      };
    }
    const operation = 'GET /me';
    const data = await this.call<{ user_id?: unknown; username?: unknown }>(operation, access, {
      method: 'GET',
      url: '/me',
      params: { fields: 'user_id,username' },
    });
    const userId = data.user_id;
    if (typeof userId !== 'string' && typeof userId !== 'number') throw unexpectedAnswer(operation, 'permanent');
    return { userId: String(userId), username: stringOrNull(data.username) };
  }

  async subscribeApp(access: GraphAccess, requested?: readonly string[]): Promise<readonly string[]> {
    const node = accountNode(access);
    const fields = requested ?? (access.loginType === 'facebook' ? PAGE_WEBHOOK_FIELDS : WEBHOOK_FIELDS);
    const operation = `POST /${node.name}/subscribed_apps`;
    const data = await this.call<{ success?: unknown }>(operation, access, {
      method: 'POST',
      url: `/${node.path}/subscribed_apps`,
      params: { subscribed_fields: fields.join(',') },
    });
    if (data.success !== true) throw unexpectedAnswer(operation, 'permanent');
    return fields;
  }

  async sendMessage(access: GraphAccess, body: SendApiRequest): Promise<SendApiResult> {
    const node = accountNode(access);
    const operation = `POST /${node.name}/messages`;
    const data = await this.call<{ recipient_id?: unknown; message_id?: unknown }>(operation, access, {
      method: 'POST',
      url: `/${node.path}/messages`,
      data: body,
    });
    // A 2xx that does not look like a send: Meta may still have delivered it.
    if (typeof data.recipient_id !== 'string') throw unexpectedAnswer(operation, 'uncertain');
    return { recipientId: data.recipient_id, messageId: stringOrNull(data.message_id) };
  }

  async replyToComment(access: GraphAccess, commentId: string, text: string): Promise<{ id: string }> {
    const operation = 'POST /{comment-id}/replies';
    // The comment id becomes a path segment: refuse anything that could address another object.
    if (!/^\d{1,64}$/.test(commentId)) {
      throw new GraphApiError({ kind: 'permanent', operation, reason: 'not a comment id (digits expected)' });
    }
    const data = await this.call<{ id?: unknown }>(operation, access, {
      method: 'POST',
      url: `/${commentId}/replies`,
      params: { message: text },
    });
    // A 2xx that does not look like a reply: Meta may still have posted it.
    const id = data.id;
    if (typeof id !== 'string' && typeof id !== 'number') throw unexpectedAnswer(operation, 'uncertain');
    return { id: String(id) };
  }

  async setMessengerProfile(access: GraphAccess, profile: Record<string, unknown>): Promise<void> {
    const node = accountNode(access);
    const operation = `POST /${node.name}/messenger_profile`;
    const data = await this.call<{ result?: unknown }>(operation, access, {
      method: 'POST',
      url: `/${node.path}/messenger_profile`,
      params: { platform: 'instagram' },
      data: { platform: 'instagram', ...profile },
    });
    if (data.result !== 'success') throw unexpectedAnswer(operation, 'permanent');
  }

  async deleteMessengerProfileFields(access: GraphAccess, fields: readonly string[]): Promise<void> {
    const node = accountNode(access);
    const operation = `DELETE /${node.name}/messenger_profile`;
    const data = await this.call<{ result?: unknown }>(operation, access, {
      method: 'DELETE',
      url: `/${node.path}/messenger_profile`,
      params: { platform: 'instagram' },
      data: { fields },
    });
    if (data.result !== 'success') throw unexpectedAnswer(operation, 'permanent');
  }

  async getUserProfile(access: GraphAccess, igsid: string, options: { timeoutMs?: number } = {}): Promise<UserProfile> {
    const operation = 'GET /{igsid}';
    // The IGSID becomes a path segment: refuse anything that could address another object.
    if (!/^\d{1,64}$/.test(igsid)) {
      throw new GraphApiError({ kind: 'permanent', operation, reason: 'not an IGSID (digits expected)' });
    }
    const data = await this.call<{ username?: unknown; name?: unknown; profile_pic?: unknown }>(operation, access, {
      method: 'GET',
      url: `/${igsid}`,
      params: { fields: 'name,username,profile_pic' },
      ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
    });
    return {
      igsid,
      username: stringOrNull(data.username),
      name: stringOrNull(data.name),
      profilePic: stringOrNull(data.profile_pic),
    };
  }

  async refreshToken(accessToken: string): Promise<RefreshedToken> {
    const operation = 'GET /refresh_access_token';
    const data = await this.timed<{ access_token?: unknown; expires_in?: unknown }>(operation, [accessToken], {
      method: 'GET',
      baseURL: this.hosts.instagram,
      url: '/refresh_access_token',
      params: { grant_type: 'ig_refresh_token', access_token: accessToken },
    });
    const expiresIn = integerOrNull(data.expires_in);
    if (typeof data.access_token !== 'string' || expiresIn === null) throw unexpectedAnswer(operation, 'permanent');
    return { accessToken: data.access_token, expiresAt: new Date(this.clock.now().getTime() + expiresIn * 1000) };
  }

  async listConversations(access: GraphAccess, after: string | null): Promise<ConversationPage> {
    const node = accountNode(access);
    const operation = `GET /${node.name}/conversations`;
    const data = await this.call<{ data?: unknown; paging?: { cursors?: { after?: unknown }; next?: unknown } }>(
      operation,
      access,
      {
        method: 'GET',
        url: `/${node.path}/conversations`,
        params: { platform: 'instagram', fields: 'id,updated_time', ...(after === null ? {} : { after }) },
      },
    );
    if (!Array.isArray(data.data)) throw unexpectedAnswer(operation, 'permanent');
    const conversations = (data.data as Array<{ id?: unknown; updated_time?: unknown }>).flatMap((item) =>
      typeof item.id === 'string' ? [{ id: item.id, updatedTime: metaTime(item.updated_time) }] : [],
    );
    // Meta gives a next page only when there is one; the cursor alone may be present on the last page too.
    const next = typeof data.paging?.next === 'string' ? stringOrNull(data.paging?.cursors?.after) : null;
    return { conversations, after: next };
  }

  async listConversationMessages(access: GraphAccess, conversationId: string): Promise<ConversationMessageRef[]> {
    const operation = 'GET /{conversation-id}';
    const data = await this.call<{ messages?: { data?: unknown } }>(operation, access, {
      method: 'GET',
      url: `/${graphNodeId(operation, conversationId)}`,
      params: { fields: 'messages' },
    });
    const items = data.messages?.data;
    if (!Array.isArray(items)) throw unexpectedAnswer(operation, 'permanent');
    return (items as Array<{ id?: unknown; created_time?: unknown }>).flatMap((item) =>
      typeof item.id === 'string' ? [{ id: item.id, createdTime: metaTime(item.created_time) }] : [],
    );
  }

  async getConversationMessage(access: GraphAccess, messageId: string): Promise<ConversationMessage> {
    const operation = 'GET /{message-id}';
    const data = await this.call<{
      id?: unknown;
      created_time?: unknown;
      from?: { id?: unknown };
      to?: { data?: Array<{ id?: unknown }> };
      message?: unknown;
      attachments?: { data?: unknown };
      reply_to?: { mid?: unknown };
    }>(operation, access, {
      method: 'GET',
      url: `/${graphNodeId(operation, messageId)}`,
      params: { fields: 'id,created_time,from,to,message,attachments,reply_to' },
    });
    if (typeof data.id !== 'string') throw unexpectedAnswer(operation, 'permanent');
    const attachments = Array.isArray(data.attachments?.data) ? data.attachments.data : [];
    return {
      id: data.id,
      createdTime: metaTime(data.created_time),
      fromId: idOf(data.from?.id),
      toIds: (Array.isArray(data.to?.data) ? data.to.data : []).flatMap((to) => idOf(to.id) ?? []),
      text: typeof data.message === 'string' && data.message !== '' ? data.message : null,
      attachments: attachments.filter(
        (item): item is Record<string, unknown> => typeof item === 'object' && item !== null,
      ),
      replyToMid: stringOrNull(data.reply_to?.mid),
    };
  }

  /** A call as the account makes it (see `asAccount`). */
  private call<T>(operation: string, access: GraphAccess, request: AxiosRequestConfig): Promise<T> {
    return this.timed<T>(operation, secretsOf(access), asAccount(access, this.hosts, request));
  }

  /** Every call is timed by operation (`GET /{igsid}`, never the id itself) and outcome. */
  private async timed<T>(operation: string, secrets: readonly string[], request: AxiosRequestConfig): Promise<T> {
    const done = this.metrics.startGraphApiCall(operation);
    // The call's own deadline replaces axios's timer, which would abort a call whose answer is already here.
    const timeoutMs = request.timeout ?? this.http.axiosRef.defaults.timeout ?? 0;
    const deadline = timeoutMs > 0 ? new CallDeadline(timeoutMs) : null;
    try {
      const { data } = await this.http.axiosRef.request<T>({ ...request, timeout: 0, signal: deadline?.signal });
      done('ok');
      return data;
    } catch (error) {
      const failure = deadline?.expired
        ? new GraphApiError({ kind: 'transient', operation, reason: `no answer within ${timeoutMs} ms` })
        : toGraphApiError(error, operation, secrets);
      done(failure.kind);
      throw failure;
    } finally {
      deadline?.clear();
    }
  }
}

const idOf = (value: unknown): string | null =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : null;

/** Meta's `created_time` / `updated_time` (`2026-03-14T09:26:53+0000`); null when it is not a time. */
function metaTime(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const time = new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(time.getTime()) ? null : time;
}

/** A conversation or message id becomes a path segment: nothing that could address another path. */
function graphNodeId(operation: string, id: string): string {
  if (!/^[A-Za-z0-9_=-]{1,512}$/.test(id)) {
    throw new GraphApiError({ kind: 'permanent', operation, reason: 'not a Graph API object id' });
  }
  return id;
}

const unexpectedAnswer = (operation: string, kind: GraphErrorKind) =>
  new GraphApiError({ kind, operation, reason: 'unexpected answer from Meta' });
