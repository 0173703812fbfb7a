import { newIgUserId, newIgsid } from '../support/factories';
import request, { type Response } from 'supertest';
import { IntakeWriter } from '@messaging/intake/intake-writer';
import { createTestAccount, type TestAccount } from '../support/accounts';
import { eventually } from '../support/eventually';
import { holdIntakeWrites, releaseHeldWrites } from '../support/held-writes';
import { customerMessage, newMid } from '../support/instagram-events';
import { parsePrometheusText, sampleValue, samplesOf } from '../support/prometheus-text';
import { startTestApp, type TestApp } from '../support/test-app';
import { postWebhook } from '../support/webhook-sender';

type Row = Record<string, unknown>;

/** Deliveries that arrive while a write is under way queue behind it and are written together. */
describe('webhook intake: deliveries written together', () => {
  let t: TestApp;
  let a: TestAccount;
  let b: TestAccount;

  const send = (account: TestAccount, body: string) =>
    postWebhook(
      t.app.getHttpServer(),
      `/webhooks/instagram/${account.account.id}`,
      body,
      account.credentials.appSecret,
    );
  /** Sends now; the answer is awaited later (supertest sends only once awaited or `then`-ed). */
  const sendNow = (account: TestAccount, body: string): Promise<Response> =>
    new Promise((resolve, reject) => send(account, body).then(resolve, reject));
  const count = async (sql: string, parameters: unknown[] = []) =>
    Number(((await t.dataSource.query(sql, parameters)) as Row[])[0].n);
  const messagesWithMid = (mid: string) => count('SELECT COUNT(*) AS n FROM messages WHERE mid = ?', [mid]);
  const waiting = (items: number) =>
    eventually(
      () => t.app.get(IntakeWriter).backlog.items,
      (n) => n === items,
    );
  const metrics = async () =>
    parsePrometheusText((await request(t.app.getHttpServer()).get('/metrics').expect(200)).text);
  /** Commits that held exactly `deliveries` deliveries, from the batch histogram's buckets. */
  const commitsOf = async (deliveries: number) => {
    const samples = samplesOf(await metrics(), 'gateway_intake_batch_deliveries_bucket');
    const upTo = (le: number) => samples.find((s) => Number(s.labels.le) === le)?.value ?? 0;
    const bounds = samples.map((s) => Number(s.labels.le)).filter((le) => Number.isFinite(le));
    const upper = Math.min(...bounds.filter((le) => le >= deliveries));
    const lower = Math.max(0, ...bounds.filter((le) => le < deliveries));
    return upTo(upper) - upTo(lower);
  };

  /** Holds the intake's writes, once the accounts' webhook secrets are in memory (as under load). */
  const warmAndHold = async () => {
    for (const account of [a, b]) {
      await send(account, customerMessage({ igUserId: account.account.igUserId, customer: newIgsid(), text: 'warm' }));
    }
    return holdIntakeWrites(t);
  };

  beforeAll(async () => {
    t = await startTestApp();
    a = await createTestAccount(t.app, { igUserId: newIgUserId(), fallbackResponse: 'Thanks, we will answer soon.' });
    b = await createTestAccount(t.app, { igUserId: newIgUserId(), fallbackResponse: 'Shop B answers.' });
  });

  afterEach(releaseHeldWrites);
  afterAll(() => t.close());

  it('answers each delivery 200 only once the transaction holding it has committed, many in one', async () => {
    const batchesBefore = await commitsOf(9);
    const hold = await warmAndHold();
    const first = sendNow(a, customerMessage({ igUserId: a.account.igUserId, customer: newIgsid(), text: 'first' }));
    await eventually(
      () => t.app.get(IntakeWriter).backlog.items,
      (n) => n === 0,
    );
    const mids = Array.from({ length: 9 }, () => newMid());
    const rest = mids.map((mid) =>
      sendNow(a, customerMessage({ igUserId: a.account.igUserId, customer: newIgsid(), text: 'hello', mid })),
    );
    await waiting(9);
    let answered = 0;
    for (const answer of rest) void answer.then(() => (answered += 1));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(answered).toBe(0);

    await hold.release();

    expect((await first).status).toBe(200);
    expect((await Promise.all(rest)).map((r) => r.status)).toEqual(Array(9).fill(200));
    for (const mid of mids) expect(await messagesWithMid(mid)).toBe(1);
    expect(await commitsOf(9)).toBe(batchesBefore + 1);
  });

  it('stores one message and queues one reply for a batch that holds a mid several times', async () => {
    const customer = newIgsid();
    const mid = newMid();
    const hold = await warmAndHold();
    const blocker = sendNow(a, customerMessage({ igUserId: a.account.igUserId, customer: newIgsid(), text: 'x' }));
    await waiting(0);
    // The same message redelivered five times, each body its own bytes (Meta's entry time differs).
    const timestamp = Date.now();
    const copies = Array.from({ length: 5 }, (_, i) =>
      sendNow(
        a,
        customerMessage({ igUserId: a.account.igUserId, customer, text: 'where is my order?', mid, timestamp }).replace(
          `"time":${timestamp + 500}`,
          `"time":${timestamp + 500 + i}`,
        ),
      ),
    );
    await waiting(5);
    await hold.release();
    await blocker;
    expect((await Promise.all(copies)).map((r) => r.status)).toEqual(Array(5).fill(200));
    expect(await messagesWithMid(mid)).toBe(1);
    const [message] = (await t.dataSource.query('SELECT id FROM messages WHERE mid = ?', [mid])) as Row[];
    expect(await count('SELECT COUNT(*) AS n FROM messages WHERE reply_to_message_id = ?', [message.id])).toBe(1);
    expect(
      await count('SELECT COUNT(*) AS n FROM conversations WHERE account_id = ? AND participant_id = ?', [
        a.account.id,
        customer,
      ]),
    ).toBe(1);
  });

  it('writes a batch that spans accounts and conversations, each message in its own account and conversation', async () => {
    const customers = { a: [newIgsid(), newIgsid()], b: [newIgsid(), newIgsid()] };
    const hold = await warmAndHold();
    const blocker = sendNow(a, customerMessage({ igUserId: a.account.igUserId, customer: newIgsid(), text: 'x' }));
    await waiting(0);
    const answers = [
      ...customers.a.map((customer) =>
        sendNow(a, customerMessage({ igUserId: a.account.igUserId, customer, text: `to A from ${customer}` })),
      ),
      ...customers.b.map((customer) =>
        sendNow(b, customerMessage({ igUserId: b.account.igUserId, customer, text: `to B from ${customer}` })),
      ),
    ];
    await waiting(4);
    await hold.release();
    await blocker;
    expect((await Promise.all(answers)).map((r) => r.status)).toEqual(Array(4).fill(200));
    for (const [account, own] of [
      [a, customers.a],
      [b, customers.b],
    ] as const) {
      for (const customer of own) {
        const rows = (await t.dataSource.query(
          `SELECT m.account_id, m.text, c.participant_id, r.text AS reply, r.recipient_id AS reply_to
           FROM messages m JOIN conversations c ON c.id = m.conversation_id
           LEFT JOIN messages r ON r.reply_to_message_id = m.id
           WHERE m.sender_id = ? AND m.direction = 'inbound'`,
          [customer],
        )) as Row[];
        expect(rows).toEqual([
          {
            account_id: account.account.id,
            text: `to ${account === a ? 'A' : 'B'} from ${customer}`,
            participant_id: customer,
            reply: account === a ? 'Thanks, we will answer soon.' : 'Shop B answers.',
            reply_to: customer,
          },
        ]);
      }
    }
  });

  it('fails a delivery the database refuses alone: the others of its batch are stored and answered 200', async () => {
    const poison = newMid();
    await refuseMid(t, poison);
    try {
      const hold = await warmAndHold();
      const blocker = sendNow(a, customerMessage({ igUserId: a.account.igUserId, customer: newIgsid(), text: 'x' }));
      await waiting(0);
      const good = Array.from({ length: 4 }, () => newMid());
      const answers = [...good.slice(0, 2), poison, ...good.slice(2)].map((mid) =>
        sendNow(a, customerMessage({ igUserId: a.account.igUserId, customer: newIgsid(), text: 'hello', mid })),
      );
      await waiting(5);
      await hold.release();
      await blocker;
      const statuses = (await Promise.all(answers)).map((r) => r.status);
      expect(statuses).toEqual([200, 200, 500, 200, 200]);
      for (const mid of good) expect(await messagesWithMid(mid)).toBe(1);
      expect(await messagesWithMid(poison)).toBe(0);
      expect(await count('SELECT COUNT(*) AS n FROM webhook_deliveries WHERE body LIKE ?', [`%${poison}%`])).toBe(0);
    } finally {
      await allowMids(t);
    }
  });
});

