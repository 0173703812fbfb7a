/**
 * No secret ever leaves the service: the real process (`src/main.ts`, as in
 * production, logging at `trace`) is taken through every path that handles
 * a credential, then everything it wrote to stdout and stderr, every answer
 * it gave and every column of its database are searched for each secret of
 * the run, whole and as any 12-character fragment.
 */
import { ENTITIES } from '../../src/entities';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '@database/data-source-options';
import { signBody } from '../support/webhook-sender';
import type { AccountCredentials } from '@accounts/account';
import { FakeGraphApi, metaFixture } from '../support/fake-graph-api';
import { CUSTOMER_IGSID } from '../support/meta-fixtures';
import { databaseHaystacks, randomCredentials, randomServiceSecrets, secretsOfRun } from '../support/secret-audit';
import { changeAt, findLeaks, type Haystack, randomSecret, type Secret } from '../support/secret-scan';
import { type ServiceProcess, startServiceProcess } from '../support/service-process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { freePort } from '../support/free-port';

interface Answer {
  status: number;
  text: string;
}

const ME_USER_ID = metaFixture<{ user_id: string }>('me.json').user_id;
const PAGE = metaFixture<{ id: string; instagram_business_account: { id: string } }>(
  'page-instagram-business-account.json',
);
const PAGE_IG_USER_ID = '17841400000000003';

