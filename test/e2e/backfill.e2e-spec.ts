import { randomBytes } from 'node:crypto';
import type { TestingModuleBuilder } from '@nestjs/testing';
import { BackfillWorker } from '@messaging/backfill/backfill-worker';
import { MessageEntity } from '@messaging/persistence/message.entity';
import { ConversationEntity } from '@messaging/persistence/conversation.entity';
import { createTestAccount, type TestAccount } from '../support/accounts';
import { adminClient } from '../support/admin-client';
import { runCli } from '../support/cli-runner';
import { EventReceiver } from '../support/event-receiver';
import { eventually } from '../support/eventually';
import { newIgUserId, newIgsid } from '../support/factories';
import type { FakeConversation, FakeConversationMessage } from '../support/fake-conversations-api';
import { FakeGraphApi } from '../support/fake-graph-api';
import { fastBackfill } from '../support/fast-backfill';
import { fastEvents } from '../support/fast-events';
import { fastMessaging } from '../support/fast-messaging';
import { customerMessage } from '../support/instagram-events';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { testEnvironment } from '../support/test-environment';
import { postWebhook } from '../support/webhook-sender';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers and event bodies, read as a client reads JSON
type Json = Record<string, any>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** A job of a few conversations takes seconds at 2 calls per second. */
const JOB_TIMEOUT_MS = 60_000;

const mid = () => `aWdfZAG1faXRlbToxOklHTWVzc2FnZAU${randomBytes(12).toString('base64url')}`;
const conversationId = () => `aWdfZAG06MTpJR01lc3NhZA2VUaHJlYWQ${randomBytes(8).toString('hex')}`;

/** The replicas and the CLI of these tests share one database, so they share its key and token. */
const SHARED_SECRETS = {
  APP_SECRET_KEY: randomBytes(32).toString('base64'),
  ADMIN_API_TOKEN: randomBytes(32).toString('hex'),
};

jest.setTimeout(120_000);

const configure = (builder: TestingModuleBuilder) => fastEvents()(fastBackfill()(fastMessaging()(builder)));