describe('webhook intake: a batch whose write fails', () => {
  let t: TestApp;
  let a: TestAccount;

  beforeAll(async () => {
    t = await startTestApp();
    a = await createTestAccount(t.app, { igUserId: newIgUserId(), fallbackResponse: 'Thanks!' });
    await postWebhook(
      t.app.getHttpServer(),
      `/webhooks/instagram/${a.account.id}`,
      customerMessage({ igUserId: a.account.igUserId, customer: newIgsid(), text: 'warm' }),
      a.credentials.appSecret,
    ).expect(200);
  });

  afterEach(releaseHeldWrites);
  afterAll(() => t.close());

  it('answers every delivery of it 503 and none 200, stores nothing of them, and takes their redeliveries', async () => {
    const bodies = Array.from({ length: 5 }, () =>
      customerMessage({ igUserId: a.account.igUserId, customer: newIgsid(), text: 'hello' }),
    );
    const post = (body: string) =>
      new Promise<Response>((resolve, reject) =>
        postWebhook(t.app.getHttpServer(), `/webhooks/instagram/${a.account.id}`, body, a.credentials.appSecret).then(
          resolve,
          reject,
        ),
      );
    await post(customerMessage({ igUserId: a.account.igUserId, customer: newIgsid(), text: 'warm' }));
    const hold = await holdIntakeWrites(t);
    const answers = bodies.map(post);
    await eventually(
      () => t.app.get(IntakeWriter).backlog.items,
      (n) => n === 4,
    );
    // The database goes away with the batch's transaction under way and the next batch waiting.
    const closing = t.dataSource.destroy();
    await hold.release();
    await closing;
    expect((await Promise.all(answers)).map((r) => r.status)).toEqual(Array(5).fill(503));
    await t.dataSource.initialize();
    const texts = (await t.dataSource.query("SELECT COUNT(*) AS n FROM messages WHERE text = 'hello'")) as Row[];
    expect(Number(texts[0].n)).toBe(0);
    for (const body of bodies) expect((await post(body)).status).toBe(200);
  });
});

