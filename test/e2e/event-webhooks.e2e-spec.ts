import { randomBytes, randomInt } from 'node:crypto';
import request from 'supertest';
import { EventDeliveryEntity } from '@events/persistence/event-delivery.entity';
import { DeliveryRetentionWorker } from '@retention/delivery-retention-worker';
import { createTestAccount, type TestAccount } from '../support/accounts';
import { adminClient } from '../support/admin-client';
import { runCli } from '../support/cli-runner';
import { eventually } from '../support/eventually';
import { EventReceiver, type ReceivedEvent } from '../support/event-receiver';
import { FakeGraphApi, metaFixture } from '../support/fake-graph-api';
import { fastEvents } from '../support/fast-events';
import { fastMessaging } from '../support/fast-messaging';
import { customerMessage, echoOf, newMid } from '../support/instagram-events';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';
import { testEnvironment } from '../support/test-environment';
import { postWebhook } from '../support/webhook-sender';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers and event bodies, read as a receiver reads JSON
type Json = Record<string, any>;

const newIgUserId = () => `17841${randomInt(10 ** 9, 10 ** 10)}`;
const newIgsid = () => `${randomInt(10 ** 7, 10 ** 8)}${randomInt(10 ** 7, 10 ** 8)}`;
/** An endpoint that fails this long without a success is disabled, in these tests... */
const DISABLE_AFTER_MS = 1500;
/** ...longer than a delivery's whole schedule takes. */
const RETRY_DELAYS_MS = [50, 50, 50, 50, 50, 50, 50];