describe('backfill through the Conversations API', () => {
  let fake: FakeGraphApi;
  let receiver: EventReceiver;
  let db: TestDatabase;
  let t: TestApp;
  const admin = () => adminClient(t);
  const jobsOf = (account: TestAccount) => `/accounts/${account.account.id}/backfill`;

  /** A customer's message to the account, `ago` ms before now. */
  const fromCustomer = (
    account: TestAccount,
    customer: string,
    ago: number,
    text = 'Hello',
  ): FakeConversationMessage => ({
    id: mid(),
    createdTime: new Date(Date.now() - ago),
    fromId: customer,
    toId: account.account.igUserId,
    text,
  });
  /** A message the account sent (in the Instagram app), `ago` ms before now. */
  const fromAccount = (account: TestAccount, customer: string, ago: number, text = 'Hi, how can I help?') => ({
    ...fromCustomer(account, customer, ago, text),
    fromId: account.account.igUserId,
    toId: customer,
  });

  /** Meta holds this conversation of the account. */
  function metaHolds(
    account: TestAccount,
    messages: FakeConversationMessage[],
    fields: Partial<FakeConversation> = {},
  ) {
    const conversation = { id: conversationId(), messages, ...fields };
    fake.conversations.add(account.credentials.accessToken, conversation);
    return conversation;
  }

  async function webhookBrought(account: TestAccount, message: FakeConversationMessage): Promise<void> {
    const body = customerMessage({
      igUserId: account.account.igUserId,
      customer: message.fromId,
      text: message.text ?? '',
      mid: message.id,
      timestamp: message.createdTime.getTime(),
    });
    await postWebhook(
      t.app.getHttpServer(),
      `/webhooks/instagram/${account.account.id}`,
      body,
      account.credentials.appSecret,
    ).expect(200);
  }

  const finished = (account: TestAccount, jobId: string, app = t) =>
    eventually(
      async () =>
        (
          await adminClient(app)
            .get(`${jobsOf(account)}/${jobId}`)
            .expect(200)
        ).body as Json,
      (job) => job.status === 'completed' || job.status === 'failed',
      JOB_TIMEOUT_MS,
    );

  async function backfill(account: TestAccount, body: Json = {}): Promise<Json> {
    const started = await admin().post(jobsOf(account), body).expect(202);
    return finished(account, started.body.id);
  }

  const messagesOf = (account: TestAccount) =>
    t.dataSource
      .getRepository(MessageEntity)
      .find({ where: { accountId: account.account.id }, order: { occurredAt: 'ASC' } });

  /**
   * The account's calls, as the fake received them, average at most 2 per
   * second. (Each pair is paced apart; a busy test process may still hand
   * the fake two calls at once, so single gaps are not what is checked.)
   */
  function expectAtMostTwoCallsPerSecond(account: TestAccount): void {
    const times = fake.conversations.callTimes(account.credentials.accessToken);
    expect(times.length).toBeGreaterThan(2);
    const span = times[times.length - 1] - times[0];
    expect(span).toBeGreaterThanOrEqual(((times.length - 1) * 1000) / 2);
  }

  const newAccount = (fields: Json = {}) => createTestAccount(t.app, { igUserId: newIgUserId(), ...fields });

  beforeAll(async () => {
    fake = await FakeGraphApi.start();
    receiver = await EventReceiver.start();
    db = await createTestDatabase();
    t = await startTestApp(
      { ...SHARED_SECRETS, GRAPH_API_BASE_URL: fake.baseUrl, EVENT_ENDPOINTS_ALLOW_PRIVATE: 'true' },
      db,
      configure,
    );
  });

  afterEach(() => {
    fake.reset();
    receiver.reset();
  });

  afterAll(async () => {
    await t.close();
    await db.drop();
    await receiver.close();
    await fake.close();
  });

  it('stores exactly the missing messages, within 2 calls per second, answers none, and changes nothing when run again', async () => {
    const shop = await newAccount({ fallbackResponse: 'Thanks, we will answer soon.' });
    await admin()
      .post(`/accounts/${shop.account.id}/rules`, {
        name: 'greeting',
        matchType: 'word',
        keywords: ['hello'],
        responseText: 'Hello there!',
      })
      .expect(201);
    const endpoint = await admin()
      .post('/event-endpoints', { url: receiver.url('/crm'), events: ['message.received'] })
      .expect(201);
    receiver.trust('/crm', endpoint.body.secret);
    const [ana, ben, old] = [newIgsid(), newIgsid(), newIgsid()];
    const anaFirst = fromCustomer(shop, ana, 3 * HOUR);
    const anaLost = fromCustomer(shop, ana, 2 * HOUR, 'Hello, is my order on its way?');
    const shopReply = fromAccount(shop, ana, 90 * MINUTE);
    const benLost = fromCustomer(shop, ben, 30 * MINUTE, 'Hello?');
    metaHolds(shop, [anaFirst, anaLost, shopReply]);
    metaHolds(shop, [benLost]);
    const beforeSince = metaHolds(shop, [fromCustomer(shop, old, 3 * DAY)]);
    await webhookBrought(shop, anaFirst);

    const job = await backfill(shop);

    expect(job).toMatchObject({
      status: 'completed',
      conversationsScanned: 2,
      messagesAdded: 3,
      messagesUnavailable: 0,
      error: null,
    });
    const stored = await messagesOf(shop);
    expect(stored.map((m) => [m.mid, m.direction, m.source, m.origin])).toEqual([
      [anaFirst.id, 'inbound', 'webhook', null],
      [anaLost.id, 'inbound', 'backfill', null],
      [shopReply.id, 'outbound', 'backfill', 'app'],
      [benLost.id, 'inbound', 'backfill', null],
      [expect.any(String), 'outbound', 'api', 'rule'],
    ]);
    expect(stored.find((m) => m.mid === anaLost.id)).toMatchObject({ text: 'Hello, is my order on its way?' });
    // Only the webhook's message was answered; what the backfill recovered is history.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.requestsTo('POST', fake.path('/me/messages'))).toHaveLength(1);
    const history = await admin().get(`/accounts/${shop.account.id}/conversations`).expect(200);
    expect(history.body.items.find((c: Json) => c.participantId === ben)).toMatchObject({
      automationPausedUntil: null,
      // Meta's times are in whole seconds.
      lastMessageAt: new Date(Math.floor(benLost.createdTime.getTime() / 1000) * 1000).toISOString(),
    });
    expect(history.body.items.find((c: Json) => c.participantId === ana)).toMatchObject({
      automationPausedUntil: null,
    });
    const received = await eventually(
      () => receiver.at('/crm', 'message.received'),
      (events) => events.length >= 3,
    );
    const bySource = (source: string) =>
      received
        .filter((e) => (e.event.data.message as Json).source === source)
        .map((e) => (e.event.data.message as Json).mid);
    expect(bySource('backfill').sort()).toEqual([anaLost.id, benLost.id].sort());
    // Neither conversation updated before `since` nor its messages were read.
    expect(fake.conversations.calls.some((c) => c.path.endsWith(beforeSince.id))).toBe(false);
    expectAtMostTwoCallsPerSecond(shop);

    fake.conversations.calls.length = 0;
    const again = await backfill(shop);

    expect(again).toMatchObject({ status: 'completed', conversationsScanned: 2, messagesAdded: 0 });
    expect(await messagesOf(shop)).toHaveLength(5);
    // Everything is stored: no message's details are asked for again.
    expect(fake.conversations.calls.map((c) => c.path.split('/').pop())).not.toContain(anaLost.id);
    expectAtMostTwoCallsPerSecond(shop);
  });

  it('reports the missing messages older than the 20 most recent, whose details Meta does not give', async () => {
    const shop = await newAccount();
    const customer = newIgsid();
    metaHolds(
      shop,
      Array.from({ length: 23 }, (_, index) => fromCustomer(shop, customer, (index + 1) * MINUTE, `message ${index}`)),
    );

    const job = await backfill(shop);

    expect(job).toMatchObject({ status: 'completed', messagesAdded: 20, messagesUnavailable: 3 });
    const texts = (await messagesOf(shop)).map((m) => m.text);
    expect(texts).toHaveLength(20);
    expect(texts).not.toContain('message 20');
    expectAtMostTwoCallsPerSecond(shop);
  });

  it('reads every page of conversations, and keeps to 2 calls per second when Meta refuses one', async () => {
    const shop = await newAccount();
    fake.conversations.pageSize = 2;
    const customers = [newIgsid(), newIgsid(), newIgsid()];
    customers.forEach((customer, index) => metaHolds(shop, [fromCustomer(shop, customer, (index + 1) * HOUR)]));
    // Another client of the account's app used its share of the second: Meta refuses the first call.
    fake.respondOnce('GET', fake.path('/me/conversations'), {
      status: 400,
      body: {
        error: { message: 'Application request limit reached', type: 'OAuthException', code: 4, error_subcode: 80002 },
      },
    });
    try {
      const job = await backfill(shop);
      expect(job).toMatchObject({ status: 'completed', conversationsScanned: 3, messagesAdded: 3 });
    } finally {
      fake.conversations.pageSize = 25;
    }
    expectAtMostTwoCallsPerSecond(shop);
  });

  it('runs one job per account at a time, and refuses a since it cannot honour, naming it', async () => {
    const shop = await newAccount();
    metaHolds(shop, [fromCustomer(shop, newIgsid(), HOUR)]);

    const first = await admin().post(jobsOf(shop), {}).expect(202);
    const second = await admin().post(jobsOf(shop), {}).expect(409);
    expect(second.body).toMatchObject({ error: 'backfill_in_progress' });
    expect(second.body.message).toContain(first.body.id);
    await finished(shop, first.body.id);

    for (const since of [
      new Date(Date.now() - 31 * DAY).toISOString(),
      'yesterday',
      new Date(Date.now() + HOUR).toISOString(),
    ]) {
      const refused = await admin().post(jobsOf(shop), { since }).expect(400);
      expect(refused.body.fields).toHaveProperty('since');
    }
    const sinceSevenDays = await admin()
      .post(jobsOf(shop), { since: new Date(Date.now() - 7 * DAY).toISOString() })
      .expect(202);
    expect(await finished(shop, sinceSevenDays.body.id)).toMatchObject({ status: 'completed', messagesAdded: 0 });
  });

  it('keeps accounts apart: a job reads and writes only its own account', async () => {
    const [a, b] = [await newAccount(), await newAccount()];
    const customer = newIgsid();
    const ofA = fromCustomer(a, customer, HOUR);
    metaHolds(a, [ofA]);

    const jobOfB = await backfill(b);

    expect(jobOfB).toMatchObject({ status: 'completed', conversationsScanned: 0, messagesAdded: 0 });
    expect(await messagesOf(b)).toEqual([]);
    await admin()
      .get(`${jobsOf(a)}/${jobOfB.id}`)
      .expect(404);
    const jobOfA = await backfill(a);
    expect(jobOfA).toMatchObject({ messagesAdded: 1 });
    expect(await t.dataSource.getRepository(ConversationEntity).countBy({ accountId: b.account.id })).toBe(0);
  });

  it('fails with Meta’s reason when the token is refused', async () => {
    const shop = await newAccount();
    fake.respond('GET', fake.path('/me/conversations'), {
      status: 400,
      body: { error: { message: 'Error validating access token', type: 'OAuthException', code: 190, fbtrace_id: 'x' } },
    });

    const job = await backfill(shop);

    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/access token is invalid/);
    expect(job.error).not.toContain(shop.credentials.accessToken);
  });

  it('resumes after a restart from its cursor, on another replica', async () => {
    const shop = await newAccount();
    const conversations = Array.from({ length: 6 }, (_, index) =>
      metaHolds(shop, [fromCustomer(shop, newIgsid(), (index + 1) * MINUTE)]),
    );
    const started = await admin().post(jobsOf(shop), {}).expect(202);
    await eventually(
      async () => (await admin().get(`${jobsOf(shop)}/${started.body.id}`)).body as Json,
      (job) => job.conversationsScanned >= 2,
      JOB_TIMEOUT_MS,
    );

    // This replica stops (its jobs are let go); another one starts on the same database.
    await t.app.get(BackfillWorker).beforeApplicationShutdown();
    const stopped = (
      await admin()
        .get(`${jobsOf(shop)}/${started.body.id}`)
        .expect(200)
    ).body as Json;
    expect(stopped.status).toBe('running');
    // Calls from here on are the other replica's (one the stopped replica retried before is not a read again).
    const callsBeforeRestart = fake.conversations.calls.length;
    const resumed = await startTestApp({ ...SHARED_SECRETS, GRAPH_API_BASE_URL: fake.baseUrl }, db, configure);
    try {
      const job = await finished(shop, started.body.id, resumed);

      expect(job).toMatchObject({ status: 'completed', conversationsScanned: 6, messagesAdded: 6 });
      expect(await messagesOf(shop)).toHaveLength(6);
      // What was done before the restart is not read again.
      const readsAfterRestart = (id: string) =>
        fake.conversations.calls.slice(callsBeforeRestart).filter((c) => c.path.endsWith(`/${id}`)).length;
      for (const done of conversations.slice(0, stopped.conversationsScanned)) {
        expect(readsAfterRestart(done.id)).toBe(0);
      }
      // And what was not done is read by the replica that resumed.
      for (const rest of conversations.slice(stopped.conversationsScanned)) {
        expect(readsAfterRestart(rest.id)).toBeGreaterThan(0);
      }
      expectAtMostTwoCallsPerSecond(shop);
    } finally {
      await resumed.close();
    }
  });

  it('runs from the CLI, printing progress and counts, and exits non-zero on failure', async () => {
    const shop = await newAccount();
    metaHolds(shop, [fromCustomer(shop, newIgsid(), 2 * HOUR), fromCustomer(shop, newIgsid(), 5 * HOUR)]);
    const env = testEnvironment({ ...SHARED_SECRETS, DATABASE_URL: db.url, GRAPH_API_BASE_URL: fake.baseUrl });

    const run = await runCli(env, ['backfill', '--account', shop.account.username, '--since', '3h']);

    expect(run.error).toBeNull();
    expect(run.lines[0]).toMatch(/^backfill job \S+ of account \S+ since /);
    expect(run.lines.at(-1)).toBe(
      "completed: 1 conversations scanned, 1 messages added, 0 older than Meta's 20 most recent per conversation",
    );
    const failing = await runCli(env, ['backfill', '--account', shop.account.username, '--since', '90d']);
    expect(failing.error?.message).toMatch(/since must be at most 30 days ago/);
    const unknown = await runCli(env, ['backfill', '--account', 'nobody_here']);
    expect(unknown.error?.message).toMatch(/no account/);
  });
});
