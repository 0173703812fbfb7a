/**
 * A fake of Meta's Graph API: a real HTTP server on 127.0.0.1 (random port),
 * so the service's own HTTP client, headers, timeouts and error handling are
 * what the tests exercise. Point the service at it with
 * `GRAPH_API_BASE_URL: fake.baseUrl`.
 *
 *   const fake = await FakeGraphApi.start();
 *   fake.respondOnce('GET', '/v25.0/me', { status: 400, body: metaFixture('send-api-error-token-expired.json') });
 *   fake.respond('POST', fake.path('/me/messages'), (req) => ({ body: { recipient_id: '1', message_id: 'm' } }));
 *   ...
 *   expect(fake.requestsTo('POST', '/v25.0/me/subscribed_apps')[0].headers.authorization).toBe('Bearer ...');
 *   await fake.close();
 *
 * Every request is recorded (method, path, query, headers, raw and parsed
 * JSON body). Programmed answers match on method and exact path (without the
 * query): `respondOnce` answers are used first, in order, then the last
 * `respond` for that route, then the defaults, built from Meta's fixtures:
 * - `GET /{v}/me`: me.json
 * - `POST /{v}/me/subscribed_apps`: subscribed-apps-success.json
 * - `POST /{v}/me/messages` and `/{v}/{ig-id}/messages`: shaped like send-api-success.json, with the
 *   request's recipient and a fresh, unique `message_id` per call (sender actions answer `{recipient_id}`
 *   only); answer with `metaFixture('send-api-success.json')` where a test needs the mid its echo fixture carries
 * - `GET /{v}/{IGSID}`: user-profile.json with that IGSID
 * - `GET /{v}/refresh_access_token`: refresh-token.json
 * - anything else: 404 with a Graph-API-shaped error.
 * An answer may be delayed (`delayMs`) or cut off (`dropConnection`) to
 * simulate timeouts and network failures. `reset()` forgets requests and
 * programmed answers (e.g. in `afterEach`); `metaFixture(name)` reads any of
 * Meta's fixtures for a test to answer with or to send.
 */
import { randomBytes } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
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

export class FakeGraphApi {
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[] = [];
  private readonly once = new Map<string, Answer[]>();
  private readonly always = new Map<string, Answer>();
  private sentMessages = 0;

  private constructor(
    private readonly server: Server,
    /** The value for GRAPH_API_BASE_URL. */
    readonly baseUrl: string,
    /** The Graph API version the defaults answer under (GRAPH_API_VERSION). */
    readonly version: string,
  ) {}

  static async start(options: { version?: string } = {}): Promise<FakeGraphApi> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeGraphApi(server, `http://127.0.0.1:${port}`, options.version ?? 'v25.0');
    server.on('request', (req, res) => {
      // A throwing test handler answers 500 rather than leaving the client hanging until its timeout.
      fake.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fake Graph API handler failed: ${String(error)}`);
      });
    });
    return fake;
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

    const answer = this.programmedAnswer(request) ?? ((r: RecordedRequest) => this.defaultAnswer(r));
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

  private defaultAnswer(request: RecordedRequest): FakeResponse {
    const under = request.path.startsWith(`/${this.version}/`) ? request.path.slice(this.version.length + 1) : null;
    const route = `${request.method} ${under ?? request.path}`;
    if (route === 'GET /me') return { body: metaFixture('me.json') };
    if (route === 'POST /me/subscribed_apps') return { body: metaFixture('subscribed-apps-success.json') };
    if (route === 'GET /refresh_access_token') return { body: metaFixture('refresh-token.json') };
    if (/^POST \/(me|\d+)\/messages$/.test(route)) return { body: this.sendAnswer(request) };
    const profile = /^GET \/(\d+)$/.exec(route);
    if (profile) return { body: { ...metaFixture<Record<string, unknown>>('user-profile.json'), id: profile[1] } };
    return {
      status: 404,
      body: { error: { message: 'Unknown path components', type: 'OAuthException', code: 2500, fbtrace_id: 'fake' } },
    };
  }

  private sendAnswer(request: RecordedRequest): Record<string, unknown> {
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
}

const routeKey = (method: string, path: string): string => `${method.toUpperCase()} ${path}`;

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