/** Polls `probe` until it gives something other than null; `gaveUp` may explain why waiting is pointless. */
async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null>,
  gaveUp: () => string | null = () => null,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe().catch(() => null);
    if (found !== null) return found;
    const reason = gaveUp() ?? (Date.now() > deadline ? `not within ${timeoutMs} ms` : null);
    if (reason !== null) throw new Error(`gave up waiting for ${what}: ${reason}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('secrets in the output of the running service', () => {
  let db: TestDatabase;
  let fake: FakeGraphApi;
  let service: ServiceProcess;
  let baseUrl: string;
  /** The test's own connection to the service's database. */
  let raw: DataSource;
  const serviceSecrets = randomServiceSecrets();
  /** Every credential the run gave the service, by a name that says where it came from. */
  const credentials: Array<{ name: string; credentials: AccountCredentials }> = [];
  /** The `appsecret_proof`s the run's Page tokens were sent with: as good as a secret beside the token. */
  const proofs: Secret[] = [];
  const answers: Array<Answer & { what: string; headers: string; requestId: string }> = [];

  /** Calls the service and keeps its answer (status, headers and body) for the search. */
  async function call(what: string, path: string, init: RequestInit = {}): Promise<Answer> {
    const res = await fetch(`${baseUrl}${path}`, { ...init, signal: AbortSignal.timeout(20_000) });
    const text = await res.text();
    answers.push({
      what,
      status: res.status,
      text,
      headers: JSON.stringify([...res.headers.entries()]),
      requestId: res.headers.get('x-request-id') ?? 'none',
    });
    return { status: res.status, text };
  }
  const admin = (token = serviceSecrets.ADMIN_API_TOKEN) => ({
    Authorization: `Bearer ${token}`,
    'Content-Type': 'application/json',
  });
  const json = (body: unknown) => JSON.stringify(body);
  const newCredentials = (name: string, overrides: Partial<AccountCredentials> = {}) => {
    const made = { ...randomCredentials(), ...overrides };
    credentials.push({ name, credentials: made });
    return made;
  };
  const textDelivery = (igUserId: string, mid: string) => {
    const now = Date.now();
    return json({
      object: 'instagram',
      entry: [
        {
          id: igUserId,
          time: now,
          messaging: [
            {
              sender: { id: CUSTOMER_IGSID },
              recipient: { id: igUserId },
              timestamp: now,
              message: { mid, text: 'hello' },
            },
          ],
        },
      ],
    });
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    fake = await FakeGraphApi.start();
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    service = startServiceProcess('main', {
      NODE_ENV: 'production',
      LOG_LEVEL: 'trace',
      DATABASE_URL: db.url,
      PORT: String(port),
      PUBLIC_BASE_URL: baseUrl,
      GRAPH_API_BASE_URL: fake.baseUrl,
      FACEBOOK_GRAPH_API_BASE_URL: fake.facebook.baseUrl,
      ...serviceSecrets,
    });
    await waitFor(
      'the service to listen',
      async () => ((await fetch(`${baseUrl}/health/live`)).ok ? true : null),
      () => (service.child.exitCode === null ? null : `it exited with ${service.child.exitCode}:\n${service.output()}`),
    );
    raw = await new DataSource(buildDataSourceOptions(db.url, ENTITIES)).initialize();
    // A service process in production mode, started from the build: slow on a busy machine.
  }, 90_000);

  afterAll(async () => {
    if (raw?.isInitialized) await raw.destroy();
    if (service && service.child.exitCode === null) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    await fake?.close();
    await db?.drop();
  });

  it('handles credentials through every path that touches them', async () => {
    // Accounts: created (one checked with Meta), refused in several ways, updated with new credentials.
    const a = newCredentials('A');
    const created = await call('create A', '/accounts?validate=true', {
      method: 'POST',
      headers: admin(),
      body: json({ username: 'shop_a', igUserId: ME_USER_ID, ...a, fallbackResponse: 'We will answer soon.' }),
    });
    expect(created.status).toBe(201);
    const accountA = JSON.parse(created.text) as { id: string };
    const b = newCredentials('B');
    const createdB = await call('create B', '/accounts', {
      method: 'POST',
      headers: admin(),
      body: json({ username: 'shop_b', igUserId: '17841400000000002', ...b }),
    });
    expect(createdB.status).toBe(201);
    const accountB = JSON.parse(createdB.text) as { id: string };

    const duplicate = newCredentials('duplicate');
    const conflict = await call('duplicate', '/accounts', {
      method: 'POST',
      headers: admin(),
      body: json({ username: 'shop_a', igUserId: '1', ...duplicate }),
    });
    expect(conflict.status).toBe(409);
    const invalid = newCredentials('invalid');
    const refused = await call('invalid', '/accounts', {
      method: 'POST',
      headers: admin(),
      body: json({ username: 'not a username!', igUserId: 'x', ...invalid, verifyToken: `${invalid.verifyToken} x` }),
    });
    expect(refused.status).toBe(400);
    const malformed = newCredentials('malformed');
    expect(
      (
        await call('malformed JSON', '/accounts', {
          method: 'POST',
          headers: admin(),
          body: `{"username":"shop_m","accessToken":"${malformed.accessToken}",`,
        })
      ).status,
    ).toBe(400);
    // Meta's own error messages quote the token they refuse.
    const rejected = newCredentials('rejected by Meta');
    fake.respondOnce('GET', fake.path('/me'), {
      status: 400,
      body: {
        error: {
          message: `Invalid OAuth access token - Cannot parse access token ${rejected.accessToken}`,
          type: 'OAuthException',
          code: 190,
          fbtrace_id: 'trace',
        },
      },
    });
    const metaRefused = await call('Meta refuses', '/accounts?validate=true', {
      method: 'POST',
      headers: admin(),
      body: json({ username: 'shop_r', igUserId: ME_USER_ID.replace(/1$/, '9'), ...rejected }),
    });
    expect(metaRefused.status).toBe(422);

    // An account connected through Facebook Login: a Page token, with proofs made with its app secret.
    const f = newCredentials('F (Facebook Login)', { accessToken: `EAAG${randomSecret(60)}` });
    const otherApp = newCredentials('another app');
    proofs.push(
      { name: 'F.appsecret_proof', value: fake.facebook.proofOf(f) },
      {
        name: 'F.appsecret_proof with another app’s secret',
        value: fake.facebook.proofOf({ ...f, appSecret: otherApp.appSecret }),
      },
    );
    fake.facebook.addPage({ pageId: PAGE.id, igUserId: PAGE_IG_USER_ID, ...f });
    const pageAccount = (username: string, secrets: AccountCredentials) =>
      json({
        username,
        igUserId: PAGE_IG_USER_ID,
        loginType: 'facebook',
        pageId: PAGE.id,
        ...secrets,
        fallbackResponse: 'We will answer soon.',
      });
    const wrongApp = await call('F with another app’s secret', '/accounts?validate=true', {
      method: 'POST',
      headers: admin(),
      body: pageAccount('shop_f', { ...f, appSecret: otherApp.appSecret }),
    });
    expect(wrongApp.status).toBe(422);
    const createdF = await call('create F', '/accounts?validate=true', {
      method: 'POST',
      headers: admin(),
      body: pageAccount('shop_f', f),
    });
    expect(createdF.status).toBe(201);
    const accountF = JSON.parse(createdF.text) as { id: string };
    expect(
      (await call('subscribe F', `/accounts/${accountF.id}/subscribe`, { method: 'POST', headers: admin() })).status,
    ).toBe(200);
    // Its reply goes through the Page, and Meta refuses it quoting the token and the proof.
    fake.facebook.respondOnce('POST', fake.facebook.path(`/${PAGE.id}/messages`), {
      status: 400,
      body: {
        error: {
          message: `Error validating access token ${f.accessToken} with appsecret_proof ${fake.facebook.proofOf(f)}`,
          type: 'OAuthException',
          code: 190,
          fbtrace_id: 'trace',
        },
      },
    });
    const pageDelivery = textDelivery(PAGE_IG_USER_ID, 'm-secrets-page');
    const deliveredToF = await call('delivery to F', `/webhooks/instagram/${accountF.id}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signBody(pageDelivery, f.appSecret) },
      body: pageDelivery,
    });
    expect(deliveredToF.status).toBe(200);
    await waitFor('the Page’s reply to be sent and refused', async () =>
      fake.facebook.requestsTo('POST', fake.facebook.path(`/${PAGE.id}/messages`)).length > 0 ? true : null,
    );
    await waitFor('F’s token to be marked invalid', async () => {
      const view = await call('get F', `/accounts/${accountF.id}`, { headers: admin() });
      return (JSON.parse(view.text) as { tokenStatus: string }).tokenStatus === 'invalid' ? true : null;
    });

    const rotated = newCredentials('A after update');
    const updated = await call('update A', `/accounts/${accountA.id}`, {
      method: 'PUT',
      headers: admin(),
      body: json(rotated),
    });
    expect(updated.status).toBe(200);
    expect(
      (await call('subscribe A', `/accounts/${accountA.id}/subscribe`, { method: 'POST', headers: admin() })).status,
    ).toBe(200);
    expect((await call('get A', `/accounts/${accountA.id}`, { headers: admin() })).status).toBe(200);
    expect((await call('list', '/accounts', { headers: admin() })).status).toBe(200);

    // Meta's handshake carries the verify token in the query string.
    const hub = (token: string) =>
      `hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${encodeURIComponent(token)}`;
    expect((await call('handshake A', `/webhooks/instagram/${accountA.id}?${hub(rotated.verifyToken)}`)).status).toBe(
      200,
    );
    expect((await call('handshake shared', `/webhooks/instagram?${hub(b.verifyToken)}`)).status).toBe(200);
    expect(
      (await call('handshake B with A’s token', `/webhooks/instagram/${accountB.id}?${hub(rotated.verifyToken)}`))
        .status,
    ).toBe(403);
    expect(
      (await call('handshake query form', `/webhooks/instagram?account_id=${accountA.id}&${hub(rotated.verifyToken)}`))
        .status,
    ).toBe(200);

    // Deliveries: a good one (answered by the fallback, sent with A's token, which Meta then rejects while quoting it),
    // one signed with the old secret, one signed with B's.
    fake.respondOnce('POST', fake.path('/me/messages'), {
      status: 400,
      body: {
        error: {
          message: `Error validating access token ${rotated.accessToken}: Session has expired`,
          type: 'OAuthException',
          code: 190,
          error_subcode: 463,
          fbtrace_id: 'trace',
        },
      },
    });
    const delivery = textDelivery(ME_USER_ID, 'm-secrets-1');
    const deliver = (what: string, body: string, secret: string) =>
      call(what, `/webhooks/instagram/${accountA.id}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signBody(body, secret) },
        body,
      });
    expect((await deliver('delivery', delivery, rotated.appSecret)).status).toBe(200);
    expect((await deliver('old secret', textDelivery(ME_USER_ID, 'm-2'), a.appSecret)).status).toBe(403);
    expect((await deliver('B’s secret', textDelivery(ME_USER_ID, 'm-3'), b.appSecret)).status).toBe(403);
    await waitFor('the reply to be sent and refused', async () =>
      fake.requestsTo('POST', fake.path('/me/messages')).length > 0 ? true : null,
    );
    expect(fake.requestsTo('POST', fake.path('/me/messages'))[0].headers.authorization).toBe(
      `Bearer ${rotated.accessToken}`,
    );

    // A request that fails inside the service is logged with its error (query and parameters redacted).
    await raw.query('ALTER TABLE response_rules RENAME TO response_rules_away');
    try {
      const failed = await call('rules table missing', `/accounts/${accountA.id}/rules`, {
        method: 'POST',
        headers: admin(),
        body: json({ name: 'r', matchType: 'contains', keywords: ['k'], responseText: 'x' }),
      });
      expect(failed.status).toBe(500);
    } finally {
      await raw.query('ALTER TABLE response_rules_away RENAME TO response_rules');
    }
    // An oversized admin body full of credentials.
    const oversized = newCredentials('oversized');
    const tooLarge = await call('oversized body', `/accounts/${accountA.id}`, {
      method: 'PUT',
      headers: admin(),
      body: json({ ...oversized, displayName: 'x'.repeat(300 * 1024) }),
    });
    expect(tooLarge.status).toBe(413);

    // Wrong admin tokens, the token where it does not belong, and the throttle.
    const wrong = changeAt(serviceSecrets.ADMIN_API_TOKEN, -1);
    expect((await call('wrong token', '/accounts', { headers: admin(wrong) })).status).toBe(401);
    for (const query of ['access_token', 'token']) {
      expect((await call(`token in ?${query}=`, `/accounts?${query}=${serviceSecrets.ADMIN_API_TOKEN}`)).status).toBe(
        401,
      );
    }
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await call('guess', '/accounts', { headers: admin(wrong) })).status);
    expect(statuses).toContain(429);
    // A blocked address is refused before its token is looked at, the right one too.
    expect((await call('the right token while blocked', '/accounts', { headers: admin() })).status).toBe(429);
  });

  it('wrote none of them, whole or in part, to its output, its answers or its database', async () => {
    service.child.kill('SIGTERM');
    await service.exited;
    const output = service.output();
    // The search looks at real logs: a line for each request (those the body parser refuses are not logged at all),
    // the warnings, and the error of the failed request.
    const unlogged = answers.filter((a) => !output.includes(a.requestId)).map((a) => a.what);
    expect(unlogged.filter((what) => what !== 'malformed JSON' && what !== 'oversized body')).toEqual([]);
    expect(output).toMatch(/"level":40/);
    expect(output).toMatch(/"level":50.*"err":/);

    const haystacks: Haystack[] = [
      { where: 'stdout and stderr', text: output },
      ...answers.map((a, i) => ({ where: `answer #${i} (${a.what} → ${a.status})`, text: `${a.headers}\n${a.text}` })),
      ...(await databaseHaystacks(raw)),
    ];
    expect(answers.length).toBeGreaterThan(30);
    expect(findLeaks(haystacks, [...secretsOfRun(serviceSecrets, credentials), ...proofs])).toEqual([]);
  });
});
