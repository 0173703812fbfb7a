/**
 * A fake of Meta's Graph API: real HTTP servers on 127.0.0.1 (random ports),
 * so the service's own HTTP client, headers, timeouts and error handling are
 * what the tests exercise. It serves two hosts: graph.instagram.com's
 * (Instagram Login) and, as `fake.facebook`, graph.facebook.com's (Facebook
 * Login, Page tokens). Point the service at them with
 * `GRAPH_API_BASE_URL: fake.baseUrl` and `FACEBOOK_GRAPH_API_BASE_URL: fake.facebook.baseUrl`.
 *
 *   const fake = await FakeGraphApi.start();
 *   fake.respondOnce('GET', '/v25.0/me', { status: 400, body: metaFixture('send-api-error-token-expired.json') });
 *   fake.respond('POST', fake.path('/me/messages'), (req) => ({ body: { recipient_id: '1', message_id: 'm' } }));
 *   fake.facebook.addPage({ pageId, igUserId, accessToken, appSecret });
 *   ...
 *   expect(fake.requestsTo('POST', '/v25.0/me/subscribed_apps')[0].headers.authorization).toBe('Bearer ...');
 *   await fake.close();
 *
 * Each host records every request (method, path, query, headers, raw and
 * parsed JSON body) it receives. Programmed answers match on method and exact
 * path (without the query): `respondOnce` answers are used first, in order,
 * then the last `respond` for that route, then the defaults, built from
 * Meta's fixtures. graph.instagram.com's defaults:
 * - `GET /{v}/me`: me.json
 * - `POST /{v}/me/subscribed_apps`: subscribed-apps-success.json
 * - `POST /{v}/me/messages` and `/{v}/{ig-id}/messages`: shaped like send-api-success.json, with the
 *   request's recipient and a fresh, unique `message_id` per call (sender actions answer `{recipient_id}`
 *   only); answer with `metaFixture('send-api-success.json')` where a test needs the mid its echo fixture carries
 * - `GET /{v}/{IGSID}`: user-profile.json with that IGSID
 * - `POST /{v}/{comment-id}/replies`: `{id}` of the new public reply, fresh per call
 * - `POST` and `DELETE /{v}/me/messenger_profile`: messenger-profile-success.json
 * - `GET /{v}/refresh_access_token`: refresh-token.json
 * - the Conversations API (`GET /{v}/me/conversations`, `/{conversation-id}`, `/{message-id}`): the
 *   conversations given to `conversations` (see fake-conversations-api.ts), at 2 calls per second
 * - anything else: 404 with a Graph-API-shaped error.
 * graph.facebook.com's are in `FakeFacebookGraph`; it refuses, before any
 * programmed answer, every call that is not made with a Page token it was
 * given (`addPage`) and that token's correct `appsecret_proof`.
 * An answer may be delayed (`delayMs`) or cut off (`dropConnection`) to
 * simulate timeouts and network failures. `reset()` forgets requests and
 * programmed answers (e.g. in `afterEach`), on both hosts; `metaFixture(name)`
 * reads any of Meta's fixtures for a test to answer with or to send.
 */
import { createHmac, randomBytes } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeConversations } from './fake-conversations-api';
import { graphError } from './fake-graph-error';
import { metaFixture } from './meta-fixtures';

export { metaFixture, META_FIXTURES_DIR } from './meta-fixtures';

export interface RecordedRequest {
  method: string;
  /** The path without the query, e.g. `/v25.0/me/messages`. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The JSON body, parsed; null when there was none or it was not JSON. */
  body: unknown;
}

export interface FakeResponse {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering (to run into the client's timeout). */
  delayMs?: number;
  /** Close the connection without answering (a network failure). */
  dropConnection?: boolean;
}

export type FakeHandler = (request: RecordedRequest) => FakeResponse | Promise<FakeResponse>;

type Answer = FakeResponse | FakeHandler;

/** One host of the fake: its server, what it received, and what it is told to answer. */
abstract class FakeGraphHost {
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[] = [];
  private readonly once = new Map<string, Answer[]>();
  private readonly always = new Map<string, Answer>();
  private sentMessages = 0;
  private commentReplies = 0;