/** An account of its own on an app of its own, with the intake limits given. */
function overloadSuite(limits: { INTAKE_MAX_WAIT?: string; INTAKE_MAX_QUEUE_BYTES?: string }) {
  const suite = {} as {
    t: TestApp;
    a: TestAccount;
    post: (body: string) => Promise<Response>;
    storedMids: (mids: string[]) => Promise<number>;
    idleWriter: () => Promise<unknown>;
    warmAndHold: () => ReturnType<typeof holdIntakeWrites>;
  };
  beforeAll(async () => {
    suite.t = await startTestApp(limits);
    suite.a = await createTestAccount(suite.t.app, { igUserId: newIgUserId() });
    suite.post = (body: string) =>
      new Promise<Response>((resolve, reject) =>
        postWebhook(
          suite.t.app.getHttpServer(),
          `/webhooks/instagram/${suite.a.account.id}`,
          body,
          suite.a.credentials.appSecret,
        ).then(resolve, reject),
      );
    suite.storedMids = async (mids: string[]) =>
      Number(
        (
          (await suite.t.dataSource.query(
            `SELECT COUNT(*) AS n FROM messages WHERE mid IN (${mids.map(() => '?').join(', ')})`,
            mids,
          )) as Row[]
        )[0].n,
      );
    suite.idleWriter = () =>
      eventually(
        () => suite.t.app.get(IntakeWriter).backlog.items,
        (n) => n === 0,
      );
    suite.warmAndHold = async () => {
      await suite.post(customerMessage({ igUserId: suite.a.account.igUserId, customer: newIgsid(), text: 'warm' }));
      return holdIntakeWrites(suite.t);
    };
  });
  afterEach(releaseHeldWrites);
  afterAll(() => suite.t.close());
  return suite;
}

