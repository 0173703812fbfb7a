import { randomBytes } from 'node:crypto';
import { AccountRepository } from '@accounts/account.repository';
import { ConversationRepository } from '@messaging/conversation.repository';
import { MessageRepository } from '@messaging/message.repository';
import { MessageEntity } from '@messaging/persistence/message.entity';
import { createTestAccount, type TestAccount } from '../support/accounts';
import { eventually } from '../support/eventually';
import { FakeGraphApi } from '../support/fake-graph-api';
import { fastMessaging } from '../support/fast-messaging';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { startTestApp, type TestApp } from '../support/test-app';

interface SendBody {
  recipient: { id: string };
  message: { text: string };
}

const CONVERSATIONS = 50;
const MESSAGES_PER_CONVERSATION = 10;

/**
 * Two instances of the service on one database, as two replicas behind a
 * load balancer (on SQLite: the server and a CLI beside it). Each runs its
 * own dispatcher over the shared outbox.
 */
describe('outbox shared by two dispatchers', () => {
  let db: TestDatabase;
  let fake: FakeGraphApi;
  let first: TestApp;
  let second: TestApp;
  let account: TestAccount;
  let sequence = 0;

  const sends = () => fake.requestsTo('POST', fake.path('/me/messages')).map((r) => r.body as SendBody);
  const statusCount = async (status: string) =>
    first.dataSource.getRepository(MessageEntity).countBy({ accountId: account.account.id, status });

  /** A customer who wrote a moment ago, so the window is open. */
  async function conversationWith(customer: string) {
    const conversations = first.app.get(ConversationRepository);
    const { conversation } = await conversations.getOrStart(account.account.id, customer, {
      at: new Date(),
      fromParticipant: true,
    });
    await conversations.updateLastMessageTime(account.account.id, conversation.id, new Date(), true);
    return conversation;
  }

  async function queue(customer: string, text: string) {
    const conversation = await conversationWith(customer);
    return first.app.get(MessageRepository).enqueue({
      accountId: account.account.id,
      conversationId: conversation.id,
      recipientId: customer,
      type: 'text',
      text,
      origin: 'operator',
    });
  }

  const setTokenStatus = (tokenStatus: 'invalid' | 'unknown') =>
    first.app.get(AccountRepository).update(account.account.id, { tokenStatus });

  beforeAll(async () => {
    db = await createTestDatabase();
    fake = await FakeGraphApi.start();
    // One configuration for both, as replicas share it: the same key decrypts the accounts' tokens.
    const env = { GRAPH_API_BASE_URL: fake.baseUrl, APP_SECRET_KEY: randomBytes(32).toString('base64') };
    first = await startTestApp(env, db, fastMessaging());
    second = await startTestApp(env, db, fastMessaging());
  });

  beforeEach(async () => {
    sequence += 1;
    account = await createTestAccount(first.app, { igUserId: `1784150000000${String(sequence).padStart(4, '0')}` });
  });

  afterEach(() => fake.reset());

  afterAll(async () => {
    await second.close();
    await first.close();
    await fake.close();
    await db.drop();
  });

  it('claims each of 500 queued messages once, sends them in order within each conversation, and resends only what got no answer', async () => {
    // Every send the fake receives, in the order it arrives, with the mid it answered.
    const arrivals: Array<{ text: string; mid: string }> = [];
    fake.respond('POST', fake.path('/me/messages'), (request) => {
      const body = request.body as SendBody;
      const mid = `replicas-test-mid-${arrivals.length}`;
      arrivals.push({ text: body.message.text, mid });
      return { body: { recipient_id: body.recipient.id, message_id: mid } };
    });
    // Held while it is filled, then released to both dispatchers at once.
    await setTokenStatus('invalid');
    const customers = Array.from({ length: CONVERSATIONS }, (_, i) => `90000000000${String(i).padStart(4, '0')}`);
    for (let m = 0; m < MESSAGES_PER_CONVERSATION; m++) {
      for (const customer of customers) await queue(customer, `${customer}: message ${m}`);
    }
    await setTokenStatus('unknown');

    await eventually(
      () => statusCount('sent'),
      (sent) => sent === CONVERSATIONS * MESSAGES_PER_CONVERSATION,
      90_000,
    );
    const rows = await first.dataSource.getRepository(MessageEntity).findBy({ accountId: account.account.id });
    // A request abandoned because it got no answer in time (a slow test machine makes some) may still
    // reach the fake, later than the attempt that replaced it.
    const attempts = rows.reduce((sum, row) => sum + row.attempts, 0);
    await eventually(
      () => arrivals.length,
      (received) => received >= attempts,
    );
    const timesSent = new Map<string, number>();
    for (const { text } of arrivals) timesSent.set(text, (timesSent.get(text) ?? 0) + 1);
    expect(timesSent.size).toBe(CONVERSATIONS * MESSAGES_PER_CONVERSATION);
    const answeredAt = new Map(arrivals.map(({ mid }, index) => [mid, index]));
    const answeredText = (mid: string | null) => arrivals[answeredAt.get(mid ?? '') ?? -1]?.text;
    // Each send the fake received is an attempt its one claimant counted: never two dispatchers at once.
    // A message is sent again only after an attempt that got no answer in time, as any Graph API
    // timeout or network error is retried.
    for (const row of rows) {
      expect({ leaseOwner: row.leaseOwner, attempts: row.attempts, answered: answeredText(row.mid) }).toEqual({
        leaseOwner: null,
        attempts: timesSent.get(row.text ?? ''),
        answered: row.text,
      });
      if (row.attempts > 1) expect(row.lastError).toMatch(/no answer within|network error/);
    }
    // The send whose answer each message recorded reached the fake before the next message of its
    // conversation left.
    for (const customer of customers) {
      const inOrderAnswered = rows
        .filter((row) => row.recipientId === customer)
        .sort((a, b) => (answeredAt.get(a.mid ?? '') ?? -1) - (answeredAt.get(b.mid ?? '') ?? -1))
        .map((row) => row.text);
      expect(inOrderAnswered).toEqual(
        Array.from({ length: MESSAGES_PER_CONVERSATION }, (_, m) => `${customer}: message ${m}`),
      );
    }
    // 1,500 writes to fill the outbox and 500 sends: on a busy machine that takes a while.
  }, 120_000);

  it('leaves a message leased by a live dispatcher alone, and sends it once that lease has expired', async () => {
    await setTokenStatus('invalid');
    const orphan = await queue('900000000010001', 'sent by a replica that died');
    // A replica claimed it and died mid-send: its lease still runs for an hour.
    await first.dataSource
      .getRepository(MessageEntity)
      .update(
        { id: orphan!.id },
        { status: 'sending', leaseOwner: 'replica-that-died', leaseExpiresAt: new Date(Date.now() + 3_600_000) },
      );
    await queue('900000000010002', 'a message of another conversation');
    await setTokenStatus('unknown');

    // The dispatchers are at work (the other conversation's message went out), and keep off the leased one.
    await eventually(
      () => statusCount('sent'),
      (sent) => sent === 1,
    );
    expect(sends().map((body) => body.message.text)).toEqual(['a message of another conversation']);

    await first.dataSource
      .getRepository(MessageEntity)
      .update({ id: orphan!.id }, { leaseExpiresAt: new Date(Date.now() - 1000) });

    await eventually(
      () => statusCount('sent'),
      (sent) => sent === 2,
    );
    expect(sends().filter((body) => body.message.text === 'sent by a replica that died')).toHaveLength(1);
    const row = await first.dataSource.getRepository(MessageEntity).findOneByOrFail({ id: orphan!.id });
    expect(row).toMatchObject({ status: 'sent', leaseOwner: null, leaseExpiresAt: null });
    expect(row.mid).toEqual(expect.any(String));
  });
});
