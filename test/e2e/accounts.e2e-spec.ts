import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { AccountCredentials } from '@accounts/account';
import { AccountRepository } from '@accounts/account.repository';
import { ID_PATTERN, newId } from '@common/ids';
import { FakeGraphApi, metaFixture } from '../support/fake-graph-api';
import { startTestApp, type TestApp } from '../support/test-app';

/** me.json's user_id: the account whose token the fake Graph API vouches for by default. */
const ME_USER_ID = metaFixture<{ user_id: string }>('me.json').user_id;
const FRAGMENT_LENGTH = 12;

let sequence = 0;
function newAccountBody(overrides: Record<string, unknown> = {}) {
  sequence += 1;
  return {
    username: `shop_${sequence}_${randomBytes(3).toString('hex')}`,
    igUserId: `1784150${String(Date.now()).slice(-6)}${String(sequence).padStart(4, '0')}`,
    accessToken: `IGAAT${randomBytes(40).toString('hex')}`,
    appSecret: randomBytes(16).toString('hex'),
    verifyToken: `verify-${randomBytes(12).toString('hex')}`,
    displayName: `Shop ${sequence}`,
    fallbackResponse: 'Thanks! We will get back to you soon.',
    ...overrides,
  };
}

/** Every 12-character piece of every secret that shows up in the text. */
function leakedFragments(text: string, secrets: string[]): string[] {
  const leaks: string[] = [];
  for (const secret of secrets) {
    for (let i = 0; i + FRAGMENT_LENGTH <= secret.length; i++) {
      const fragment = secret.slice(i, i + FRAGMENT_LENGTH);
      if (text.includes(fragment)) leaks.push(fragment);
    }
  }
  return leaks;
}

const secretsOf = (body: { accessToken: unknown; appSecret: unknown; verifyToken: unknown }) =>
  [body.accessToken, body.appSecret, body.verifyToken].map(String);

