import { HttpModule } from '@nestjs/axios';
import { ConfigModule } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { inspect } from 'node:util';
import { Registry } from 'prom-client';
import { Clock } from '@common';
import { FakeGraphApi, metaFixture } from '../../test/support/fake-graph-api';
import { parsePrometheusText, samplesOf } from '../../test/support/prometheus-text';
import { testMetricsModule } from '../../test/support/test-metrics';
import { GraphApiHosts } from './account-request';
import { type GraphAccess, GraphApi, PAGE_WEBHOOK_FIELDS, WEBHOOK_FIELDS } from './graph-api';
import { GraphApiError } from './graph-api-error';
import { GraphApiModule, graphApiHosts, graphApiHttpOptions } from './graph-api.module';
import { HttpGraphApi } from './http-graph-api';

const TOKEN = 'IGAAT-test-token-0123456789abcdef';
const INSTAGRAM: GraphAccess = { loginType: 'instagram', accessToken: TOKEN };

/** Everything an error could show in a log line or a response. */
const everythingIn = (error: unknown) => `${String(error)} ${JSON.stringify(error)} ${inspect(error, { depth: 10 })}`;

async function failure(call: Promise<unknown>): Promise<GraphApiError> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GraphApiError);
  return error as GraphApiError;
}

/** The time refreshed tokens' expiries are counted from. */
const NOW = new Date('2026-06-01T12:00:00.000Z');
const fixedClock = { provide: Clock, useValue: { now: () => NOW } };

