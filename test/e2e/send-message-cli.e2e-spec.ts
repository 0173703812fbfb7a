import { randomBytes } from 'node:crypto';
import type { RawEnvironment } from '@config/environment';
import { ContactProfileWorker } from '@contacts/contact-profile-worker';
import { MessageEntity } from '@messaging/persistence/message.entity';
import { createTestAccount, type TestAccount } from '../support/accounts';
import { adminClient } from '../support/admin-client';
import { runCli } from '../support/cli-runner';
import { FakeGraphApi, metaFixture } from '../support/fake-graph-api';
import { fastMessaging } from '../support/fast-messaging';
import { customerMessage } from '../support/instagram-events';
import { startServiceProcess } from '../support/service-process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { startTestApp, type TestApp } from '../support/test-app';
import { testEnvironment } from '../support/test-environment';
import { postWebhook } from '../support/webhook-sender';

interface SendBody {
  recipient: { id: string };
  message: { text?: string };
}

const PROFILE = metaFixture<{ username: string }>('user-profile.json');
const HOUR = 3_600_000;

/**
 * `send-message` beside a running server on the same database, as an operator
 * uses it. The server's background work is slowed right down, so what is sent
 * here is sent by the command.
 */
describe('send-message command', () => {
  let db: TestDatabase;
  let fake: FakeGraphApi;
  let env: RawEnvironment;
  let server: TestApp;
  let shop: TestAccount;
  let customerSequence = 0;

  const sends = () => fake.requestsTo('POST', fake.path('/me/messages'));
  const cli = (...args: string[]) => runCli(env, ['send-message', '--account', shop.account.username, ...args]);

  async function customerWrote(ago = 0): Promise<string> {
    customerSequence += 1;
    const customer = `77000000000${String(customerSequence).padStart(4, '0')}`;
    await postWebhook(
      server.app.getHttpServer(),
      `/webhooks/instagram/${shop.account.id}`,
      customerMessage({ igUserId: shop.account.igUserId, customer, text: 'Hello', timestamp: Date.now() - ago }),
      shop.credentials.appSecret,
    ).expect(200);
    return customer;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    fake = await FakeGraphApi.start();
    env = testEnvironment({
      DATABASE_URL: db.url,
      GRAPH_API_BASE_URL: fake.baseUrl,
      APP_SECRET_KEY: randomBytes(32).toString('base64'),
    });
    const idle = { pollIntervalMs: 3_600_000, idlePollMaxMs: 3_600_000 };
    server = await startTestApp(env, db, fastMessaging({ outbox: idle, contacts: idle }));
    shop = await createTestAccount(server.app, { igUserId: '17841400000000001', username: 'cli_shop' });
  });

  afterEach(() => fake.reset());

  afterAll(async () => {
    await server.close();
    await fake.close();
    await db.drop();
  });

  it('sends a text to an IGSID and prints the Graph API message id', async () => {
    const customer = await customerWrote();

    const run = await cli('--to', customer, '--text', 'Hello from the shop');

    expect(run.error).toBeNull();
    const [call] = sends();
    expect(call.headers.authorization).toBe(`Bearer ${shop.credentials.accessToken}`);
    expect(call.body).toEqual({ recipient: { id: customer }, message: { text: 'Hello from the shop' } });
    const [row] = await server.dataSource
      .getRepository(MessageEntity)
      .findBy({ accountId: shop.account.id, recipientId: customer, direction: 'outbound' });
    expect(row).toMatchObject({ status: 'sent', origin: 'operator', attempts: 1 });
    expect(run.lines).toEqual([`sent message ${row.id}; Graph API message id: ${row.mid}`]);
  });

  it('sends a template with parameters to a @username from the contacts, by account id', async () => {
    const customer = await customerWrote();
    await server.app.get(ContactProfileWorker).lookUpDueProfiles();
    await adminClient(server)
      .post(`/accounts/${shop.account.id}/templates`, {
        name: 'order_shipped',
        text: 'Hi {{name}}, {{order}} shipped.',
      })
      .expect(201);

    const run = await runCli(env, [
      'send-message',
      '--account',
      shop.account.id,
      '--to',
      `@${PROFILE.username}`,
      '--template',
      'order_shipped',
      '--param',
      'name=Anna',
      '--param',
      'order=#1042 (a=b)',
    ]);

    expect(run.error).toBeNull();
    expect(run.lines).toHaveLength(1);
    expect(sends().map((call) => call.body as SendBody)).toEqual([
      { recipient: { id: customer }, message: { text: 'Hi Anna, #1042 (a=b) shipped.' } },
    ]);
  });

  it('sends an image and a file by URL, and a quote reply', async () => {
    const customer = await customerWrote();
    const image = 'https://example.com/images/catalog.jpg';
    const file = 'https://example.com/files/price-list.pdf';
    expect((await cli('--to', customer, '--image', image)).error).toBeNull();
    expect((await cli('--to', customer, '--file', file)).error).toBeNull();
    const [quoted] = await server.dataSource
      .getRepository(MessageEntity)
      .findBy({ accountId: shop.account.id, senderId: customer, direction: 'inbound' });
    expect((await cli('--to', customer, '--text', 'In blue too.', '--reply-to', quoted.mid!)).error).toBeNull();
    expect(sends().map((call) => call.body)).toEqual([
      { recipient: { id: customer }, message: { attachment: { type: 'image', payload: { url: image } } } },
      { recipient: { id: customer }, message: { attachment: { type: 'file', payload: { url: file } } } },
      { recipient: { id: customer }, message: { text: 'In blue too.' }, reply_to: { mid: quoted.mid } },
    ]);
  });

  it('refuses, before calling Meta, a plain http URL, two kinds of media and a quote of no message', async () => {
    const customer = await customerWrote();
    expect((await cli('--to', customer, '--image', 'http://example.com/a.jpg')).error?.message).toMatch(
      /url must be an https URL/,
    );
    const twice = await cli(
      '--to',
      customer,
      '--image',
      'https://example.com/a.jpg',
      '--file',
      'https://example.com/b',
    );
    expect(twice.error?.message).toMatch(/give one of --image, --file, not several/);
    expect((await cli('--to', customer, '--text', 'Hi', '--reply-to', 'no-such-mid')).error?.message).toMatch(
      /replyToMid is not a message of this conversation/,
    );
    expect(sends()).toHaveLength(0);
  });

  it('fails with Meta’s reason when Meta refuses the message', async () => {
    const customer = await customerWrote();
    fake.respondOnce('POST', fake.path('/me/messages'), {
      status: 400,
      body: metaFixture('send-api-error-user-unavailable.json'),
    });

    const run = await cli('--to', customer, '--text', 'Hello?');

    expect(run.error?.message).toMatch(
      /^message \S+ failed: .*\(#551\/1545041\) This person isn't available right now\./,
    );
    expect(run.lines).toEqual([]);
  });

  it('refuses, before calling Meta, a message outside the window, a missing parameter and an unknown username', async () => {
    const late = await customerWrote(25 * HOUR);
    expect((await cli('--to', late, '--text', 'Still there?')).error?.message).toMatch(
      /^not sent: the 24-hour messaging window closed/,
    );
    const recent = await customerWrote();
    expect((await cli('--to', recent, '--template', 'order_shipped', '--param', 'name=Anna')).error?.message).toBe(
      'missing template parameter: order',
    );
    expect((await cli('--to', '@nobody_here', '--text', 'Hi')).error?.message).toMatch(/no one called @nobody_here/);
    expect((await cli('--to', recent)).error?.message).toMatch(/text, templateName, attachment or sticker is required/);
    expect(sends()).toHaveLength(0);
  });

  it('exits non-zero with a one-line reason, as an operator runs it', async () => {
    const customer = await customerWrote(25 * HOUR);
    const process = startServiceProcess('cli', env, [
      'send-message',
      '--account',
      shop.account.username,
      '--to',
      customer,
      '--text',
      'Too late',
    ]);
    expect(await process.exited).toBe(1);
    expect(process.output()).toMatch(/^error: not sent: the 24-hour messaging window closed at \S+; a message/m);
    expect(sends()).toHaveLength(0);
  });
});