describe('event webhooks', () => {
  let fake: FakeGraphApi;
  let receiver: EventReceiver;
  let t: TestApp;
  let paths = 0;
  const admin = () => adminClient(t);

  /** An endpoint of its own path on the receiver, which trusts its secret. */
  async function endpoint(fields: Json = {}): Promise<{ id: string; path: string; secret: string; body: Json }> {
    paths += 1;
    const path = `/hooks/${paths}`;
    const res = await admin()
      .post('/event-endpoints', { url: receiver.url(path), events: ['*'], ...fields })
      .expect(201);
    receiver.trust(path, res.body.secret);
    return { id: res.body.id, path, secret: res.body.secret, body: res.body };
  }

  const newAccount = () => createTestAccount(t.app, { igUserId: newIgUserId() });

  async function customerWrites(account: TestAccount, customer: string, text: string, mid = newMid()) {
    const body = customerMessage({ igUserId: account.account.igUserId, customer, text, mid });
    await postWebhook(
      t.app.getHttpServer(),
      `/webhooks/instagram/${account.account.id}`,
      body,
      account.credentials.appSecret,
    ).expect(200);
    return body;
  }

  async function echo(account: TestAccount, customer: string, mid: string) {
    const body = echoOf({ igUserId: account.account.igUserId, customer, text: 'from the account', mid });
    await postWebhook(
      t.app.getHttpServer(),
      `/webhooks/instagram/${account.account.id}`,
      body,
      account.credentials.appSecret,
    ).expect(200);
  }

  /** Waits until `count` events of `type` reached `path`. */
  const received = (path: string, type: string, count = 1) =>
    eventually(
      () => receiver.at(path, type),
      (events) => events.length >= count,
    );

  const deliveriesOf = async (endpointId: string) =>
    (await admin().get(`/event-endpoints/${endpointId}/deliveries`).expect(200)).body.items as Json[];

  beforeAll(async () => {
    fake = await FakeGraphApi.start();
    receiver = await EventReceiver.start();
    const configure = (builder: Parameters<ReturnType<typeof fastMessaging>>[0]) =>
      fastEvents({ disableAfterMs: DISABLE_AFTER_MS, retryDelaysMs: RETRY_DELAYS_MS })(fastMessaging()(builder));
    t = await startTestApp(
      { GRAPH_API_BASE_URL: fake.baseUrl, EVENT_ENDPOINTS_ALLOW_PRIVATE: 'true' },
      undefined,
      configure,
    );
  });

  afterEach(() => {
    receiver.reset();
    fake.reset();
  });

  afterAll(async () => {
    await t.close();
    await receiver.close();
    await fake.close();
  });

  describe('the endpoints API', () => {
    it('shows the secret only when it is made, and never again', async () => {
      const account = await newAccount();
      const { id, secret, body } = await endpoint({
        events: ['message.received'],
        accountIds: [account.account.id],
        description: 'CRM',
      });
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
      expect(body).toMatchObject({ events: ['message.received'], accountIds: [account.account.id], enabled: true });

      const read = await admin().get(`/event-endpoints/${id}`).expect(200);
      expect(read.body).toEqual({ ...body, secret: undefined });
      expect(JSON.stringify(read.body)).not.toContain(secret.slice(6));
      const list = await admin().get('/event-endpoints').expect(200);
      expect(list.body.items.map((e: Json) => e.id)).toContain(id);
      expect(list.text).not.toContain(secret.slice(6));

      const changed = await admin()
        .put(`/event-endpoints/${id}`, { events: ['*'], accountIds: null, description: null })
        .expect(200);
      expect(changed.body).toMatchObject({ events: ['*'], accountIds: null, description: null });

      await admin().delete(`/event-endpoints/${id}`).expect(204);
      await admin().get(`/event-endpoints/${id}`).expect(404);
    });

    it('refuses accountIds that name no account, and events it does not know', async () => {
      const unknown = '019ac4a2-0000-7000-8000-000000000000';
      const res = await admin()
        .post('/event-endpoints', { url: receiver.url('/x'), events: ['*'], accountIds: [unknown] })
        .expect(400);
      expect(res.body.fields).toEqual({ accountIds: `accountIds names no account: ${unknown}` });
      const events = await admin()
        .post('/event-endpoints', { url: receiver.url('/x'), events: ['message.read'] })
        .expect(400);
      expect(Object.keys(events.body.fields)).toEqual(['events']);
      const star = await admin()
        .post('/event-endpoints', { url: receiver.url('/x'), events: ['*', 'message.sent'] })
        .expect(400);
      expect(star.body.fields.events).toMatch(/\["\*"\] alone/);
    });
  });

  describe('events, signed as Standard Webhooks', () => {
    it('tells a received message, the reply sent and its echo, each verified by the receiver', async () => {
      const account = await newAccount();
      const { path, id } = await endpoint({ accountIds: [account.account.id] });
      await admin()
        .post(`/accounts/${account.account.id}/rules`, {
          name: 'price',
          matchType: 'word',
          keywords: ['price'],
          responseText: 'Prices are on our website.',
        })
        .expect(201);
      const customer = newIgsid();
      await customerWrites(account, customer, 'What is the price?');

      const [receivedEvent] = await received(path, 'message.received');
      const [sent] = await received(path, 'message.sent');
      const message = receivedEvent.event.data.message as Json;
      expect(receivedEvent.event.data).toMatchObject({
        accountId: account.account.id,
        conversationId: message.conversationId,
        participantId: customer,
      });
      // The message in the admin API's shape, field for field.
      const stored = await admin().get(`/accounts/${account.account.id}/messages/${message.id}`).expect(200);
      expect(message).toEqual(stored.body);
      expect(sent.event.data).toMatchObject({ participantId: customer });
      expect(sent.event.data.message).toMatchObject({ direction: 'outbound', status: 'sent', origin: 'rule' });

      await echo(account, customer, (sent.event.data.message as Json).mid);
      const [delivered] = await received(path, 'message.delivered');
      expect(delivered.event.data.message).toMatchObject({
        id: (sent.event.data.message as Json).id,
        status: 'delivered',
      });

      for (const event of [receivedEvent, sent, delivered]) {
        expect(event.verifiedBy).toHaveLength(1);
        expect(event.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
        expect(event.headers['webhook-timestamp']).toMatch(/^\d{10}$/);
        expect(Object.keys(event.event)).toEqual(['type', 'timestamp', 'data']);
      }
      // Recorded once the receiver has answered, with the others that succeeded meanwhile.
      const deliveries = await eventually(
        () => deliveriesOf(id),
        (items) => items.length === 3 && items.every((d) => d.status === 'delivered'),
      );
      expect(deliveries.map((d) => d.type)).toEqual(['message.delivered', 'message.sent', 'message.received']);
      expect(deliveries.map((d) => d.eventId)).toEqual(
        [delivered, sent, receivedEvent].map((event) => event.headers['webhook-id']),
      );
      expect(deliveries.every((d) => d.attempts === 1 && d.lastResponseStatus === 204 && d.lastError === null)).toBe(
        true,
      );
    });

    it('tells pauses and resumptions, by an operator and by a person answering in the Instagram app', async () => {
      const account = await newAccount();
      const { path } = await endpoint({
        events: ['conversation.automation_paused', 'conversation.automation_resumed', 'message.sent'],
      });
      const customer = newIgsid();
      await customerWrites(account, customer, 'hello');
      const conversationId = (await admin().get(`/accounts/${account.account.id}/conversations`).expect(200)).body
        .items[0].id;

      await admin()
        .post(`/accounts/${account.account.id}/conversations/${conversationId}/pause`, { minutes: 15 })
        .expect(200);
      await admin().post(`/accounts/${account.account.id}/conversations/${conversationId}/resume`).expect(200);
      const [paused] = await received(path, 'conversation.automation_paused');
      const [resumed] = await received(path, 'conversation.automation_resumed');
      expect(paused.event.data).toMatchObject({
        accountId: account.account.id,
        conversationId,
        participantId: customer,
        by: 'operator',
        automationPausedIndefinitely: false,
      });
      expect(resumed.event.data).toEqual({
        accountId: account.account.id,
        conversationId,
        participantId: customer,
        by: 'operator',
      });

      await echo(account, customer, newMid());
      const [, byApp] = await received(path, 'conversation.automation_paused', 2);
      expect(byApp.event.data).toMatchObject({ by: 'instagram_app', conversationId });
      const [appMessage] = await received(path, 'message.sent');
      expect(appMessage.event.data.message).toMatchObject({ origin: 'app', status: 'delivered' });
      // Only what it subscribes to.
      expect(receiver.at(path, 'message.received')).toEqual([]);
    });

    it('tells a message that failed, an invalid token and a test', async () => {
      const account = await newAccount();
      const { path, id } = await endpoint({
        accountIds: [account.account.id],
        events: ['message.failed', 'account.token_invalid'],
      });
      const customer = newIgsid();
      await customerWrites(account, customer, 'hello');

      fake.respondOnce('POST', fake.path('/me/messages'), {
        status: 400,
        body: metaFixture('send-api-error-invalid-param.json'),
      });
      await admin()
        .post(`/accounts/${account.account.id}/messages`, { recipientId: customer, text: 'one' })
        .expect(202);
      const [failed] = await received(path, 'message.failed');
      expect(failed.event.data.message).toMatchObject({ status: 'failed', text: 'one', attempts: 1 });
      expect((failed.event.data.message as Json).lastError).toMatch(/Graph API/);

      fake.respondOnce('POST', fake.path('/me/messages'), {
        status: 400,
        body: metaFixture('send-api-error-token-expired.json'),
      });
      await admin()
        .post(`/accounts/${account.account.id}/messages`, { recipientId: customer, text: 'two' })
        .expect(202);
      const [invalid] = await received(path, 'account.token_invalid');
      expect(invalid.event.data).toEqual({ accountId: account.account.id, tokenStatus: 'invalid' });

      const test = await admin().post(`/event-endpoints/${id}/test`).expect(202);
      expect(test.body).toMatchObject({ type: 'endpoint.test', status: 'pending', accountId: null });
      const [tested] = await received(path, 'endpoint.test');
      expect(tested.headers['webhook-id']).toBe(test.body.eventId);
      expect(tested.event.data).toEqual({ accountId: null, endpointId: id });
      expect(tested.verifiedBy).toHaveLength(1);
    });

    it('tells an endpoint of one account that account’s events only, and one of every account all of them', async () => {
      const [a, b] = [await newAccount(), await newAccount()];
      const onlyA = await endpoint({ events: ['message.received'], accountIds: [a.account.id] });
      const every = await endpoint({ events: ['message.received'] });
      await customerWrites(a, newIgsid(), 'from a customer of A');
      await customerWrites(b, newIgsid(), 'from a customer of B');

      const toEvery = await received(every.path, 'message.received', 2);
      expect(toEvery.map((r) => r.event.data.accountId).sort()).toEqual([a.account.id, b.account.id].sort());
      const toA = await received(onlyA.path, 'message.received');
      expect(toA.map((r) => r.event.data.accountId)).toEqual([a.account.id]);
      // The same event reaches both with the same id.
      const ofA = toEvery.find((r) => r.event.data.accountId === a.account.id)!;
      expect(ofA.headers['webhook-id']).toBe(toA[0].headers['webhook-id']);
      expect(ofA.body).toBe(toA[0].body);
    });

    it('queues one event for a webhook Meta redelivers, however often and however concurrently', async () => {
      const account = await newAccount();
      const { path, id } = await endpoint({ events: ['message.received'], accountIds: [account.account.id] });
      const mid = newMid();
      const customer = newIgsid();
      await customerWrites(account, customer, 'once', mid);
      await Promise.all([1, 2, 3, 4, 5].map(() => customerWrites(account, customer, 'once', mid)));
      await customerWrites(account, customer, 'a second message');

      await received(path, 'message.received', 2);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(receiver.at(path, 'message.received').map((r) => (r.event.data.message as Json).text)).toEqual([
        'once',
        'a second message',
      ]);
      expect(await deliveriesOf(id)).toHaveLength(2);
    });
  });

  describe('retries', () => {
    it('tries again after a 500, with the same webhook-id and a fresh signature', async () => {
      const { path, id } = await endpoint();
      receiver.answerOnce({ status: 500, body: 'database down' });
      await admin().post(`/event-endpoints/${id}/test`).expect(202);
      const [first, second] = await received(path, 'endpoint.test', 2);
      expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
      expect(second.body).toBe(first.body);
      expect(second.verifiedBy).toHaveLength(1);
      const [delivery] = await eventually(
        () => deliveriesOf(id),
        (items) => items[0]?.status === 'delivered',
      );
      expect(delivery).toMatchObject({ attempts: 2, lastResponseStatus: 204, lastError: null, nextAttemptAt: null });
    });

    it('waits what Retry-After asks on a 429 or 503 rather than its own schedule', async () => {
      const { path, id } = await endpoint();
      receiver.answerOnce({ status: 503, headers: { 'Retry-After': '1' } });
      await admin().post(`/event-endpoints/${id}/test`).expect(202);
      await received(path, 'endpoint.test');
      const waiting = await deliveriesOf(id);
      expect(waiting[0]).toMatchObject({
        status: 'pending',
        attempts: 1,
        lastResponseStatus: 503,
        lastError: 'HTTP 503',
      });
      const [first, second] = await received(path, 'endpoint.test', 2);
      // The schedule's first wait here is 50 ms; the receiver asked for a second.
      expect(second.at - first.at).toBeGreaterThanOrEqual(950);
    });

    it('fails a delivery after its last attempt, and keeps what the endpoint said', async () => {
      const { path, id } = await endpoint();
      receiver.answerOnce(...Array.from({ length: 8 }, () => ({ status: 302, headers: { Location: '/elsewhere' } })));
      await admin().post(`/event-endpoints/${id}/test`).expect(202);
      await received(path, 'endpoint.test', 8);
      const [delivery] = await eventually(
        () => deliveriesOf(id),
        (items) => items[0]?.status === 'failed',
      );
      expect(delivery).toMatchObject({
        attempts: 8,
        lastResponseStatus: 302,
        lastError: 'HTTP 302 (redirects are not followed)',
        nextAttemptAt: null,
      });
      expect(receiver.at('/elsewhere')).toEqual([]);
      // Retried by hand, it is tried afresh.
      const retried = await admin().post(`/event-endpoints/${id}/deliveries/${delivery.id}/retry`).expect(200);
      expect(retried.body).toMatchObject({ status: 'pending', attempts: 0 });
      await eventually(
        () => deliveriesOf(id),
        (items) => items[0]?.status === 'delivered',
      );
      await admin().post(`/event-endpoints/${id}/deliveries/${delivery.id}/retry`).expect(409);
    });

    it('disables an endpoint without a success for the set time, and brings it back when enabled', async () => {
      const { path, id } = await endpoint();
      receiver.answerAlways({ status: 500 });
      let queued = 0;
      // Deliveries keep failing, each until its schedule ends, until the endpoint has not succeeded for long enough.
      const disabled = await eventually(
        async () => {
          await admin().post(`/event-endpoints/${id}/test`).expect(202);
          queued += 1;
          await new Promise((resolve) => setTimeout(resolve, 200));
          return (await admin().get(`/event-endpoints/${id}`).expect(200)).body as Json;
        },
        (body) => body.enabled === false,
      );
      expect(disabled.disabledReason).toMatch(/^no successful delivery since \d{4}-/);
      // Its pending deliveries fail with it.
      const failed = await eventually(
        () => deliveriesOf(id),
        (items) => items.some((d) => /^endpoint disabled: no successful delivery/.test(d.lastError ?? '')),
      );
      expect(failed.some((d) => d.status === 'delivered')).toBe(false);
      const health = await request(t.app.getHttpServer()).get('/health').expect(200);
      expect(health.body.info.events.endpointsDisabled).toBeGreaterThanOrEqual(1);
      expect(health.text).not.toContain(receiver.url(path));

      // Disabled, it gets nothing new.
      const attemptsSoFar = receiver.at(path).length;
      await admin().post(`/event-endpoints/${id}/test`).expect(202);
      queued += 1;
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(receiver.at(path)).toHaveLength(attemptsSoFar);

      receiver.answerAlways(null);
      const enabled = await admin().put(`/event-endpoints/${id}`, { enabled: true }).expect(200);
      expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
      const retried = await admin().post(`/event-endpoints/${id}/deliveries/retry-failed`).expect(200);
      expect(retried.body.retried).toBeGreaterThanOrEqual(1);
      // Those it failed, and those that waited while it was disabled.
      const deliveries = await eventually(
        () => deliveriesOf(id),
        (items) => items.every((d) => d.status === 'delivered'),
      );
      expect(deliveries).toHaveLength(queued);
    });
  });

  it('signs with both secrets for a day after a rotation, so a receiver holding either accepts', async () => {
    const { path, id, secret: previous } = await endpoint();
    const rotated = await admin().post(`/event-endpoints/${id}/rotate-secret`).expect(200);
    const fresh = rotated.body.secret as string;
    expect(fresh).not.toBe(previous);
    expect(new Date(rotated.body.previousSecretValidUntil).getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    receiver.trust(path, previous, fresh);
    await admin().post(`/event-endpoints/${id}/test`).expect(202);
    const [delivery] = await received(path, 'endpoint.test');
    expect(delivery.headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(delivery.verifiedBy.sort()).toEqual([previous, fresh].sort());
    expect((await admin().get(`/event-endpoints/${id}`).expect(200)).text).not.toContain(fresh.slice(6));
  });

  it('purges delivered and failed deliveries after DELIVERY_RETENTION, and keeps pending ones', async () => {
    const { path, id } = await endpoint();
    await admin().post(`/event-endpoints/${id}/test`).expect(202);
    await received(path, 'endpoint.test');
    await eventually(
      () => deliveriesOf(id),
      (items) => items[0]?.status === 'delivered',
    );
    await admin().put(`/event-endpoints/${id}`, { enabled: false }).expect(200);
    await admin().post(`/event-endpoints/${id}/test`).expect(202);
    const [pending, delivered] = await deliveriesOf(id);
    const longAgo = new Date(Date.now() - 31 * 86_400_000);
    const rows = t.dataSource.getRepository(EventDeliveryEntity);
    await rows.update({ id: delivered.id }, { finishedAt: longAgo, createdAt: longAgo });
    await rows.update({ id: pending.id }, { createdAt: longAgo });

    const report = await t.app.get(DeliveryRetentionWorker).purgeExpired();
    expect(report.eventDeliveries).toBeGreaterThanOrEqual(1);
    expect((await deliveriesOf(id)).map((d) => d.id)).toEqual([pending.id]);
  });
});

describe('event endpoints on private addresses', () => {
  let t: TestApp;
  let receiver: EventReceiver;
  const admin = () => adminClient(t);

  beforeAll(async () => {
    receiver = await EventReceiver.start();
    t = await startTestApp({}, undefined, fastEvents());
  });

  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it.each([
    ['plain http', 'http://crm.example.com/hooks', 'url must be an https URL'],
    ['a loopback address', 'https://127.0.0.1/hooks', /private, loopback or link-local/],
    ['a link-local address', 'https://169.254.169.254/latest', /private, loopback or link-local/],
    ['a private IPv6 address', 'https://[fd00::1]/hooks', /private, loopback or link-local/],
    ['a name of this machine', 'https://localhost/hooks', /private, loopback or link-local/],
    ['a name that resolves to a loopback address', 'https://vm/hooks', /resolves to a private/],
  ])('refuses %s unless EVENT_ENDPOINTS_ALLOW_PRIVATE=true', async (_what, url, message) => {
    const res = await admin()
      .post('/event-endpoints', { url, events: ['*'] })
      .expect(400);
    expect(res.body.fields.url).toMatch(message);
  });

  it('checks the address again at each delivery: a name that now resolves to a private one gets nothing', async () => {
    const created = await admin()
      .post('/event-endpoints', { url: 'https://crm.example.com/hooks', events: ['*'] })
      .expect(201);
    // As if DNS had changed since it was saved: the name now points at this machine.
    const port = new URL(receiver.url()).port;
    await t.dataSource.query('UPDATE event_endpoints SET url = ? WHERE id = ?', [
      `https://vm:${port}/hooks`,
      created.body.id,
    ]);
    await admin().post(`/event-endpoints/${created.body.id}/test`).expect(202);
    const [delivery] = await eventually(
      async () =>
        (await admin().get(`/event-endpoints/${created.body.id}/deliveries`).expect(200)).body.items as Json[],
      (items) => items[0]?.attempts >= 1,
    );
    expect(delivery.lastError).toBe('not sent: vm resolves to a private address (EVENT_ENDPOINTS_ALLOW_PRIVATE)');
    expect(receiver.received).toEqual([] as ReceivedEvent[]);
  });
});

describe('rotate-keys and event endpoint secrets', () => {
  it('re-encrypts them with the new key, so a replica with only that key still signs as before', async () => {
    const db = await createTestDatabase();
    const receiver = await EventReceiver.start();
    const oldKey = randomBytes(32).toString('base64');
    const first = await startTestApp(
      { APP_SECRET_KEY: oldKey, EVENT_ENDPOINTS_ALLOW_PRIVATE: 'true' },
      db,
      fastEvents(),
    );
    const created = await adminClient(first)
      .post('/event-endpoints', { url: receiver.url('/crm'), events: ['*'] })
      .expect(201);
    await first.close();

    const newKey = randomBytes(32).toString('base64');
    const cli = testEnvironment({ DATABASE_URL: db.url, APP_SECRET_KEY: newKey, APP_SECRET_KEY_PREVIOUS: oldKey });
    const run = await runCli(cli, ['rotate-keys']);
    expect(run).toEqual({
      lines: ['rotated 0 accounts, 0 already current', 'rotated 1 event endpoint, 0 already current'],
      error: null,
    });

    const second = await startTestApp(
      { APP_SECRET_KEY: newKey, EVENT_ENDPOINTS_ALLOW_PRIVATE: 'true' },
      db,
      fastEvents(),
    );
    try {
      receiver.trust('/crm', created.body.secret);
      await adminClient(second).post(`/event-endpoints/${created.body.id}/test`).expect(202);
      const [delivery] = await eventually(
        () => receiver.at('/crm'),
        (received) => received.length === 1,
      );
      expect(delivery.verifiedBy).toEqual([created.body.secret]);
    } finally {
      await second.close();
      await receiver.close();
      await db.drop();
    }
  });
});
