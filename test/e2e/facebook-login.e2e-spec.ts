/**
 * Accounts connected through Facebook Login: their Graph API calls go to
 * graph.facebook.com (the fake's second host, which refuses any call without
 * the Page token's correct `appsecret_proof`), address the account's Page,
 * and everything else (routes, signatures, rules, the outbox) is shared with
 * Instagram Login accounts.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { AccountRepository } from '@accounts/account.repository';
import { AccessTokenRefresher } from '@accounts/tokens/access-token-refresher';
import { ConversationRepository } from '@messaging/conversation.repository';
import { createPageTestAccount, createTestAccount, newPageId, type TestAccount } from '../support/accounts';
import { adminClient } from '../support/admin-client';
import { eventually } from '../support/eventually';
import { type FakePage, FakeGraphApi, metaFixture, type RecordedRequest } from '../support/fake-graph-api';
import { fastMessaging } from '../support/fast-messaging';
import { customerMessage, newMid } from '../support/instagram-events';
import { startTestApp, type TestApp } from '../support/test-app';
import { outboundMessagesTo } from '../support/outbound-messages';
import { postWebhook } from '../support/webhook-sender';

interface SendBody {
  recipient: { id: string };
  message: { text?: string };
}

const DAY = 24 * 60 * 60 * 1000;
const newIgUserId = () => `17841${randomInt(10 ** 9, 10 ** 10)}`;
const newIgsid = () => `${randomInt(10 ** 7, 10 ** 8)}${randomInt(10 ** 7, 10 ** 8)}`;
const newPage = (igUserId: string | null = newIgUserId()): FakePage => ({
  pageId: newPageId(),
  igUserId,
  accessToken: `EAAT-test-page-${randomBytes(20).toString('hex')}`,
  appSecret: randomBytes(16).toString('hex'),
});

describe('accounts connected through Facebook Login', () => {
  let fake: FakeGraphApi;
  let t: TestApp;
  const admin = () => adminClient(t);
  const server = () => t.app.getHttpServer();
  const pagePath = (pageId: string, edge = '') => fake.facebook.path(`/${pageId}${edge}`);
  /** The Send API calls graph.facebook.com answered for this Page. */
  const pageSends = (page: { pageId: string }) => fake.facebook.requestsTo('POST', pagePath(page.pageId, '/messages'));

  /** Every call to graph.facebook.com carried this Page's token in the header and its proof, and never in the URL. */
  function expectEveryCallAsThePage(
    page: Pick<FakePage, 'pageId' | 'accessToken' | 'appSecret'>,
    calls: RecordedRequest[],
  ) {
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect({ path: call.path, authorization: call.headers.authorization, proof: call.query.appsecret_proof }).toEqual(
        { path: call.path, authorization: `Bearer ${page.accessToken}`, proof: fake.facebook.proofOf(page) },
      );
      expect(call.query.access_token).toBeUndefined();
    }
  }

  const callsOf = (page: Pick<FakePage, 'accessToken'>) =>
    fake.facebook.requests.filter((call) => call.headers.authorization === `Bearer ${page.accessToken}`);

  async function customerWrites(account: TestAccount, customer: string, text: string, route?: string) {
    await postWebhook(
      server(),
      route ?? `/webhooks/instagram/${account.account.id}`,
      customerMessage({ igUserId: account.account.igUserId, customer, text }),
      account.credentials.appSecret,
    ).expect(200);
  }

  const outboundTo = (account: TestAccount, customer: string) => outboundMessagesTo(t.app, account, customer);

  const repliesIn = (account: TestAccount, customer: string, statuses: string[], count = 1) =>
    eventually(
      () => outboundTo(account, customer),
      (ms) => ms.length === count && ms.every((m) => statuses.includes(m.status ?? '')),
    );

  const accountView = async (id: string) => (await admin().get(`/accounts/${id}`).expect(200)).body;

  beforeAll(async () => {
    fake = await FakeGraphApi.start();
    t = await startTestApp(
      { GRAPH_API_BASE_URL: fake.baseUrl, FACEBOOK_GRAPH_API_BASE_URL: fake.facebook.baseUrl },
      undefined,
      fastMessaging(),
    );
  });

  afterEach(() => fake.reset());

  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  describe('validation', () => {
    const body = (page: FakePage, igUserId = page.igUserId) => ({
      username: `page_shop_${randomBytes(4).toString('hex')}`,
      igUserId,
      loginType: 'facebook',
      pageId: page.pageId,
      accessToken: page.accessToken,
      appSecret: page.appSecret,
      verifyToken: `verify-${randomBytes(8).toString('hex')}`,
    });

    it('checks that the Page names the account’s igUserId, with the Page token and its proof, on graph.facebook.com only', async () => {
      const page = newPage();
      fake.facebook.addPage(page);
      const res = await admin().post('/accounts?validate=true', body(page)).expect(201);
      expect(res.body).toMatchObject({
        igUserId: page.igUserId,
        loginType: 'facebook',
        pageId: page.pageId,
        tokenStatus: 'valid',
        tokenExpiresAt: null,
      });
      const [check] = fake.facebook.requestsTo('GET', pagePath(page.pageId));
      expect(check.query.fields).toBe('instagram_business_account');
      expectEveryCallAsThePage(page, fake.facebook.requests);
      expect(fake.requests).toHaveLength(0);
    });

    it('refuses a Page linked to another Instagram account, or to none, and a wrong app secret, storing nothing', async () => {
      const page = newPage();
      fake.facebook.addPage(page);
      const elsewhere = await admin().post('/accounts?validate=true', body(page, newIgUserId())).expect(422);
      expect(elsewhere.body).toMatchObject({ error: 'token_rejected', fields: { igUserId: expect.any(String) } });

      const lonely = newPage(null);
      fake.facebook.addPage(lonely);
      const none = await admin().post('/accounts?validate=true', { ...body(lonely), igUserId: newIgUserId() });
      expect(none.status).toBe(422);
      expect(none.body).toMatchObject({ error: 'token_rejected', fields: { pageId: expect.any(String) } });

      // Meta refuses a proof made with another app's secret.
      const wrongSecret = await admin()
        .post('/accounts?validate=true', { ...body(page), appSecret: randomBytes(16).toString('hex') })
        .expect(422);
      expect(wrongSecret.body.error).toBe('graph_api_rejected');
      expect(wrongSecret.body.message).toContain('appsecret_proof');

      expect(await t.app.get(AccountRepository).getByIgUserId(page.igUserId!)).toBeNull();
    });

    it('needs a Page for Facebook Login and refuses one for Instagram Login, naming the fields', async () => {
      const page = newPage();
      const { pageId: _pageId, ...withoutPage } = body(page);
      const missing = await admin().post('/accounts', withoutPage).expect(400);
      expect(Object.keys(missing.body.fields)).toEqual(['pageId']);
      const misplaced = await admin()
        .post('/accounts', { ...body(page), loginType: 'instagram' })
        .expect(400);
      expect(Object.keys(misplaced.body.fields).sort()).toEqual(['loginType', 'pageId']);
      const malformed = await admin()
        .post('/accounts', { ...body(page), pageId: '12/messages' })
        .expect(400);
      expect(Object.keys(malformed.body.fields)).toEqual(['pageId']);
      expect(await t.app.get(AccountRepository).getByIgUserId(page.igUserId!)).toBeNull();
    });

    it('moves an account between the logins with PUT: its token status starts over, and leaving drops the Page', async () => {
      const shop = await createTestAccount(t.app, { igUserId: newIgUserId() });
      await t.app.get(AccountRepository).update(shop.account.id, { tokenStatus: 'invalid' });
      const page = newPage(shop.account.igUserId);

      const moved = await admin()
        .put(`/accounts/${shop.account.id}`, {
          loginType: 'facebook',
          pageId: page.pageId,
          accessToken: page.accessToken,
        })
        .expect(200);
      expect(moved.body).toMatchObject({ loginType: 'facebook', pageId: page.pageId, tokenStatus: 'unknown' });
      const refused = await admin().put(`/accounts/${shop.account.id}`, { pageId: null }).expect(400);
      expect(Object.keys(refused.body.fields)).toEqual(['pageId']);

      const back = await admin().put(`/accounts/${shop.account.id}`, { loginType: 'instagram' }).expect(200);
      expect(back.body).toMatchObject({ loginType: 'instagram', pageId: null });
      expect(await accountView(shop.account.id)).toMatchObject({ loginType: 'instagram', pageId: null });
    });

    it('connects an Instagram account once: the other login, or another account’s Page, is a 409', async () => {
      const viaInstagram = await createTestAccount(t.app, { igUserId: newIgUserId() });
      const page = newPage(viaInstagram.account.igUserId);
      const twice = await admin().post('/accounts', body(page)).expect(409);
      expect(twice.body).toMatchObject({ error: 'conflict', fields: { igUserId: expect.any(String) } });

      const viaPage = await createPageTestAccount(t.app, fake.facebook, { igUserId: newIgUserId() });
      const samePage = await admin()
        .post('/accounts', { ...body(newPage()), pageId: viaPage.pageId })
        .expect(409);
      expect(samePage.body).toMatchObject({ error: 'conflict', fields: { pageId: expect.any(String) } });
    });
  });

  it('answers a webhook through /{pageId}/messages, greeting the customer by the name graph.facebook.com gives', async () => {
    const shop = await createPageTestAccount(t.app, fake.facebook, {
      igUserId: newIgUserId(),
      fallbackResponse: 'Hi {{name}}, thanks for writing!',
    });
    const customer = newIgsid();

    await customerWrites(shop, customer, 'Hello');

    const [reply] = await repliesIn(shop, customer, ['sent']);
    const [send] = pageSends(shop);
    const profile = metaFixture<{ name: string }>('user-profile.json');
    expect(send.body).toEqual({
      recipient: { id: customer },
      message: { text: `Hi ${profile.name}, thanks for writing!` },
    });
    expect(reply.mid).toEqual(expect.any(String));
    expect(fake.facebook.requestsTo('GET', fake.facebook.path(`/${customer}`)).length).toBeGreaterThanOrEqual(1);
    expectEveryCallAsThePage({ ...shop.credentials, pageId: shop.pageId }, fake.facebook.requests);
    expect(fake.requests).toHaveLength(0);
  });

  it('sends an operator’s message through the Page', async () => {
    const shop = await createPageTestAccount(t.app, fake.facebook, { igUserId: newIgUserId() });
    const customer = newIgsid();
    await customerWrites(shop, customer, 'Is my order on its way?');

    const queued = await admin()
      .post(`/accounts/${shop.account.id}/messages`, { recipientId: customer, text: 'It ships today.' })
      .expect(202);

    await eventually(
      async () => (await admin().get(`/accounts/${shop.account.id}/messages/${queued.body.id}`).expect(200)).body,
      (message) => message.status === 'sent',
    );
    expect(pageSends(shop).map((send) => send.body)).toEqual([
      { recipient: { id: customer }, message: { text: 'It ships today.' } },
    ]);
    expectEveryCallAsThePage({ ...shop.credentials, pageId: shop.pageId }, fake.facebook.requests);
    expect(fake.requests).toHaveLength(0);
  });

  it('subscribes the Page to the app’s webhooks', async () => {
    const shop = await createPageTestAccount(t.app, fake.facebook, { igUserId: newIgUserId() });

    const res = await admin().post(`/accounts/${shop.account.id}/subscribe`).expect(200);

    expect(res.body).toEqual({
      subscribed: true,
      fields: ['messages', 'messaging_postbacks', 'message_reads', 'message_reactions', 'messaging_referrals'],
    });
    const [call] = fake.facebook.requestsTo('POST', pagePath(shop.pageId, '/subscribed_apps'));
    expect(call.query.subscribed_fields).toBe(res.body.fields.join(','));
    expectEveryCallAsThePage({ ...shop.credentials, pageId: shop.pageId }, fake.facebook.requests);
    expect(fake.requests).toHaveLength(0);
    expect((await accountView(shop.account.id)).tokenStatus).toBe('valid');
  });

  it('never refreshes a Page token, while an Instagram Login token beside it is refreshed', async () => {
    const viaPage = await createPageTestAccount(t.app, fake.facebook, { igUserId: newIgUserId() });
    const viaInstagram = await createTestAccount(t.app, { igUserId: newIgUserId() });
    const soon = new Date(Date.now() + DAY);
    for (const { account } of [viaPage, viaInstagram]) {
      await t.app.get(AccountRepository).update(account.id, { tokenExpiresAt: soon, tokenStatus: 'valid' });
    }

    const report = await t.app.get(AccessTokenRefresher).refreshDueTokens();

    expect(report.refreshed).toContain(viaInstagram.account.id);
    expect([...report.refreshed, ...report.failed]).not.toContain(viaPage.account.id);
    expect(fake.facebook.requests).toHaveLength(0);
    expect(fake.requestsTo('GET', fake.path('/refresh_access_token')).map((r) => r.query.access_token)).toEqual([
      viaInstagram.credentials.accessToken,
    ]);
    expect((await t.app.get(AccountRepository).getCredentials(viaPage.account.id)).accessToken).toBe(
      viaPage.credentials.accessToken,
    );
  });

  it('holds the queue when the Page answers 190, until the account gets a new Page token', async () => {
    const shop = await createPageTestAccount(t.app, fake.facebook, {
      igUserId: newIgUserId(),
      fallbackResponse: 'We will answer soon.',
    });
    fake.facebook.respondOnce('POST', pagePath(shop.pageId, '/messages'), {
      status: 400,
      body: metaFixture('send-api-error-token-expired.json'),
    });
    const customer = newIgsid();

    await customerWrites(shop, customer, 'Hello');
    await eventually(
      () => accountView(shop.account.id),
      (account) => account.tokenStatus === 'invalid',
    );
    await customerWrites(shop, customer, 'Anyone there?');
    const held = await repliesIn(shop, customer, ['queued'], 2);
    expect(held.map((m) => m.attempts)).toEqual([0, 0]);
    expect(held[0].lastError).toContain('#190');
    expect(pageSends(shop)).toHaveLength(1);

    const renewed = { ...shop.credentials, accessToken: `EAAT-test-renewed-${randomBytes(20).toString('hex')}` };
    fake.facebook.addPage({ pageId: shop.pageId, igUserId: shop.account.igUserId, ...renewed });
    await admin().put(`/accounts/${shop.account.id}`, { accessToken: renewed.accessToken }).expect(200);

    await repliesIn(shop, customer, ['sent'], 2);
    expect(
      pageSends(shop)
        .slice(1)
        .map((send) => send.headers.authorization),
    ).toEqual([`Bearer ${renewed.accessToken}`, `Bearer ${renewed.accessToken}`]);
    expectEveryCallAsThePage({ ...renewed, pageId: shop.pageId }, callsOf(renewed));
  });

  it('mixes both kinds on the shared route, each delivery signed and answered with its own account’s secrets', async () => {
    const viaInstagram = await createTestAccount(t.app, {
      igUserId: newIgUserId(),
      fallbackResponse: 'Answered through Instagram Login.',
    });
    const viaPage = await createPageTestAccount(t.app, fake.facebook, {
      igUserId: newIgUserId(),
      fallbackResponse: 'Answered through the Page.',
    });
    const [instagramCustomer, pageCustomer] = [newIgsid(), newIgsid()];

    await customerWrites(viaInstagram, instagramCustomer, 'Hi', '/webhooks/instagram');
    await customerWrites(viaPage, pageCustomer, 'Hi', '/webhooks/instagram');

    await repliesIn(viaInstagram, instagramCustomer, ['sent']);
    await repliesIn(viaPage, pageCustomer, ['sent']);
    const instagramSends = fake.requestsTo('POST', fake.path('/me/messages'));
    expect(instagramSends.map((send) => [send.headers.authorization, send.query.appsecret_proof])).toEqual([
      [`Bearer ${viaInstagram.credentials.accessToken}`, undefined],
    ]);
    expect((instagramSends[0].body as SendBody).message.text).toBe('Answered through Instagram Login.');
    expect(pageSends(viaPage).map((send) => (send.body as SendBody).message.text)).toEqual([
      'Answered through the Page.',
    ]);
    expectEveryCallAsThePage({ ...viaPage.credentials, pageId: viaPage.pageId }, fake.facebook.requests);

    // One account's secret never signs for the other, alone or beside its own entry.
    const forPage = customerMessage({ igUserId: viaPage.account.igUserId, customer: newIgsid(), text: 'x' });
    await postWebhook(server(), '/webhooks/instagram', forPage, viaInstagram.credentials.appSecret).expect(403);
    const both = JSON.stringify({
      object: 'instagram',
      entry: [viaInstagram, viaPage].map(
        ({ account }) =>
          JSON.parse(customerMessage({ igUserId: account.igUserId, customer: newIgsid(), text: 'x', mid: newMid() }))
            .entry[0],
      ),
    });
    await postWebhook(server(), '/webhooks/instagram', both, viaPage.credentials.appSecret).expect(403);
    await postWebhook(server(), '/webhooks/instagram', both, viaInstagram.credentials.appSecret).expect(403);
  });

  it('keeps accounts apart: each Page’s calls carry its own token and proof, and none reaches another account', async () => {
    const first = await createPageTestAccount(t.app, fake.facebook, {
      igUserId: newIgUserId(),
      fallbackResponse: 'One',
    });
    const second = await createPageTestAccount(t.app, fake.facebook, {
      igUserId: newIgUserId(),
      fallbackResponse: 'Two',
    });
    const viaInstagram = await createTestAccount(t.app, { igUserId: newIgUserId(), fallbackResponse: 'Three' });
    const customers = [newIgsid(), newIgsid(), newIgsid()];

    await customerWrites(first, customers[0], 'Hello');
    await customerWrites(second, customers[1], 'Hello');
    await customerWrites(viaInstagram, customers[2], 'Hello');
    // On a Page's own route, an entry for another account is applied to neither.
    const stranger = newIgsid();
    await postWebhook(
      server(),
      `/webhooks/instagram/${first.account.id}`,
      customerMessage({ igUserId: second.account.igUserId, customer: stranger, text: 'not yours' }),
      first.credentials.appSecret,
    ).expect(200);

    await repliesIn(first, customers[0], ['sent']);
    await repliesIn(second, customers[1], ['sent']);
    await repliesIn(viaInstagram, customers[2], ['sent']);
    expect(
      pageSends(first).map((send) => [(send.body as SendBody).recipient.id, (send.body as SendBody).message.text]),
    ).toEqual([[customers[0], 'One']]);
    expect(
      pageSends(second).map((send) => [(send.body as SendBody).recipient.id, (send.body as SendBody).message.text]),
    ).toEqual([[customers[1], 'Two']]);
    expectEveryCallAsThePage({ ...first.credentials, pageId: first.pageId }, callsOf(first.credentials));
    expectEveryCallAsThePage({ ...second.credentials, pageId: second.pageId }, callsOf(second.credentials));
    // Every call to graph.facebook.com was one of the two Pages', and graph.instagram.com saw only the Instagram account.
    expect(callsOf(first.credentials).length + callsOf(second.credentials).length).toBe(fake.facebook.requests.length);
    for (const call of fake.requests) {
      expect([call.headers.authorization, call.query.appsecret_proof]).toEqual([
        `Bearer ${viaInstagram.credentials.accessToken}`,
        undefined,
      ]);
    }
    for (const { account } of [first, second]) {
      expect(await t.app.get(ConversationRepository).getByParticipant(account.id, stranger)).toBeNull();
    }
  });
});