describe('accounts admin API', () => {
  let fake: FakeGraphApi;
  let t: TestApp;
  /** Every secret any test sent; no response of any route may contain a piece of one. */
  const allSecrets: string[] = [];

  const api = () => {
    const agent = request(t.app.getHttpServer());
    const auth = `Bearer ${t.env.ADMIN_API_TOKEN}`;
    const checked = (test: request.Test) =>
      test.set('Authorization', auth).expect((res) => expect(leakedFragments(res.text, allSecrets)).toEqual([]));
    return {
      post: (url: string, body?: object) => checked(agent.post(url).send(body)),
      get: (url: string) => checked(agent.get(url)),
      put: (url: string, body: object) => checked(agent.put(url).send(body)),
      delete: (url: string) => checked(agent.delete(url)),
    };
  };

  const create = async (overrides: Record<string, unknown> = {}, query = '') => {
    const body = newAccountBody(overrides);
    allSecrets.push(...secretsOf(body));
    const res = await api().post(`/accounts${query}`, body);
    return { body, res };
  };

  const storedCredentials = (id: string): Promise<AccountCredentials> =>
    t.app.get(AccountRepository).getCredentials(id);

  beforeAll(async () => {
    fake = await FakeGraphApi.start();
    t = await startTestApp({ GRAPH_API_BASE_URL: fake.baseUrl });
  });

  afterEach(() => fake.reset());

  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  it('creates an account and shows exactly the public fields, never a credential', async () => {
    const { body, res } = await create({ username: '@Shop.Main_1' });
    expect(res.status).toBe(201);
    const account = res.body;
    expect(Object.keys(account).sort()).toEqual(
      [
        'autoReplyLimit',
        'autoReplyLimitMinutes',
        'createdAt',
        'displayName',
        'fallbackResponse',
        'id',
        'igUserId',
        'isActive',
        'loginType',
        'pageId',
        'tokenExpiresAt',
        'tokenStatus',
        'updatedAt',
        'username',
        'webhookUrl',
      ].sort(),
    );
    expect(account).toMatchObject({
      username: 'shop.main_1',
      igUserId: body.igUserId,
      loginType: 'instagram',
      pageId: null,
      displayName: body.displayName,
      fallbackResponse: body.fallbackResponse,
      isActive: true,
      tokenStatus: 'unknown',
      tokenExpiresAt: null,
      webhookUrl: `https://gateway.test.example/webhooks/instagram/${account.id}`,
    });
    expect(account.id).toMatch(ID_PATTERN);
    expect(new Date(account.createdAt).toISOString()).toBe(account.createdAt);

    expect((await api().get(`/accounts/${account.id}`).expect(200)).body).toEqual(account);
    const list = await api().get('/accounts?limit=200').expect(200);
    expect(list.body.items).toContainEqual(account);
    expect(fake.requests).toHaveLength(0);
  });

  it('keeps credentials only as ciphertext, decrypted for the code that needs them', async () => {
    const { body, res } = await create();
    const [row] = (await t.dataSource.query(
      'SELECT access_token_ciphertext, app_secret_ciphertext, verify_token_ciphertext FROM accounts WHERE id = ?',
      [res.body.id],
    )) as Array<Record<string, string>>;
    const columns = Object.values(row);
    expect(columns).toHaveLength(3);
    for (const column of columns) expect(column).toMatch(/^v1\./);
    expect(leakedFragments(columns.join(' '), secretsOf(body))).toEqual([]);
    expect(await storedCredentials(res.body.id)).toEqual({
      accessToken: body.accessToken,
      appSecret: body.appSecret,
      verifyToken: body.verifyToken,
    });
  });

  it('refuses invalid input with one message per field', async () => {
    const res = await api()
      .post('/accounts', {
        ...newAccountBody(),
        username: 'not a username!',
        igUserId: 17841400,
        accessToken: undefined,
        appSecret: 'has spaces in it',
        fallbackResponse: 'é'.repeat(501),
        isAdmin: true,
      })
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'validation_failed', requestId: expect.any(String) });
    expect(Object.keys(res.body.fields).sort()).toEqual(
      ['accessToken', 'appSecret', 'fallbackResponse', 'igUserId', 'isAdmin', 'username'].sort(),
    );
    expect(res.body.fields.username).toMatch(/letters, digits/);
    expect(res.body.fields.accessToken).toMatch(/required/);
    expect(res.body.fields.fallbackResponse).toMatch(/1000 bytes/);

    const tooLongName = await api()
      .post('/accounts', newAccountBody({ username: 'a'.repeat(31) }))
      .expect(400);
    expect(Object.keys(tooLongName.body.fields)).toEqual(['username']);
  });

  it('lists every account page by page with an opaque cursor', async () => {
    const created = [];
    for (let i = 0; i < 3; i++) created.push((await create()).res.body.id as string);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await api().get(`/accounts?limit=2${query}`).expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((a: { id: string }) => a.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort());
    expect(seen).toEqual(expect.arrayContaining(created));
  });

  it('answers 50 accounts by default and at most 200', async () => {
    const existing = (await api().get('/accounts?limit=200').expect(200)).body.items.length;
    for (let i = existing; i < 51; i++) await create();
    const page = await api().get('/accounts').expect(200);
    expect(page.body.items).toHaveLength(50);
    expect(page.body.nextCursor).toEqual(expect.any(String));

    for (const bad of ['limit=0', 'limit=201', 'limit=ten', 'cursor=not-a-cursor']) {
      const res = await api().get(`/accounts?${bad}`).expect(400);
      expect(Object.keys(res.body.fields)).toEqual([bad.split('=')[0]]);
    }
  });

  it('answers 404 for an unknown or malformed account id on every route', async () => {
    for (const id of [newId(), 'not-an-id', '1 OR 1=1']) {
      const path = `/accounts/${encodeURIComponent(id)}`;
      const responses = [
        await api().get(path),
        await api().put(path, { displayName: 'x' }),
        await api().delete(path),
        await api().post(`${path}/subscribe`),
      ];
      for (const res of responses) {
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ statusCode: 404, error: 'account_not_found' });
      }
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses a taken username or igUserId with 409, naming the field', async () => {
    const { body: first } = await create();
    const sameUsername = await create({ username: `@${first.username.toUpperCase()}` });
    expect(sameUsername.res.status).toBe(409);
    expect(sameUsername.res.body).toMatchObject({ error: 'conflict', fields: { username: expect.any(String) } });

    const sameIgUserId = await create({ igUserId: first.igUserId });
    expect(sameIgUserId.res.status).toBe(409);
    expect(sameIgUserId.res.body).toMatchObject({ error: 'conflict', fields: { igUserId: expect.any(String) } });

    const { res: other } = await create();
    const rename = await api().put(`/accounts/${other.body.id}`, { username: first.username }).expect(409);
    expect(rename.body.fields).toEqual({ username: expect.any(String) });
  });

  it('lets exactly one of two simultaneous creations of the same username win', async () => {
    const username = `race_${randomBytes(4).toString('hex')}`;
    const results = await Promise.all([create({ username }), create({ username })]);
    expect(results.map((r) => r.res.status).sort()).toEqual([201, 409]);
    const loser = results.find((r) => r.res.status === 409)!;
    expect(loser.res.body.fields).toEqual({ username: expect.any(String) });
  });

  it('updates any subset of fields, re-encrypting new credentials', async () => {
    const { body, res } = await create();
    const id = res.body.id as string;
    const [before] = await t.dataSource.query('SELECT app_secret_ciphertext AS c FROM accounts WHERE id = ?', [id]);

    const fallback = 'é'.repeat(500); // 1000 bytes: Meta's limit, allowed
    const updated = await api()
      .put(`/accounts/${id}`, { displayName: null, fallbackResponse: fallback, username: '@Renamed_Shop' + sequence })
      .expect(200);
    expect(updated.body).toMatchObject({ displayName: null, fallbackResponse: fallback });
    expect(updated.body.username).toBe(`renamed_shop${sequence}`);
    expect(new Date(updated.body.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(res.body.updatedAt).getTime());

    const appSecret = randomBytes(16).toString('hex');
    allSecrets.push(appSecret);
    await api().put(`/accounts/${id}`, { appSecret }).expect(200);
    expect(await storedCredentials(id)).toEqual({
      accessToken: body.accessToken,
      appSecret,
      verifyToken: body.verifyToken,
    });
    const [after] = await t.dataSource.query('SELECT app_secret_ciphertext AS c FROM accounts WHERE id = ?', [id]);
    expect(after.c).not.toBe(before.c);
    expect(leakedFragments(after.c, [appSecret])).toEqual([]);

    const refused = await api().put(`/accounts/${id}`, { accessToken: null, igUserId: 'abc' }).expect(400);
    expect(Object.keys(refused.body.fields).sort()).toEqual(['accessToken', 'igUserId']);
  });

  it('deactivates without deleting, and reactivates', async () => {
    const { res } = await create();
    const id = res.body.id as string;
    const deleted = await api().delete(`/accounts/${id}`).expect(204);
    expect(deleted.text).toBe('');
    expect((await api().get(`/accounts/${id}`).expect(200)).body.isActive).toBe(false);
    await api().delete(`/accounts/${id}`).expect(204);
    const list = await api().get('/accounts?limit=200').expect(200);
    expect(list.body.items.find((a: { id: string }) => a.id === id)?.isActive).toBe(false);

    const subscribe = await api().post(`/accounts/${id}/subscribe`).expect(409);
    expect(subscribe.body.error).toBe('account_inactive');
    expect(fake.requests).toHaveLength(0);

    expect((await api().put(`/accounts/${id}`, { isActive: true }).expect(200)).body.isActive).toBe(true);
  });

  describe('?validate=true', () => {
    it('asks Meta for /me with the token in the header and marks the token valid', async () => {
      const { body, res } = await create({ igUserId: ME_USER_ID }, '?validate=true');
      expect(res.status).toBe(201);
      expect(res.body.tokenStatus).toBe('valid');
      const [call] = fake.requestsTo('GET', '/v25.0/me');
      expect(call.query).toEqual({ fields: 'user_id,username' });
      expect(call.headers.authorization).toBe(`Bearer ${body.accessToken}`);
    });

    it('refuses with 422 when Meta rejects the token (code 190), storing nothing', async () => {
      fake.respondOnce('GET', '/v25.0/me', { status: 400, body: metaFixture('send-api-error-token-expired.json') });
      const { body, res } = await create({}, '?validate=true');
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ error: 'token_rejected', message: expect.stringContaining('190') });
      const list = await api().get('/accounts?limit=200').expect(200);
      expect(list.body.items.map((a: { username: string }) => a.username)).not.toContain(body.username);
    });

    it('refuses with 422 when the token belongs to another Instagram user', async () => {
      const { res } = await create({ igUserId: '17841499999999999' }, '?validate=true');
      expect(res.status).toBe(422);
      expect(res.body.error).toBe('token_rejected');
      expect(res.body.message).toContain(ME_USER_ID);
    });

    it('answers 502 when Meta cannot be reached', async () => {
      fake.respondOnce('GET', '/v25.0/me', { dropConnection: true });
      const { res } = await create({}, '?validate=true');
      expect(res.status).toBe(502);
      expect(res.body.error).toBe('graph_api_unavailable');
    });

    it('accepts only true or false', async () => {
      const res = await api().post('/accounts?validate=yes', newAccountBody()).expect(400);
      expect(Object.keys(res.body.fields)).toEqual(['validate']);
    });
  });

  describe('subscribe', () => {
    it("subscribes with that account's own token and every field the service handles", async () => {
      await create();
      const { body, res } = await create();
      const answer = await api().post(`/accounts/${res.body.id}/subscribe`).expect(200);
      expect(answer.body).toEqual({
        subscribed: true,
        fields: [
          'messages',
          'messaging_postbacks',
          'messaging_seen',
          'message_reactions',
          'messaging_referral',
          'message_edit',
          'comments',
          'live_comments',
        ],
      });
      const calls = fake.requestsTo('POST', '/v25.0/me/subscribed_apps');
      expect(calls).toHaveLength(1);
      expect(calls[0].headers.authorization).toBe(`Bearer ${body.accessToken}`);
      expect(calls[0].query.subscribed_fields).toBe(
        'messages,messaging_postbacks,messaging_seen,message_reactions,messaging_referral,message_edit,comments,live_comments',
      );
      expect((await api().get(`/accounts/${res.body.id}`).expect(200)).body.tokenStatus).toBe('valid');
    });

    it('marks the token invalid when Meta rejects it, until a new token is given', async () => {
      const { res } = await create();
      const id = res.body.id as string;
      fake.respondOnce('POST', '/v25.0/me/subscribed_apps', {
        status: 400,
        body: metaFixture('send-api-error-token-expired.json'),
      });
      const refused = await api().post(`/accounts/${id}/subscribe`).expect(422);
      expect(refused.body.error).toBe('token_rejected');
      expect((await api().get(`/accounts/${id}`).expect(200)).body.tokenStatus).toBe('invalid');

      await api().put(`/accounts/${id}`, { displayName: 'still invalid' }).expect(200);
      expect((await api().get(`/accounts/${id}`).expect(200)).body.tokenStatus).toBe('invalid');

      const accessToken = `IGAAT${randomBytes(40).toString('hex')}`;
      allSecrets.push(accessToken);
      const renewed = await api().put(`/accounts/${id}`, { accessToken }).expect(200);
      expect(renewed.body.tokenStatus).toBe('unknown');
      expect((await storedCredentials(id)).accessToken).toBe(accessToken);
    });

    it('answers 422 when Meta refuses for another reason, and 502 when it fails', async () => {
      const { res } = await create();
      fake.respondOnce('POST', '/v25.0/me/subscribed_apps', {
        status: 403,
        body: { error: { message: '(#10) Application does not have permission', type: 'OAuthException', code: 10 } },
      });
      expect((await api().post(`/accounts/${res.body.id}/subscribe`).expect(422)).body.error).toBe(
        'graph_api_rejected',
      );
      fake.respondOnce('POST', '/v25.0/me/subscribed_apps', {
        status: 500,
        body: metaFixture('send-api-error-transient.json'),
      });
      expect((await api().post(`/accounts/${res.body.id}/subscribe`).expect(502)).body.error).toBe(
        'graph_api_unavailable',
      );
    });
  });
});
