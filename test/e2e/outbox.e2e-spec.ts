import { newIgUserId, newIgsid } from '../support/factories';
import { AccountRepository } from '@accounts/account.repository';
import { ConversationRepository } from '@messaging/conversation.repository';
import { MessageRepository } from '@messaging/message.repository';
import { ConversationEntity } from '@messaging/persistence/conversation.entity';
import { createTestAccount, type TestAccount } from '../support/accounts';
import { adminClient } from '../support/admin-client';
import { eventually } from '../support/eventually';
import { FakeGraphApi, metaFixture, type RecordedRequest } from '../support/fake-graph-api';
import { fastMessaging } from '../support/fast-messaging';
import { customerMessage, echoOf } from '../support/instagram-events';
import { startTestApp, type TestApp } from '../support/test-app';
import { outboundMessagesTo } from '../support/outbound-messages';
import { postWebhook } from '../support/webhook-sender';

interface SendBody {
  recipient: { id: string };
  message: { text?: string };
}

describe('outbox: sending queued messages through the Graph API', () => {
  let fake: FakeGraphApi;
  let t: TestApp;
  const admin = () => adminClient(t);
  const sendPath = () => fake.path('/me/messages');

  /** The Send API calls made for one customer, in the order Meta received them. */
  const sendsTo = (customer: string): RecordedRequest[] =>
    fake.requestsTo('POST', sendPath()).filter((r) => (r.body as SendBody).recipient.id === customer);

  const newAccount = (fields: { fallbackResponse?: string } = {}) =>
    createTestAccount(t.app, { igUserId: newIgUserId(), ...fields });

  async function customerWrites(account: TestAccount, customer: string, text: string, timestamp?: number) {
    const body = customerMessage({ igUserId: account.account.igUserId, customer, text, timestamp });
    await postWebhook(
      t.app.getHttpServer(),
      `/webhooks/instagram/${account.account.id}`,
      body,
      account.credentials.appSecret,
    ).expect(200);
  }

  const outboundTo = (account: TestAccount, customer: string) => outboundMessagesTo(t.app, account, customer);

  const messageView = async (account: TestAccount, messageId: string) =>
    (await admin().get(`/accounts/${account.account.id}/messages/${messageId}`).expect(200)).body as Record<
      string,
      unknown
    >;

  /** Waits until the account's only reply to the customer has settled into one of `statuses`. */
  const replyOnceIn = async (account: TestAccount, customer: string, statuses: string[]) =>
    (
      await eventually(
        () => outboundTo(account, customer),
        (ms) => ms.length === 1 && statuses.includes(ms[0].status ?? ''),
      )
    )[0];

  beforeAll(async () => {
    fake = await FakeGraphApi.start();
    t = await startTestApp({ GRAPH_API_BASE_URL: fake.baseUrl }, undefined, fastMessaging());
  });

  afterEach(() => fake.reset());

  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  it('answers a webhook with its rule, with that account’s own token, and marks the reply delivered by its echo', async () => {
    const shop = await newAccount();
    const other = await newAccount({ fallbackResponse: 'The other shop answers.' });
    await admin()
      .post(`/accounts/${shop.account.id}/rules`, {
        name: 'shipping',
        matchType: 'word',
        keywords: ['ship'],
        responseText: 'We ship to Germany in 3-5 days.',
      })
      .expect(201);
    const customer = newIgsid();
    const otherCustomer = newIgsid();
    fake.respond('POST', sendPath(), (request) => {
      const recipient = (request.body as SendBody).recipient.id;
      return { body: { recipient_id: recipient, message_id: `mid-of-reply-to-${recipient}` } };
    });

    await customerWrites(shop, customer, 'Do you ship to Berlin?');
    await customerWrites(other, otherCustomer, 'Hello');

    const reply = await replyOnceIn(shop, customer, ['sent']);
    const [call] = sendsTo(customer);
    expect(call.headers.authorization).toBe(`Bearer ${shop.credentials.accessToken}`);
    expect(call.body).toEqual({ recipient: { id: customer }, message: { text: 'We ship to Germany in 3-5 days.' } });
    expect(reply.mid).toBe(`mid-of-reply-to-${customer}`);
    await replyOnceIn(other, otherCustomer, ['sent']);
    expect(sendsTo(otherCustomer)[0].headers.authorization).toBe(`Bearer ${other.credentials.accessToken}`);

    await postWebhook(
      t.app.getHttpServer(),
      `/webhooks/instagram/${shop.account.id}`,
      echoOf({ igUserId: shop.account.igUserId, customer, text: reply.text ?? '', mid: reply.mid ?? '' }),
      shop.credentials.appSecret,
    ).expect(200);

    const view = await messageView(shop, reply.id);
    expect(view).toMatchObject({ status: 'delivered', mid: reply.mid, attempts: 1, origin: 'rule', lastError: null });
    expect(view.ruleId).toEqual(expect.any(String));
    // Our own echo is neither stored as a person's message nor a reason to pause automation.
    expect(await outboundTo(shop, customer)).toHaveLength(1);
    const conversation = await t.app.get(ConversationRepository).getByParticipant(shop.account.id, customer);
    expect(conversation?.automationPausedUntil).toBeNull();
  });

  it('greets a new customer by name in the first reply, looking the profile up before sending', async () => {
    const shop = await newAccount({ fallbackResponse: 'Hi {{name}} (@{{username}}), thanks for writing!' });
    const customer = newIgsid();
    await customerWrites(shop, customer, 'hello');
    const reply = await replyOnceIn(shop, customer, ['sent']);
    const profile = metaFixture<{ name: string; username: string }>('user-profile.json');
    const expected = `Hi ${profile.name} (@${profile.username}), thanks for writing!`;
    expect((sendsTo(customer)[0].body as SendBody).message.text).toBe(expected);
    // The history shows what the customer received.
    expect(reply.text).toBe(expected);
    expect(fake.requestsTo('GET', fake.path(`/${customer}`)).length).toBeGreaterThanOrEqual(1);
  });

  it('sends the first reply with empty placeholders when Meta cannot tell who the customer is', async () => {
    const shop = await newAccount({ fallbackResponse: 'Hi {{name}}, thanks for writing!' });
    const customer = newIgsid();
    fake.respond('GET', fake.path(`/${customer}`), { status: 500, body: metaFixture('send-api-error-transient.json') });
    await customerWrites(shop, customer, 'hello');
    await replyOnceIn(shop, customer, ['sent']);
    expect((sendsTo(customer)[0].body as SendBody).message.text).toBe('Hi , thanks for writing!');
  });

  it('keeps a reply whose echo arrives before the Send API answers delivered, once, and not paused', async () => {
    const shop = await newAccount({ fallbackResponse: 'Thanks for writing!' });
    const customer = newIgsid();
    const mid = metaFixture<{ message_id: string }>('send-api-success.json').message_id;
    fake.respondOnce('POST', sendPath(), async () => {
      // Meta's echo overtakes the answer: the intake cannot know yet that this mid is ours.
      await postWebhook(
        t.app.getHttpServer(),
        `/webhooks/instagram/${shop.account.id}`,
        echoOf({ igUserId: shop.account.igUserId, customer, text: 'Thanks for writing!', mid }),
        shop.credentials.appSecret,
      ).expect(200);
      return { body: { recipient_id: customer, message_id: mid } };
    });

    await customerWrites(shop, customer, 'Hi');

    const reply = await replyOnceIn(shop, customer, ['delivered']);
    expect(reply).toMatchObject({ mid, origin: 'fallback', isEcho: false });
    const conversation = await t.app.get(ConversationRepository).getByParticipant(shop.account.id, customer);
    expect(conversation?.automationPausedUntil).toBeNull();
    // Automation still answers the next message.
    await customerWrites(shop, customer, 'Are you there?');
    await eventually(
      () => outboundTo(shop, customer),
      (ms) => ms.length === 2 && ms[1].status === 'sent',
    );
  });

  describe('a reply whose Send API call got no answer', () => {
    /** The first call reaches Meta, which sends the message (and so its echo) but whose answer is lost. */
    const firstCallEchoesThenDrops = (shop: TestAccount, customer: string, echoText: string, echoedAt = Date.now()) =>
      fake.respondOnce('POST', sendPath(), async () => {
        await postWebhook(
          t.app.getHttpServer(),
          `/webhooks/instagram/${shop.account.id}`,
          echoOf({ igUserId: shop.account.igUserId, customer, text: echoText, timestamp: echoedAt }),
          shop.credentials.appSecret,
        ).expect(200);
        return { dropConnection: true };
      });

    it('is not sent again once its echo shows Meta had it: delivered, and automation not paused', async () => {
      const shop = await newAccount({ fallbackResponse: 'Thanks for writing!' });
      const customer = newIgsid();
      firstCallEchoesThenDrops(shop, customer, 'Thanks for writing!');

      await customerWrites(shop, customer, 'Hi');

      const reply = await replyOnceIn(shop, customer, ['delivered']);
      expect(sendsTo(customer)).toHaveLength(1);
      const withEchoMid = await t.app.get(MessageRepository).getByMid(shop.account.id, reply.mid ?? '');
      // The echo's mid is the reply's own now; no message is left as typed by a person in the app.
      expect(withEchoMid).toMatchObject({ id: reply.id, origin: 'fallback', attempts: 1 });
      expect(await messageView(shop, reply.id)).toMatchObject({
        status: 'delivered',
        lastError: expect.stringMatching(/network error/),
      });
      const conversation = await t.app.get(ConversationRepository).getByParticipant(shop.account.id, customer);
      expect(conversation?.automationPausedUntil).toBeNull();
    });

    it.each([
      ['of something else a person typed', 'I will look into it myself', 0],
      // The same words typed in the app before the reply was queued (beyond a minute of clock skew).
      ['of the same text, from before the reply was queued', 'Thanks for writing!', 5 * 60_000],
    ])('is sent again when the only echo is %s', async (_case, echoText, echoedBeforeMs) => {
      const shop = await newAccount({ fallbackResponse: 'Thanks for writing!' });
      const customer = newIgsid();
      firstCallEchoesThenDrops(shop, customer, echoText, Date.now() - echoedBeforeMs);

      await customerWrites(shop, customer, 'Hi');

      await eventually(
        () => sendsTo(customer),
        (sends) => sends.length === 2,
      );
      expect(sendsTo(customer).map((r) => (r.body as SendBody).message.text)).toEqual([
        'Thanks for writing!',
        'Thanks for writing!',
      ]);
      const typed = (await outboundTo(shop, customer)).filter((m) => m.origin === 'app');
      expect(typed.map((m) => m.text)).toEqual([echoText]);
    });
  });

  it('retries 500, 500 and sends on the third attempt, once', async () => {
    const shop = await newAccount({ fallbackResponse: 'Hello from the shop' });
    const customer = newIgsid();
    fake.respondOnce('POST', sendPath(), { status: 500, body: 'upstream broke' });
    fake.respondOnce('POST', sendPath(), { status: 500, body: 'upstream broke' });

    await customerWrites(shop, customer, 'Hi');

    const reply = await replyOnceIn(shop, customer, ['sent']);
    expect(sendsTo(customer)).toHaveLength(3);
    expect(await messageView(shop, reply.id)).toMatchObject({
      status: 'sent',
      attempts: 3,
      lastError: expect.stringContaining('HTTP 500'),
    });
  });

  it('backs off a rate limit as long as Meta’s usage headers ask, counting the attempt', async () => {
    const shop = await newAccount({ fallbackResponse: 'Hello' });
    const customer = newIgsid();
    const usage = JSON.stringify({
      [shop.account.igUserId]: [{ type: 'instagram', call_count: 100, estimated_time_to_regain_access: 5 }],
    });
    fake.respondOnce('POST', sendPath(), {
      status: 400,
      body: metaFixture('send-api-error-app-rate-limit.json'),
      headers: { 'x-business-use-case-usage': usage },
    });
    const before = Date.now();

    await customerWrites(shop, customer, 'Hi');

    const reply = await eventually(
      () => outboundTo(shop, customer),
      (ms) => ms.length === 1 && ms[0].attempts === 1,
    );
    const view = await messageView(shop, reply[0].id);
    expect(view).toMatchObject({ status: 'queued', attempts: 1, lastErrorCode: 4, mid: null });
    expect(new Date(String(view.nextAttemptAt)).getTime()).toBeGreaterThanOrEqual(before + 5 * 60_000);
    expect(sendsTo(customer)).toHaveLength(1);
  });

  it('fails at once on a permanent error, keeping Meta’s code, subcode and message', async () => {
    const shop = await newAccount({ fallbackResponse: 'Hello' });
    const customer = newIgsid();
    fake.respondOnce('POST', sendPath(), { status: 403, body: metaFixture('send-api-error-outside-window.json') });

    await customerWrites(shop, customer, 'Hi');

    const reply = await replyOnceIn(shop, customer, ['failed']);
    expect(await messageView(shop, reply.id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastErrorCode: 10,
      lastErrorSubcode: 2534022,
      lastError: expect.stringContaining('This message is sent outside of allowed window.'),
    });
    expect(sendsTo(customer)).toHaveLength(1);
  });

  it('holds an account’s queue while its token is invalid, spending no attempts, and resumes with the new token', async () => {
    const shop = await newAccount({ fallbackResponse: 'Hello' });
    const witness = await newAccount({ fallbackResponse: 'Hello' });
    const customer = newIgsid();
    fake.respondOnce('POST', sendPath(), { status: 400, body: metaFixture('send-api-error-token-expired.json') });

    await customerWrites(shop, customer, 'first');
    await eventually(
      () => admin().get(`/accounts/${shop.account.id}`),
      (res) => res.body.tokenStatus === 'invalid',
    );
    const [held] = await outboundTo(shop, customer);
    expect(await messageView(shop, held.id)).toMatchObject({ status: 'queued', attempts: 0, lastErrorCode: 190 });

    // Another reply is queued behind it; the dispatcher keeps working for other accounts, not for this one.
    await customerWrites(shop, customer, 'second');
    const witnessCustomer = newIgsid();
    await customerWrites(witness, witnessCustomer, 'Hi');
    await replyOnceIn(witness, witnessCustomer, ['sent']);
    expect(sendsTo(customer)).toHaveLength(1);
    expect((await outboundTo(shop, customer)).map((m) => [m.status, m.attempts])).toEqual([
      ['queued', 0],
      ['queued', 0],
    ]);

    const newToken = `IGAAT-renewed-${newIgsid()}`;
    await admin().put(`/accounts/${shop.account.id}`, { accessToken: newToken }).expect(200);

    const sent = await eventually(
      () => outboundTo(shop, customer),
      (ms) => ms.length === 2 && ms.every((m) => m.status === 'sent'),
    );
    expect(sent.map((m) => m.attempts)).toEqual([1, 1]);
    const resumed = sendsTo(customer).slice(1);
    expect(resumed.map((r) => r.headers.authorization)).toEqual([`Bearer ${newToken}`, `Bearer ${newToken}`]);
    expect(resumed.map((r) => (r.body as SendBody).message.text)).toEqual(['Hello', 'Hello']);
  });

  it('refuses, without calling Meta, an automatic reply whose window closed while it waited', async () => {
    const shop = await newAccount({ fallbackResponse: 'Hello' });
    await t.app.get(AccountRepository).update(shop.account.id, { tokenStatus: 'invalid' });
    const customer = newIgsid();
    await customerWrites(shop, customer, 'Hi');
    const [waiting] = await outboundTo(shop, customer);
    expect(waiting.status).toBe('queued');

    // A day passes without the customer writing again.
    await t.dataSource
      .getRepository(ConversationEntity)
      .update({ accountId: shop.account.id }, { lastInboundAt: new Date(Date.now() - 25 * 3_600_000) });
    await t.app.get(AccountRepository).update(shop.account.id, { tokenStatus: 'unknown' });

    const reply = await replyOnceIn(shop, customer, ['failed']);
    expect(await messageView(shop, reply.id)).toMatchObject({
      attempts: 0,
      lastErrorCode: null,
      lastError: expect.stringMatching(/^not sent: the 24-hour messaging window closed at .*automatic messages/),
    });
    expect(sendsTo(customer)).toHaveLength(0);
  });
});
