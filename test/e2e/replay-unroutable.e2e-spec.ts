import { randomBytes } from 'node:crypto';
import type { AccountCredentials } from '@accounts/account';
import { AccountRepository } from '@accounts/account.repository';
import { MessageEntity } from '@messaging/persistence/message.entity';
import type { TestAccount } from '../support/accounts';
import { adminClient } from '../support/admin-client';
import { newIgUserId, newIgsid } from '../support/factories';
import { FakeGraphApi } from '../support/fake-graph-api';
import { fastMessaging } from '../support/fast-messaging';
import { commentChange, customerMessage, newMid } from '../support/instagram-events';
import { startTestApp, type TestApp } from '../support/test-app';
import { postWebhook } from '../support/webhook-sender';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers, read as a client reads JSON
type Json = Record<string, any>;

describe('replay of unroutable entries', () => {
  let fake: FakeGraphApi;
  let t: TestApp;
  /** The Meta app of an account registered before any delivery, so the shared route knows its secret. */
  let hubApp: string;
  const admin = () => adminClient(t);

  /**
   * An account of the Meta app whose secret this is (several accounts may
   * share one app), registered through the admin API as an operator does.
   */
  async function accountOfApp(appSecret: string, igUserId = newIgUserId(), fields: Json = {}): Promise<TestAccount> {
    const credentials: AccountCredentials = {
      accessToken: `IGAAT-test-access-${randomBytes(12).toString('hex')}`,
      appSecret,
      verifyToken: `verify-${randomBytes(8).toString('hex')}`,
    };
    const created = await admin()
      .post('/accounts', { username: `shop_${randomBytes(6).toString('hex')}`, igUserId, ...credentials, ...fields })
      .expect(201);
    const account = await t.app.get(AccountRepository).getById(created.body.id);
    return { account: account!, credentials };
  }

  const newAppSecret = () => `app-secret-${randomBytes(16).toString('hex')}`;

  /** A customer's message to `igUserId`, delivered to `path` and signed with `appSecret`. */
  async function delivered(path: string, igUserId: string, appSecret: string, text: string, mid = newMid()) {
    const body = customerMessage({ igUserId, customer: newIgsid(), text, mid });
    await postWebhook(t.app.getHttpServer(), path, body, appSecret).expect(200);
    return mid;
  }

  const storedOf = (account: TestAccount) =>
    t.dataSource
      .getRepository(MessageEntity)
      .find({ where: { accountId: account.account.id }, order: { text: 'ASC' } });

  const replay = async (account: TestAccount) =>
    (await admin().post(`/accounts/${account.account.id}/replay-unroutable`).expect(202)).body as Json;

  beforeAll(async () => {
    fake = await FakeGraphApi.start();
    t = await startTestApp({ GRAPH_API_BASE_URL: fake.baseUrl }, undefined, fastMessaging());
    hubApp = newAppSecret();
    await accountOfApp(hubApp);
  });

  afterEach(() => fake.reset());

  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  it('applies, once and without answering, only the entries its own app secret signed; lists them as kept', async () => {
    const sharedApp = hubApp;
    const otherApp = newAppSecret();
    // Another app serves an account too.
    const ofOtherApp = await accountOfApp(otherApp);
    const newcomer = newIgUserId();
    const early = await delivered('/webhooks/instagram', newcomer, sharedApp, 'a: before registration');
    const later = await delivered('/webhooks/instagram', newcomer, sharedApp, 'b: still before registration');
    // Signed by another app: on the shared route, and on another account's own route.
    const forged = await delivered('/webhooks/instagram', newcomer, otherApp, 'c: another app');
    await delivered(`/webhooks/instagram/${ofOtherApp.account.id}`, newcomer, otherApp, 'd: another route');

    const listed = await admin().get(`/unroutable-events?entryId=${newcomer}`).expect(200);
    expect(listed.body.items.map((e: Json) => e.reason).sort()).toEqual([
      'foreign_entry',
      'unknown_account',
      'unknown_account',
      'unknown_account',
    ]);
    expect(listed.body.items.every((e: Json) => e.appliedAt === null && e.entryId === newcomer)).toBe(true);
    const firstPage = await admin()
      .get(`/unroutable-events?entryId=${newcomer}&reason=unknown_account&limit=2`)
      .expect(200);
    expect(firstPage.body.items).toHaveLength(2);
    const secondPage = await admin()
      .get(`/unroutable-events?entryId=${newcomer}&reason=unknown_account&limit=2&cursor=${firstPage.body.nextCursor}`)
      .expect(200);
    expect(secondPage.body).toMatchObject({
      items: [expect.objectContaining({ reason: 'unknown_account' })],
      nextCursor: null,
    });

    // The account registers, with the shared app's secret, and an answer for every message.
    const registered = await accountOfApp(sharedApp, newcomer, { fallbackResponse: 'We will answer soon.' });
    // One of the kept messages is redelivered by Meta once the account exists.
    await delivered(
      `/webhooks/instagram/${registered.account.id}`,
      newcomer,
      sharedApp,
      'b: still before registration',
      later,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const answersBefore = fake.requestsTo('POST', fake.path('/me/messages')).length;

    expect(await replay(registered)).toEqual({ applied: 1, alreadyPresent: 1, refusedBySignature: 2 });

    const stored = await storedOf(registered);
    const inbound = stored.filter((m) => m.direction === 'inbound');
    expect(inbound.map((m) => [m.mid, m.source])).toEqual([
      [early, 'replay'],
      [later, 'webhook'],
    ]);
    expect(inbound.map((m) => m.mid)).not.toContain(forged);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.requestsTo('POST', fake.path('/me/messages'))).toHaveLength(answersBefore);
    const after = await admin().get(`/unroutable-events?entryId=${newcomer}`).expect(200);
    expect(after.body.items.filter((e: Json) => e.appliedAt !== null)).toHaveLength(2);

    // Applied entries are not applied again; those another app signed stay refused.
    expect(await replay(registered)).toEqual({ applied: 0, alreadyPresent: 0, refusedBySignature: 2 });
    expect(await storedOf(registered)).toHaveLength(stored.length);
  });

  it('stores a kept comment, and answers it with neither a private nor a public reply, whatever the rules say', async () => {
    const newcomer = newIgUserId();
    const commentId = `1800000${String(Date.now()).slice(-10)}`;
    const commenter = newIgsid();
    const body = commentChange({
      igUserId: newcomer,
      from: commenter,
      text: 'GUIDE please',
      commentId,
      mediaId: '18000000000001901',
    });
    await postWebhook(t.app.getHttpServer(), '/webhooks/instagram', body, hubApp).expect(200);
    const registered = await accountOfApp(hubApp, newcomer);
    await admin()
      .post(`/accounts/${registered.account.id}/rules`, {
        name: 'guide',
        trigger: 'comment',
        matchType: 'word',
        keywords: ['guide'],
        responseText: 'Here is the guide',
        publicReplyText: 'Check your DMs',
      })
      .expect(201);

    expect(await replay(registered)).toEqual({ applied: 1, alreadyPresent: 0, refusedBySignature: 0 });

    const stored = await storedOf(registered);
    expect(stored.map((m) => [m.direction, m.type, m.commentId, m.source])).toEqual([
      ['inbound', 'comment', commentId, 'replay'],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const privateReplies = fake
      .requestsTo('POST', fake.path('/me/messages'))
      .filter((r) => (r.body as Json).recipient?.comment_id === commentId);
    expect(privateReplies).toHaveLength(0);
    expect(fake.requestsTo('POST', fake.path(`/${commentId}/replies`))).toHaveLength(0);
  });

  it('keeps accounts apart: a replay applies only the entries of the account’s own Instagram id', async () => {
    const app = hubApp;
    const [first, second] = [newIgUserId(), newIgUserId()];
    await delivered('/webhooks/instagram', first, app, 'for the first');
    await delivered('/webhooks/instagram', second, app, 'for the second');
    const a = await accountOfApp(app, first);
    const b = await accountOfApp(app, second);

    expect(await replay(a)).toEqual({ applied: 1, alreadyPresent: 0, refusedBySignature: 0 });

    expect((await storedOf(a)).map((m) => m.text)).toEqual(['for the first']);
    expect(await storedOf(b)).toEqual([]);
    expect(await replay(b)).toEqual({ applied: 1, alreadyPresent: 0, refusedBySignature: 0 });
    expect((await storedOf(b)).map((m) => m.text)).toEqual(['for the second']);
    await admin().post(`/accounts/019ac4a2-6f1e-7c3a-9d2b-3f4e5a6b7c8d/replay-unroutable`).expect(404);
  });
});