  protected constructor(
    private readonly server: Server,
    /** The value for this host's base URL variable. */
    readonly baseUrl: string,
    /** The Graph API version the defaults answer under (GRAPH_API_VERSION). */
    readonly version: string,
  ) {
    server.on('request', (req, res) => {
      // A throwing test handler answers 500 rather than leaving the client hanging until its timeout.
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fake Graph API handler failed: ${String(error)}`);
      });
    });
  }

  protected static async listen(): Promise<{ server: Server; baseUrl: string }> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { server, baseUrl: `http://127.0.0.1:${port}` };
  }

  /** `/me` → `/v25.0/me`: a path under this fake's version. */
  path(pathUnderVersion: string): string {
    return `/${this.version}${pathUnderVersion}`;
  }

  /** Answers every later request to this route this way (until `reset`). */
  respond(method: string, path: string, answer: Answer): void {
    this.always.set(routeKey(method, path), answer);
  }

  /** Answers the next request to this route this way; queued answers are used in order. */
  respondOnce(method: string, path: string, answer: Answer): void {
    const key = routeKey(method, path);
    this.once.set(key, [...(this.once.get(key) ?? []), answer]);
  }

  requestsTo(method: string, path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method.toUpperCase() && r.path === path);
  }

  /** Forgets recorded requests and programmed answers. */
  reset(): void {
    this.requests.length = 0;
    this.once.clear();
    this.always.clear();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  /** What Meta answers before anything a test programmed: a refused call; null lets the call through. */
  protected abstract refusal(request: RecordedRequest): FakeResponse | null;

  /** What Meta answers when no test said otherwise; `route` is `METHOD /path` under the version. */
  protected abstract defaultAnswer(request: RecordedRequest, route: string): FakeResponse;

  /** A Send API answer: the request's recipient and a fresh mid (sender actions get no mid). */
  protected sendAnswer(request: RecordedRequest): Record<string, unknown> {
    const body = request.body as { recipient?: { id?: string }; sender_action?: string } | null;
    const recipientId =
      body?.recipient?.id ?? metaFixture<{ recipient_id: string }>('send-api-success.json').recipient_id;
    if (body?.sender_action) return { recipient_id: recipientId };
    this.sentMessages += 1;
    const messageId = Buffer.from(`fake-mid:${this.sentMessages}:${randomBytes(12).toString('hex')}`).toString(
      'base64url',
    );
    return { recipient_id: recipientId, message_id: messageId };
  }

  /** `POST /{comment-id}/replies`: the id of the new comment, as Meta answers. */
  protected commentReplyAnswer(): Record<string, unknown> {
    this.commentReplies += 1;
    return { id: String(18100000000000000 + this.commentReplies) };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.baseUrl);
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      rawBody,
      body: parseJson(rawBody),
    };
    this.requests.push(request);

    const under = request.path.startsWith(`/${this.version}/`) ? request.path.slice(this.version.length + 1) : null;
    const route = `${request.method} ${under ?? request.path}`;
    const answer: Answer =
      this.refusal(request) ?? this.programmedAnswer(request) ?? ((r: RecordedRequest) => this.defaultAnswer(r, route));
    const response = typeof answer === 'function' ? await answer(request) : answer;
    if (response.delayMs) await new Promise((resolve) => setTimeout(resolve, response.delayMs));
    if (response.dropConnection) {
      req.socket.destroy();
      return;
    }
    if (res.destroyed) return;
    res.writeHead(response.status ?? 200, { 'content-type': 'application/json', ...response.headers });
    res.end(response.body === undefined ? '' : JSON.stringify(response.body));
  }

  private programmedAnswer(request: RecordedRequest): Answer | undefined {
    const key = routeKey(request.method, request.path);
    const queued = this.once.get(key);
    if (queued && queued.length > 0) return queued.shift();
    return this.always.get(key);
  }
}

/** graph.instagram.com's stand-in (Instagram Login), with graph.facebook.com's beside it as `facebook`. */
export class FakeGraphApi extends FakeGraphHost {
  /** Meta's Conversations API: what it holds for each account (by access token), and the calls it received. */
  readonly conversations: FakeConversations;

  private constructor(
    server: Server,
    baseUrl: string,
    version: string,
    /** graph.facebook.com's stand-in: the value for FACEBOOK_GRAPH_API_BASE_URL is `facebook.baseUrl`. */
    readonly facebook: FakeFacebookGraph,
  ) {
    super(server, baseUrl, version);
    this.conversations = new FakeConversations(version);
  }

  static async start(options: { version?: string } = {}): Promise<FakeGraphApi> {
    const version = options.version ?? 'v25.0';
    const { server, baseUrl } = await FakeGraphHost.listen();
    return new FakeGraphApi(server, baseUrl, version, await FakeFacebookGraph.start(version));
  }

  override reset(): void {
    super.reset();
    this.facebook.reset();
    this.conversations.reset();
  }

  override async close(): Promise<void> {
    await Promise.all([super.close(), this.facebook.close()]);
  }

  protected refusal(): null {
    return null;
  }