describe('HttpGraphApi against a fake Graph API', () => {
  let fake: FakeGraphApi;
  let graph: GraphApi;
  const registry = new Registry();

  beforeAll(async () => {
    fake = await FakeGraphApi.start();
    const env = {
      GRAPH_API_BASE_URL: fake.baseUrl,
      FACEBOOK_GRAPH_API_BASE_URL: fake.facebook.baseUrl,
      GRAPH_API_VERSION: 'v25.0',
    };
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => env] }),
        testMetricsModule(registry),
        // The application's CommonModule provides the clock to every module; here, a fixed one.
        { module: class FixedClockModule {}, global: true, providers: [fixedClock], exports: [Clock] },
        GraphApiModule,
      ],
    }).compile();
    graph = moduleRef.get(GraphApi);
  });

  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  it('reads the account with /me, with the token in the Authorization header only', async () => {
    expect(await graph.getConnectedAccount(INSTAGRAM)).toEqual({
      userId: '17841400000000001',
      username: 'synthetic_shop',
    });
    const [request] = fake.requestsTo('GET', '/v25.0/me');
    expect(request.query).toEqual({ fields: 'user_id,username' });
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('subscribes the account to the fields given instead', async () => {
    expect(await graph.subscribeApp(INSTAGRAM, ['comments'])).toEqual(['comments']);
    const [request] = fake.requestsTo('POST', '/v25.0/me/subscribed_apps');
    expect(request.query.subscribed_fields).toBe('comments');
  });

  it('posts a public reply under a comment, and refuses an id that is not a comment id', async () => {
    fake.respond('POST', '/v25.0/18000000000001902/replies', { body: { id: '18000000000001999' } });
    expect(await graph.replyToComment(INSTAGRAM, '18000000000001902', 'Sent you a DM!')).toEqual({
      id: '18000000000001999',
    });
    const [request] = fake.requestsTo('POST', '/v25.0/18000000000001902/replies');
    expect(request.query).toEqual({ message: 'Sent you a DM!' });
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect((await failure(graph.replyToComment(INSTAGRAM, '../me', 'x'))).kind).toBe('permanent');
  });

  it('subscribes the account to every field the service handles', async () => {
    expect(await graph.subscribeApp(INSTAGRAM)).toEqual(WEBHOOK_FIELDS);
    const [request] = fake.requestsTo('POST', '/v25.0/me/subscribed_apps');
    expect(request.query.subscribed_fields).toBe(
      'messages,messaging_postbacks,messaging_seen,message_reactions,messaging_referral,message_edit,comments,live_comments',
    );
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('treats a subscription Meta does not confirm as a failure', async () => {
    fake.respondOnce('POST', '/v25.0/me/subscribed_apps', { body: { success: false } });
    expect((await failure(graph.subscribeApp(INSTAGRAM))).kind).toBe('permanent');
  });

  it('sends a message as JSON and returns Meta ids', async () => {
    const body = metaFixture<{ recipient: { id: string }; message: { text: string } }>('send-api-request-text.json');
    const first = await graph.sendMessage(INSTAGRAM, body);
    const second = await graph.sendMessage(INSTAGRAM, body);
    expect(first.recipientId).toBe(body.recipient.id);
    expect(first.messageId).toEqual(expect.any(String));
    expect(second.messageId).not.toBe(first.messageId);
    const [request] = fake.requestsTo('POST', '/v25.0/me/messages');
    expect(request.body).toEqual(body);
    expect(request.headers['content-type']).toMatch(/^application\/json/);
  });

  it('reads a profile, leaving out what Meta does not give', async () => {
    fake.respondOnce('GET', '/v25.0/1029384756102938', { body: { username: 'someone', id: '1029384756102938' } });
    expect(await graph.getUserProfile(INSTAGRAM, '1029384756102938')).toEqual({
      igsid: '1029384756102938',
      username: 'someone',
      name: null,
      profilePic: null,
    });
    expect(fake.requestsTo('GET', '/v25.0/1029384756102938')[0].query.fields).toBe('name,username,profile_pic');
  });

  it('refuses an IGSID that would address another object, without calling Meta', async () => {
    expect((await failure(graph.getUserProfile(INSTAGRAM, '../me'))).kind).toBe('permanent');
    expect(fake.requests).toHaveLength(0);
  });

  it('refreshes a token with the token in the query, as Meta requires', async () => {
    const refreshed = await graph.refreshToken(TOKEN);
    const fixture = metaFixture<{ access_token: string; expires_in: number }>('refresh-token.json');
    expect(refreshed).toEqual({
      accessToken: fixture.access_token,
      expiresAt: new Date(NOW.getTime() + fixture.expires_in * 1000),
    });
    const [request] = fake.requestsTo('GET', '/v25.0/refresh_access_token');
    expect(request.query).toEqual({ grant_type: 'ig_refresh_token', access_token: TOKEN });
  });

  it("turns Meta's error body into a classified error, by code and not by HTTP status", async () => {
    fake.respondOnce('GET', '/v25.0/me', { status: 400, body: metaFixture('send-api-error-token-expired.json') });
    const error = await failure(graph.getConnectedAccount(INSTAGRAM));
    expect(error).toMatchObject({ kind: 'invalid_token', code: 190, subcode: 463, httpStatus: 400 });
    expect(error.fbtraceId).toBe('Ax1SyntheticTrace03');
    expect(error.message).toContain('Session has expired');

    fake.respondOnce('POST', '/v25.0/me/messages', { status: 403, body: metaFixture('send-api-error-transient.json') });
    expect((await failure(graph.sendMessage(INSTAGRAM, { recipient: { id: '1' } }))).kind).toBe('transient');
  });

  it('passes on the usage headers as a retry-after hint', async () => {
    fake.respondOnce('POST', '/v25.0/me/messages', {
      status: 400,
      body: metaFixture('send-api-error-rate-limit.json'),
      headers: {
        'X-Business-Use-Case-Usage': JSON.stringify({ '1': [{ estimated_time_to_regain_access: 5 }] }),
      },
    });
    const error = await failure(graph.sendMessage(INSTAGRAM, { recipient: { id: '1' } }));
    expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 5 * 60_000 });
  });

  it('never lets a token escape in an error, from the header, the query or the message', async () => {
    fake.respond('GET', '/v25.0/refresh_access_token', {
      status: 400,
      body: { error: { message: `Invalid token ${TOKEN}`, type: 'OAuthException', code: 190 } },
    });
    fake.respond('GET', '/v25.0/me', { status: 500, body: 'oops' });
    const errors = [await failure(graph.refreshToken(TOKEN)), await failure(graph.getConnectedAccount(INSTAGRAM))];
    expect(errors[0].message).toContain('[redacted]');
    for (const error of errors) expect(everythingIn(error)).not.toContain(TOKEN);
  });

  it('times every call by operation and outcome, never by the id it addresses', async () => {
    registry.resetMetrics();
    await graph.getUserProfile(INSTAGRAM, '1029384756102938');
    fake.respondOnce('POST', '/v25.0/me/messages', {
      status: 400,
      body: metaFixture('send-api-error-token-expired.json'),
    });
    await failure(graph.sendMessage(INSTAGRAM, { recipient: { id: '1' } }));
    const counts = samplesOf(
      parsePrometheusText(await registry.metrics()),
      'gateway_graph_api_request_duration_seconds_count',
    )
      .filter((sample) => sample.value > 0)
      .map((sample) => ({ ...sample.labels, count: sample.value }));
    expect(counts).toEqual([
      { operation: 'GET /{igsid}', outcome: 'ok', count: 1 },
      { operation: 'POST /me/messages', outcome: 'invalid_token', count: 1 },
    ]);
  });

  it('treats 5xx without a Meta body and dropped connections as transient', async () => {
    fake.respondOnce('GET', '/v25.0/me', { status: 502, body: '<html>bad gateway</html>' });
    expect(await failure(graph.getConnectedAccount(INSTAGRAM))).toMatchObject({ kind: 'transient', httpStatus: 502 });
    fake.respondOnce('GET', '/v25.0/me', { dropConnection: true });
    expect((await failure(graph.getConnectedAccount(INSTAGRAM))).kind).toBe('transient');
  });

  /** An HttpGraphApi whose calls give up after `timeout` ms. */
  async function withTimeout(timeout: number): Promise<HttpGraphApi> {
    const moduleRef = await Test.createTestingModule({
      imports: [testMetricsModule(), HttpModule.register({ ...graphApiHttpOptions(), timeout })],
      providers: [
        HttpGraphApi,
        fixedClock,
        {
          provide: GraphApiHosts,
          useValue: graphApiHosts({
            GRAPH_API_BASE_URL: fake.baseUrl,
            FACEBOOK_GRAPH_API_BASE_URL: fake.facebook.baseUrl,
            GRAPH_API_VERSION: 'v25.0',
          }),
        },
      ],
    }).compile();
    return moduleRef.get(HttpGraphApi);
  }

  it('gives up after its timeout, as a transient failure', async () => {
    const quick = await withTimeout(100);
    fake.respondOnce('GET', '/v25.0/me', { delayMs: 1000, body: metaFixture('me.json') });
    const error = await failure(quick.getConnectedAccount(INSTAGRAM));
    expect(error.kind).toBe('transient');
    expect(error.message).toContain('no answer within 100 ms');
    expect(everythingIn(error)).not.toContain(TOKEN);
  });

  it('reads an answer that came while the process was stalled past the timeout, rather than calling it lost', async () => {
    const quick = await withTimeout(100);
    // Meta answers at once; then this process is busy for longer than the timeout (a GC pause, a starved CPU),
    // so the timeout falls due while the answer waits unread in the socket.
    fake.respondOnce('GET', '/v25.0/me', () => {
      setImmediate(() => {
        const until = Date.now() + 400;
        while (Date.now() < until);
      });
      return { body: metaFixture('me.json') };
    });
    expect(await quick.getConnectedAccount(INSTAGRAM)).toEqual({
      userId: '17841400000000001',
      username: 'synthetic_shop',
    });
  });

  describe('for an account connected through Facebook Login', () => {
    const page = {
      pageId: '102938475610293',
      igUserId: '17841400000000001',
      accessToken: 'EAAT-test-page-token-0123456789abcdef',
      appSecret: 'page-app-secret-0123456789',
    };
    const PAGE: GraphAccess = { loginType: 'facebook', ...page };
    const onlyFacebookHost = () => {
      expect(fake.requests).toHaveLength(0);
      for (const request of fake.facebook.requests) {
        expect(request.headers.authorization).toBe(`Bearer ${page.accessToken}`);
        expect(request.query.appsecret_proof).toBe(fake.facebook.proofOf(page));
        expect(request.query.access_token).toBeUndefined();
      }
    };

    beforeAll(() => fake.facebook.addPage(page));

    it('reads the Page’s Instagram account with the Page token and its proof, on graph.facebook.com only', async () => {
      expect(await graph.getConnectedAccount(PAGE)).toEqual({ userId: page.igUserId, username: null });
      const [request] = fake.facebook.requestsTo('GET', `/v25.0/${page.pageId}`);
      expect(request.query).toEqual({ fields: 'instagram_business_account', appsecret_proof: expect.any(String) });
      onlyFacebookHost();
    });

    it('answers no Instagram account for a Page that has none linked', async () => {
      const lonely = { ...page, pageId: '102938475610294', igUserId: null, accessToken: 'EAAT-test-lonely-page-token' };
      fake.facebook.addPage(lonely);
      expect(await graph.getConnectedAccount({ loginType: 'facebook', ...lonely })).toEqual({
        userId: null,
        username: null,
      });
    });

    it('subscribes the Page with the Page’s webhook fields', async () => {
      expect(await graph.subscribeApp(PAGE)).toEqual(PAGE_WEBHOOK_FIELDS);
      const [request] = fake.facebook.requestsTo('POST', `/v25.0/${page.pageId}/subscribed_apps`);
      expect(request.query.subscribed_fields).toBe(
        'messages,messaging_postbacks,message_reads,message_reactions,messaging_referrals',
      );
      onlyFacebookHost();
    });

    it('sends through /{page-id}/messages and looks profiles up on graph.facebook.com, timed without the ids', async () => {
      registry.resetMetrics();
      const body = metaFixture<{ recipient: { id: string }; message: { text: string } }>('send-api-request-text.json');
      expect((await graph.sendMessage(PAGE, body)).recipientId).toBe(body.recipient.id);
      expect(fake.facebook.requestsTo('POST', `/v25.0/${page.pageId}/messages`)[0].body).toEqual(body);
      expect((await graph.getUserProfile(PAGE, '1029384756102938')).username).toEqual(expect.any(String));
      expect(fake.facebook.requestsTo('GET', '/v25.0/1029384756102938')).toHaveLength(1);
      onlyFacebookHost();
      const operations = samplesOf(
        parsePrometheusText(await registry.metrics()),
        'gateway_graph_api_request_duration_seconds_count',
      )
        .filter((sample) => sample.value > 0)
        .map((sample) => sample.labels.operation);
      expect(operations.sort()).toEqual(['GET /{igsid}', 'POST /{page-id}/messages']);
    });

    it('fails for good when Meta refuses the proof of the wrong app secret, showing neither token, secret nor proof', async () => {
      const wrongSecret: GraphAccess = { ...PAGE, appSecret: 'another-apps-secret-000000' };
      const error = await failure(graph.sendMessage(wrongSecret, { recipient: { id: '1' } }));
      expect(error).toMatchObject({ kind: 'permanent', code: 100, httpStatus: 400 });
      expect(error.message).toContain('Invalid appsecret_proof');
      const shown = everythingIn(error);
      for (const secret of [page.accessToken, wrongSecret.appSecret, fake.facebook.proofOf(wrongSecret)]) {
        expect(shown).not.toContain(secret);
      }
    });

    it('scrubs the token and the proof out of a message of Meta’s that quotes them', async () => {
      const proof = fake.facebook.proofOf(page);
      fake.facebook.respondOnce('POST', `/v25.0/${page.pageId}/messages`, {
        status: 400,
        body: {
          error: { message: `Bad token ${page.accessToken} with proof ${proof}`, type: 'OAuthException', code: 190 },
        },
      });
      const error = await failure(graph.sendMessage(PAGE, { recipient: { id: '1' } }));
      expect(error.kind).toBe('invalid_token');
      expect(everythingIn(error)).not.toContain(page.accessToken);
      expect(everythingIn(error)).not.toContain(proof);
    });
  });
});