describe('webhook intake under overload: INTAKE_MAX_WAIT', () => {
  const s = overloadSuite({ INTAKE_MAX_WAIT: '300ms' });

  it('refuses with 503 and Retry-After: 1 what cannot be stored within INTAKE_MAX_WAIT, and stores none of it', async () => {
    const { t, a } = s;
    const hold = await s.warmAndHold();
    const first = s.post(customerMessage({ igUserId: a.account.igUserId, customer: newIgsid(), text: 'first' }));
    await s.idleWriter();
    const late = [newMid(), newMid()];
    const refused = await Promise.all(
      late.map((mid) =>
        s.post(customerMessage({ igUserId: a.account.igUserId, customer: newIgsid(), text: 'late', mid })),
      ),
    );
    expect(refused.map((r) => r.status)).toEqual([503, 503]);
    expect(refused[0].headers['retry-after']).toBe('1');
    expect(refused[0].body).toMatchObject({ statusCode: 503, error: 'intake_overloaded' });
    await hold.release();
    expect((await first).status).toBe(200);
    expect(await s.storedMids(late)).toBe(0);
    const scrape = parsePrometheusText((await request(t.app.getHttpServer()).get('/metrics')).text);
    expect(sampleValue(scrape, 'gateway_intake_refused_total', { reason: 'wait_exceeded' })).toBeGreaterThanOrEqual(2);
    expect(sampleValue(scrape, 'gateway_webhook_deliveries_total', { result: 'overloaded' })).toBeGreaterThanOrEqual(2);
    expect(
      sampleValue(scrape, 'gateway_webhook_answer_duration_seconds_count', { status: '503' }),
    ).toBeGreaterThanOrEqual(2);
  });
});

describe('webhook intake under overload: INTAKE_MAX_QUEUE_BYTES', () => {
  const s = overloadSuite({ INTAKE_MAX_QUEUE_BYTES: '1MiB' });

  it('refuses at once a delivery that would take the waiting bytes over INTAKE_MAX_QUEUE_BYTES', async () => {
    const { t, a } = s;
    const big = (mid: string) =>
      customerMessage({ igUserId: a.account.igUserId, customer: newIgsid(), text: 'x'.repeat(400_000), mid });
    const hold = await s.warmAndHold();
    const first = s.post(customerMessage({ igUserId: a.account.igUserId, customer: newIgsid(), text: 'first' }));
    await s.idleWriter();
    const fitting = [newMid(), newMid()];
    const fittingAnswers = fitting.map((mid) => s.post(big(mid)));
    await eventually(
      () => t.app.get(IntakeWriter).backlog.items,
      (n) => n === 2,
    );
    const overflow = newMid();
    const refused = await s.post(big(overflow));
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    await hold.release();
    expect((await Promise.all([first, ...fittingAnswers])).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await s.storedMids(fitting)).toBe(2);
    expect(await s.storedMids([overflow])).toBe(0);
    // Every answered delivery gave its bytes back: the next burst has the whole limit again.
    await eventually(
      () => t.app.get(IntakeWriter).backlog.admittedBytes,
      (bytes) => bytes === 0,
    );
  });
});

/** A database rule that refuses any message with this mid: a value the database will not take, as MySQL does with some. */
async function refuseMid(t: TestApp, mid: string): Promise<void> {
  if (t.database.dialect === 'sqlite') {
    await t.dataSource.query(
      `CREATE TRIGGER refuse_mid BEFORE INSERT ON messages WHEN NEW.mid = '${mid}' BEGIN SELECT RAISE(ABORT, 'refused'); END`,
    );
  } else {
    await t.dataSource.query(
      `CREATE TRIGGER refuse_mid BEFORE INSERT ON messages FOR EACH ROW
       BEGIN IF NEW.mid = '${mid}' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused'; END IF; END`,
    );
  }
}

async function allowMids(t: TestApp): Promise<void> {
  await t.dataSource.query('DROP TRIGGER refuse_mid');
}