  protected defaultAnswer(request: RecordedRequest, route: string): FakeResponse {
    if (route === 'GET /me') return { body: metaFixture('me.json') };
    if (route === 'POST /me/subscribed_apps') return { body: metaFixture('subscribed-apps-success.json') };
    if (route === 'GET /refresh_access_token') return { body: metaFixture('refresh-token.json') };
    if (/^POST \/(me|\d+)\/messages$/.test(route)) return { body: this.sendAnswer(request) };
    if (/^POST \/\d+\/replies$/.test(route)) return { body: this.commentReplyAnswer() };
    if (/^(POST|DELETE) \/me\/messenger_profile$/.test(route)) {
      return { body: metaFixture('messenger-profile-success.json') };
    }
    const conversations = this.conversations.answer(request, route);
    if (conversations) return conversations;
    const profile = /^GET \/(\d+)$/.exec(route);
    if (profile) return { body: { ...metaFixture<Record<string, unknown>>('user-profile.json'), id: profile[1] } };
    return unknownPath();
  }
}

/** A Facebook Page as Meta knows it: its token, the app that token belongs to, and its linked Instagram account. */
export interface FakePage {
  pageId: string;
  /** The Instagram professional account linked to the Page; none: the Page has no Instagram account. */
  igUserId: string | null;
  /** The Page access token the app was given. */
  accessToken: string;
  /** The secret of the app the token belongs to, which its `appsecret_proof` must be made with. */
  appSecret: string;
}

/**
 * graph.facebook.com's stand-in (Facebook Login). It knows the Pages it is
 * given (`addPage`; `reset()` keeps them) and, as an app that requires app
 * secret proofs does, refuses before anything else a call whose Page token
 * it does not know (190), whose `appsecret_proof` is missing or not that
 * token's HMAC with its app's secret (100), or whose Page edge
 * (`/{page-id}/...`) belongs to another Page (100). Its defaults:
 * - `GET /{v}/{page-id}`: page-instagram-business-account.json with that Page and its Instagram account
 * - `POST /{v}/{page-id}/subscribed_apps`: subscribed-apps-success.json
 * - `POST /{v}/{page-id}/messages`: a send answer as on graph.instagram.com
 * - `GET /{v}/{IGSID}` (any other id): user-profile.json with that IGSID
 * - anything else (a token refresh too): 404 with a Graph-API-shaped error.
 */
export class FakeFacebookGraph extends FakeGraphHost {
  private readonly pages = new Map<string, FakePage>();

  static async start(version: string): Promise<FakeFacebookGraph> {
    const { server, baseUrl } = await FakeGraphHost.listen();
    return new FakeFacebookGraph(server, baseUrl, version);
  }

  /** Meta now knows this Page and its token. */
  addPage(page: FakePage): void {
    this.pages.set(page.accessToken, page);
  }

  /** The `appsecret_proof` Meta expects of a token of this Page. */
  proofOf(page: Pick<FakePage, 'accessToken' | 'appSecret'>): string {
    return createHmac('sha256', page.appSecret).update(page.accessToken).digest('hex');
  }

  protected refusal(request: RecordedRequest): FakeResponse | null {
    const header = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
    const page = this.pages.get(header?.[1] ?? request.query.access_token ?? '');
    if (!page) {
      return graphError(190, 'OAuthException', 'Invalid OAuth access token - Cannot parse access token');
    }
    if (request.query.appsecret_proof === undefined) {
      return { status: 400, body: metaFixture('graph-api-error-appsecret-proof-missing.json') };
    }
    if (request.query.appsecret_proof !== this.proofOf(page)) {
      return { status: 400, body: metaFixture('graph-api-error-appsecret-proof-invalid.json') };
    }
    const edge = /^\/[^/]+\/(\d+)\/[a-z_]+$/.exec(request.path);
    if (edge && edge[1] !== page.pageId) {
      return graphError(
        100,
        'GraphMethodException',
        `Unsupported request. Object with ID '${edge[1]}' does not exist, cannot be loaded due to missing permissions, or does not support this operation`,
        33,
      );
    }
    return null;
  }

  protected defaultAnswer(request: RecordedRequest, route: string): FakeResponse {
    const page = this.pages.get(/^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '')!;
    if (route === `GET /${page.pageId}`) {
      const fixture = metaFixture<Record<string, unknown>>('page-instagram-business-account.json');
      if (page.igUserId === null) return { body: { id: page.pageId } };
      return { body: { ...fixture, instagram_business_account: { id: page.igUserId }, id: page.pageId } };
    }
    if (route === `POST /${page.pageId}/subscribed_apps`) return { body: metaFixture('subscribed-apps-success.json') };
    if (route === `POST /${page.pageId}/messages`) return { body: this.sendAnswer(request) };
    const profile = /^GET \/(\d+)$/.exec(route);
    if (profile) return { body: { ...metaFixture<Record<string, unknown>>('user-profile.json'), id: profile[1] } };
    return unknownPath();
  }
}

const routeKey = (method: string, path: string): string => `${method.toUpperCase()} ${path}`;

const unknownPath = (): FakeResponse => ({
  status: 404,
  body: { error: { message: 'Unknown path components', type: 'OAuthException', code: 2500, fbtrace_id: 'fake' } },
});

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
