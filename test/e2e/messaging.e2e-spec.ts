import { newIgUserId, newIgsid } from '../support/factories';
import request from 'supertest';
import { AccountRepository } from '@accounts/account.repository';
import { ContactRepository } from '@contacts/contact.repository';
import { ContactEntity } from '@contacts/persistence/contact.entity';
import { MessageEntity } from '@messaging/persistence/message.entity';
import { AccessTokenRefresher } from '@accounts/tokens/access-token-refresher';
import { createTestAccount, type TestAccount } from '../support/accounts';
import { adminClient } from '../support/admin-client';
import { eventually } from '../support/eventually';
import { FakeGraphApi, metaFixture, type RecordedRequest } from '../support/fake-graph-api';
import { fastMessaging } from '../support/fast-messaging';
import { customerMessage } from '../support/instagram-events';
import { startTestApp, type TestApp } from '../support/test-app';
import { postWebhook } from '../support/webhook-sender';

interface SendBody {
  recipient: { id: string };
  message: { text?: string };
  tag?: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('sending messages as an operator, contacts, token refresh and health', () => {
  let fake: FakeGraphApi;
  let t: TestApp;
  let shop: TestAccount;
  const admin = () => adminClient(t);
  const messagesOf = (account: TestAccount) => `/accounts/${account.account.id}/messages`;
  const sendsTo = (customer: string): RecordedRequest[] =>
    fake.requestsTo('POST', fake.path('/me/messages')).filter((r) => (r.body as SendBody).recipient.id === customer);
  const outboundCount = (account: TestAccount) =>
    t.dataSource.getRepository(MessageEntity).countBy({ accountId: account.account.id, direction: 'outbound' });

  /** The customer writes to the account; Meta's timestamp may lie in the past (a late delivery). */
  async function customerWrote(account: TestAccount, ago = 0, customer = newIgsid()): Promise<string> {
    await postWebhook(
      t.app.getHttpServer(),
      `/webhooks/instagram/${account.account.id}`,
      customerMessage({ igUserId: account.account.igUserId, customer, text: 'Hello', timestamp: Date.now() - ago }),
      account.credentials.appSecret,
    ).expect(200);
    return customer;
  }

  beforeAll(async () => {
    fake = await FakeGraphApi.start();
    t = await startTestApp({ GRAPH_API_BASE_URL: fake.baseUrl }, undefined, fastMessaging());
  });

  beforeEach(async () => {
    shop = await createTestAccount(t.app, { igUserId: newIgUserId() });
  });

  afterEach(() => fake.reset());

  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  describe('POST /accounts/:id/messages', () => {
    it('queues a message (202) and sends it; GET shows its delivery state', async () => {
      const customer = await customerWrote(shop);

      const queued = await admin()
        .post(messagesOf(shop), { recipientId: customer, text: 'Your order shipped.' })
        .expect(202);
      expect(queued.body).toMatchObject({
        direction: 'outbound',
        type: 'text',
        text: 'Your order shipped.',
        status: 'queued',
        attempts: 0,
        mid: null,
        origin: 'operator',
        ruleId: null,
        lastError: null,
        partIds: [queued.body.id],
      });
      expect(queued.body.conversationId).toEqual(expect.any(String));
      expect(queued.body.timestamp).toEqual(expect.any(String));

      const sent = await eventually(
        () => admin().get(`${messagesOf(shop)}/${queued.body.id}`),
        (res) => res.body.status === 'sent',
      );
      expect(sent.body).toMatchObject({ attempts: 1, mid: expect.any(String), lastError: null });
      expect(sendsTo(customer)).toHaveLength(1);
      expect(sendsTo(customer)[0].headers.authorization).toBe(`Bearer ${shop.credentials.accessToken}`);
      expect(JSON.stringify(sent.body)).not.toContain(shop.credentials.accessToken);
    });

    it('splits a 2500-byte text into parts of at most 1000 bytes, sent one after the other, in order', async () => {
      const customer = await customerWrote(shop);
      const words = ['Größe', 'shipping', 'to', 'Berlin', 'takes', 'three', 'days,', 'usually.'];
      const text = Array.from({ length: 400 }, (_, i) => words[i % words.length])
        .join(' ')
        .slice(0, 2500)
        .replace(/\s+\S*$/, '');
      expect(Buffer.byteLength(text)).toBeGreaterThan(2400);
      // The first part answers slowly: the second must not be asked for before that answer.
      let inFlight = 0;
      let mostAtOnce = 0;
      let answered = 0;
      fake.respond('POST', fake.path('/me/messages'), async (call) => {
        inFlight += 1;
        mostAtOnce = Math.max(mostAtOnce, inFlight);
        if (answered === 0) await new Promise((resolve) => setTimeout(resolve, 150));
        answered += 1;
        inFlight -= 1;
        return { body: { recipient_id: (call.body as SendBody).recipient.id, message_id: `mid-${answered}` } };
      });

      const queued = await admin().post(messagesOf(shop), { recipientId: customer, text }).expect(202);
      expect(queued.body.partIds).toHaveLength(3);

      const calls = await eventually(
        () => sendsTo(customer),
        (sent) => sent.length === 3 && answered === 3,
      );
      const parts = calls.map((call) => (call.body as SendBody).message.text ?? '');
      expect(parts.every((part) => Buffer.byteLength(part) <= 1000)).toBe(true);
      expect(parts.join(' ')).toBe(text);
      expect(mostAtOnce).toBe(1);
      const states = await Promise.all(
        queued.body.partIds.map(
          async (id: string) =>
            (
              await admin()
                .get(`${messagesOf(shop)}/${id}`)
                .expect(200)
            ).body,
        ),
      );
      expect(states.map((s) => [s.status, s.mid])).toEqual([
        ['sent', 'mid-1'],
        ['sent', 'mid-2'],
        ['sent', 'mid-3'],
      ]);
    });

    it('refuses a message outside the 24-hour window with 422, queuing nothing and not calling Meta', async () => {
      const customer = await customerWrote(shop, 25 * HOUR);

      const res = await admin().post(messagesOf(shop), { recipientId: customer, text: 'Still there?' }).expect(422);
      expect(res.body.error).toBe('outside_messaging_window');
      expect(res.body.message).toMatch(/24-hour messaging window closed at .*HUMAN_AGENT/);
      expect(await outboundCount(shop)).toBe(0);
      expect(sendsTo(customer)).toHaveLength(0);
    });

    it('sends a HUMAN_AGENT message up to 7 days after the person’s last message, tagged', async () => {
      const customer = await customerWrote(shop, 3 * DAY);
      const queued = await admin()
        .post(messagesOf(shop), { recipientId: customer, text: 'Anna from support here.', tag: 'HUMAN_AGENT' })
        .expect(202);
      await eventually(
        () => admin().get(`${messagesOf(shop)}/${queued.body.id}`),
        (res) => res.body.status === 'sent',
      );
      const fixture = metaFixture<Record<string, unknown>>('send-api-request-human-agent.json');
      expect(sendsTo(customer)[0].body).toEqual({
        ...fixture,
        recipient: { id: customer },
        message: { text: 'Anna from support here.' },
      });

      const late = await customerWrote(shop, 8 * DAY);
      const res = await admin()
        .post(messagesOf(shop), { recipientId: late, text: 'Sorry for the wait.', tag: 'HUMAN_AGENT' })
        .expect(422);
      expect(res.body.message).toMatch(/7-day window of the HUMAN_AGENT tag/);
    });

    it('refuses someone who never wrote to the account with 422', async () => {
      const res = await admin().post(messagesOf(shop), { recipientId: newIgsid(), text: 'Hi' }).expect(422);
      expect(res.body.message).toMatch(/has not messaged this account yet/);
      expect(await outboundCount(shop)).toBe(0);
    });

    it('queues and holds a message while the account’s token is invalid', async () => {
      const customer = await customerWrote(shop);
      await t.app.get(AccountRepository).update(shop.account.id, { tokenStatus: 'invalid' });
      const queued = await admin().post(messagesOf(shop), { recipientId: customer, text: 'Held' }).expect(202);
      expect(queued.body.status).toBe('queued');

      // /health counts (its figures may be a few seconds old); the admin API names the account.
      await eventually(
        async () => await request(t.app.getHttpServer()).get('/health').expect(200),
        (health) => health.body.info.outbox.held >= 1 && health.body.info.accounts.tokensInvalid >= 1,
      );
      const invalid = await admin().get('/accounts?tokenStatus=invalid').expect(200);
      expect(invalid.body.items).toContainEqual(
        expect.objectContaining({ id: shop.account.id, tokenStatus: 'invalid' }),
      );
    });

    it.each([
      ['no recipient', { text: 'Hi' }, 'recipientId'],
      ['two recipients', { recipientId: '123', recipientUsername: 'anna', text: 'Hi' }, 'recipientUsername'],
      ['no content', { recipientId: '123' }, 'text'],
      ['text and template', { recipientId: '123', text: 'Hi', templateName: 'x' }, 'templateName'],
      ['params that are not strings', { recipientId: '123', templateName: 'x', params: { n: 1 } }, 'params'],
      ['another tag', { recipientId: '123', text: 'Hi', tag: 'ACCOUNT_UPDATE' }, 'tag'],
      ['an IGSID with letters', { recipientId: 'abc', text: 'Hi' }, 'recipientId'],
    ])('refuses %s with 400', async (_case, body, field) => {
      const res = await admin().post(messagesOf(shop), body).expect(400);
      expect(Object.keys(res.body.fields)).toEqual([field]);
    });

    it('answers 404 for a message of another account, and for an unknown account', async () => {
      const other = await createTestAccount(t.app, { igUserId: newIgUserId() });
      const customer = await customerWrote(other);
      const theirs = await admin().post(messagesOf(other), { recipientId: customer, text: 'Hi' }).expect(202);
      const res = await admin()
        .get(`${messagesOf(shop)}/${theirs.body.id}`)
        .expect(404);
      expect(res.body.error).toBe('message_not_found');
      await admin()
        .get(`${messagesOf(shop)}/not-an-id`)
        .expect(404);
      await admin()
        .post('/accounts/0190a5d2-0000-7000-8000-000000000000/messages', { recipientId: customer, text: 'Hi' })
        .expect(404);
    });
  });

  describe('contacts', () => {
    it('looks up a new customer’s profile in the background, so they can be addressed by username', async () => {
      fake.respond('GET', fake.path('/1029384756102938'), {
        body: { ...metaFixture<Record<string, unknown>>('user-profile.json'), username: 'Synthetic_Customer' },
      });
      const customer = await customerWrote(shop, 0, '1029384756102938');

      const contact = await eventually(
        () => t.app.get(ContactRepository).getByIgsid(shop.account.id, customer),
        (found) => found?.profileFetchedAt != null,
      );
      expect(contact).toMatchObject({ username: 'synthetic_customer', name: 'Synthetic Customer', lookupAttempts: 0 });
      const [lookup] = fake.requestsTo('GET', fake.path(`/${customer}`));
      expect(lookup.headers.authorization).toBe(`Bearer ${shop.credentials.accessToken}`);
      expect(contact!.nextLookupAt!.getTime()).toBeGreaterThan(Date.now() + 6 * DAY);

      const queued = await admin()
        .post(messagesOf(shop), { recipientUsername: '@Synthetic_Customer', text: 'Hi Anna' })
        .expect(202);
      await eventually(
        () => admin().get(`${messagesOf(shop)}/${queued.body.id}`),
        (res) => res.body.status === 'sent',
      );
      expect(sendsTo(customer).map((call) => (call.body as SendBody).message.text)).toEqual(['Hi Anna']);
    });

    it('refuses a username nobody with that name has written from, with 422', async () => {
      const res = await admin().post(messagesOf(shop), { recipientUsername: 'nobody_here', text: 'Hi' }).expect(422);
      expect(res.body.error).toBe('recipient_not_found');
      expect(res.body.message).toMatch(/@nobody_here/);
    });

    it('retries a failed lookup later, and the message is stored and answered all the same', async () => {
      const replying = await createTestAccount(t.app, { igUserId: newIgUserId(), fallbackResponse: 'We got it!' });
      const customer = newIgsid();
      fake.respond('GET', fake.path(`/${customer}`), { status: 500, body: { error: { code: 2, message: 'down' } } });
      await customerWrote(replying, 0, customer);

      const contact = await eventually(
        () => t.app.get(ContactRepository).getByIgsid(replying.account.id, customer),
        (found) => (found?.lookupAttempts ?? 0) >= 1,
      );
      expect(contact).toMatchObject({ username: null, profileFetchedAt: null });
      expect(contact!.lastLookupError).toMatch(/\(#2\) down/);
      expect(contact!.nextLookupAt!.getTime()).toBeGreaterThan(Date.now() + 30_000);
      await eventually(
        () => sendsTo(customer),
        (calls) => calls.length === 1,
      );
      const rows = await t.dataSource.getRepository(ContactEntity).countBy({ accountId: replying.account.id });
      expect(rows).toBe(1);
    });
  });

  describe('access tokens', () => {
    it('refreshes a token that expires within 7 days, and the admin API names it until then', async () => {
      const soon = new Date(Date.now() + 2 * DAY);
      await t.app.get(AccountRepository).update(shop.account.id, { tokenExpiresAt: soon, tokenStatus: 'valid' });
      const expiring = () => admin().get('/accounts?tokenExpiresWithin=7d').expect(200);
      expect((await expiring()).body.items).toContainEqual(
        expect.objectContaining({
          id: shop.account.id,
          username: shop.account.username,
          tokenStatus: 'valid',
          tokenExpiresAt: soon.toISOString(),
        }),
      );

      const report = await t.app.get(AccessTokenRefresher).refreshDueTokens();

      expect(report.refreshed).toContain(shop.account.id);
      const [call] = fake.requestsTo('GET', fake.path('/refresh_access_token'));
      expect(call.query).toEqual({ grant_type: 'ig_refresh_token', access_token: shop.credentials.accessToken });
      const refreshed = metaFixture<{ access_token: string; expires_in: number }>('refresh-token.json');
      expect((await t.app.get(AccountRepository).getCredentials(shop.account.id)).accessToken).toBe(
        refreshed.access_token,
      );
      const account = (await admin().get(`/accounts/${shop.account.id}`).expect(200)).body;
      expect(account.tokenStatus).toBe('valid');
      expect(new Date(account.tokenExpiresAt).getTime()).toBeGreaterThan(Date.now() + 59 * DAY);
      expect((await t.app.get(AccountRepository).getById(shop.account.id))?.tokenRefreshedAt).not.toBeNull();
      expect((await expiring()).body.items).not.toContainEqual(expect.objectContaining({ id: shop.account.id }));
    });

    it('leaves alone tokens far from expiry, and marks one Meta rejects invalid', async () => {
      const later = await createTestAccount(t.app, { igUserId: newIgUserId() });
      await t.app.get(AccountRepository).update(later.account.id, { tokenExpiresAt: new Date(Date.now() + 30 * DAY) });
      await t.app.get(AccountRepository).update(shop.account.id, { tokenExpiresAt: new Date(Date.now() + DAY) });
      fake.respondOnce('GET', fake.path('/refresh_access_token'), {
        status: 400,
        body: metaFixture('send-api-error-token-expired.json'),
      });

      const report = await t.app.get(AccessTokenRefresher).refreshDueTokens();

      expect(report.refreshed).not.toContain(later.account.id);
      expect(report.failed).toContain(shop.account.id);
      expect(fake.requestsTo('GET', fake.path('/refresh_access_token')).map((r) => r.query.access_token)).toEqual([
        shop.credentials.accessToken,
      ]);
      expect((await admin().get(`/accounts/${shop.account.id}`).expect(200)).body.tokenStatus).toBe('invalid');
    });
  });
});
