import request from 'supertest';
import { ConversationRepository } from '@messaging/conversation.repository';
import { MessageRepository } from '@messaging/message.repository';
import type { Message } from '@messaging/message';
import { AccountRepository } from '@accounts/account.repository';
import { createTestAccount, type TestAccount } from '../support/accounts';
import {
  ACCOUNT_A_IG_USER_ID,
  ACCOUNT_B_IG_USER_ID,
  CUSTOMER_IGSID,
  fixtureBytes,
  metaFixture,
  webhookFixtureNames,
} from '../support/meta-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { postWebhook } from '../support/webhook-sender';

type Row = Record<string, unknown>;

describe('webhooks', () => {
  let t: TestApp;
  let a: TestAccount;
  let b: TestAccount;
  const server = () => t.app.getHttpServer();
  const count = async (table: string, where = '1 = 1', params: unknown[] = []) =>
    Number(((await t.dataSource.query(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`, params)) as Row[])[0].n);
  const messagesOf = async (accountId: string, participantId = CUSTOMER_IGSID): Promise<Message[]> => {
    const conversation = await t.app.get(ConversationRepository).getByParticipant(accountId, participantId);
    if (!conversation) return [];
    return (await t.app.get(MessageRepository).getConversationHistory(accountId, conversation.id, 200, null)).items;
  };
  const routeOf = (account: TestAccount) => `/webhooks/instagram/${account.account.id}`;

  beforeEach(async () => {
    t = await startTestApp();
    a = await createTestAccount(t.app, { igUserId: ACCOUNT_A_IG_USER_ID });
    b = await createTestAccount(t.app, { igUserId: ACCOUNT_B_IG_USER_ID });
  });

  afterEach(async () => {
    await t.close();
  });

  describe('subscription handshake', () => {
    const handshake = metaFixture<{ request: { query: Record<string, string> } }>('webhook-verification').request.query;

    it('answers the challenge as plain text for the right verify token', async () => {
      const query = { ...handshake, 'hub.verify_token': a.credentials.verifyToken };
      for (const path of [routeOf(a), `/webhooks/instagram?account_id=${a.account.id}`, '/webhooks/instagram']) {
        const res = await request(server()).get(path).query(query).expect(200);
        expect(res.text).toBe(handshake['hub.challenge']);
        expect(res.headers['content-type']).toMatch(/^text\/plain/);
      }
    });

    it('refuses a wrong or missing token, or another account’s token, with 403', async () => {
      await request(server()).get(routeOf(a)).query(handshake).expect(403);
      await request(server())
        .get(routeOf(a))
        .query({ ...handshake, 'hub.verify_token': b.credentials.verifyToken })
        .expect(403);
      await request(server()).get(routeOf(a)).query({ 'hub.mode': 'subscribe', 'hub.challenge': '1' }).expect(403);
      await request(server())
        .get(routeOf(a))
        .query({ ...handshake, 'hub.mode': 'unsubscribe', 'hub.verify_token': a.credentials.verifyToken })
        .expect(403);
      await request(server()).get('/webhooks/instagram').query(handshake).expect(403);
    });

    it('answers 404 for an unknown or inactive account', async () => {
      const query = { ...handshake, 'hub.verify_token': a.credentials.verifyToken };
      await request(server()).get('/webhooks/instagram/0190a5d2-0000-7000-8000-000000000000').query(query).expect(404);
      await request(server()).get('/webhooks/instagram/not-an-id').query(query).expect(404);
      await t.app.get(AccountRepository).deactivate(a.account.id);
      await request(server()).get(routeOf(a)).query(query).expect(404);
    });
  });

  describe('delivery', () => {
    it.each(webhookFixtureNames().filter((name) => name !== 'batched-two-accounts'))(
      'stores %s once and acknowledges it',
      async (name) => {
        const body = fixtureBytes(name);
        const res = await postWebhook(server(), routeOf(a), body, a.credentials.appSecret).expect(200);
        expect(res.text).toBe('EVENT_RECEIVED');
        expect(await count('webhook_deliveries')).toBe(1);
        // A mention names no person, so it is kept in no conversation: in `mentions`, not `messages`.
        const storedRows = async (account: TestAccount) =>
          (await count('messages', 'account_id = ?', [account.account.id])) +
          (await count('mentions', 'account_id = ?', [account.account.id]));
        const stored = await storedRows(a);
        expect(stored).toBeGreaterThan(0);
        expect(await count('unroutable_events')).toBe(0);
        await postWebhook(server(), routeOf(a), body, a.credentials.appSecret).expect(200);
        expect(await storedRows(a)).toBe(stored);
        expect(await storedRows(b)).toBe(0);
      },
    );

    it('stores a text message with its sender, text, mid and Meta’s millisecond timestamp', async () => {
      await postWebhook(server(), routeOf(a), fixtureBytes('text-message'), a.credentials.appSecret).expect(200);
      const [message] = await messagesOf(a.account.id);
      const event = metaFixture<{
        entry: Array<{ messaging: Array<{ timestamp: number; message: { mid: string; text: string } }> }>;
      }>('text-message').entry[0].messaging[0];
      expect(message).toMatchObject({
        accountId: a.account.id,
        direction: 'inbound',
        type: 'text',
        senderId: CUSTOMER_IGSID,
        text: event.message.text,
        mid: event.message.mid,
      });
      expect(message.timestamp.getTime()).toBe(event.timestamp);
      const conversation = await t.app.get(ConversationRepository).getByParticipant(a.account.id, CUSTOMER_IGSID);
      expect(conversation?.lastInboundAt?.getTime()).toBe(event.timestamp);
      expect(conversation?.lastMessageAt?.getTime()).toBe(event.timestamp);
    });

    it('converts comment timestamps from seconds', async () => {
      await postWebhook(server(), routeOf(a), fixtureBytes('comment-change'), a.credentials.appSecret).expect(200);
      const rows = (await t.dataSource.query('SELECT occurred_at FROM messages WHERE type = ?', ['comment'])) as Row[];
      expect(rows).toHaveLength(1);
      const entryTime = metaFixture<{ entry: Array<{ time: number }> }>('comment-change').entry[0].time;
      expect(new Date(rows[0].occurred_at as string).getUTCFullYear()).toBe(
        new Date(entryTime * 1000).getUTCFullYear(),
      );
    });

    it('verifies the signature over the raw bytes, \\u escapes included', async () => {
      const raw = Buffer.from(
        `{"object":"instagram","entry":[{"id":"${ACCOUNT_A_IG_USER_ID}","time":1780000000000,"messaging":[{"sender":{"id":"${CUSTOMER_IGSID}"},"recipient":{"id":"${ACCOUNT_A_IG_USER_ID}"},"timestamp":1780000000000,"message":{"mid":"m-unicode","text":"Gr\\u00fc\\u00dfe \\ud83d\\ude00 \\/ caf\\u00e9"}}]}]}`,
      );
      const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw.toString())));
      await postWebhook(server(), routeOf(a), raw, a.credentials.appSecret, reserialised).expect(403);
      await postWebhook(server(), routeOf(a), raw, a.credentials.appSecret).expect(200);
      const [message] = await messagesOf(a.account.id);
      expect(message.text).toBe('Grüße 😀 / café');
    });

    it('refuses a tampered body, a missing signature and another account’s secret, storing nothing', async () => {
      const body = fixtureBytes('text-message');
      const tampered = Buffer.from(body.toString().replace('Berlin', 'Munich'));
      await postWebhook(server(), routeOf(a), tampered, a.credentials.appSecret, body).expect(403);
      await postWebhook(server(), routeOf(a), body, null).expect(403);
      await postWebhook(server(), routeOf(a), body, b.credentials.appSecret).expect(403);
      expect(await count('webhook_deliveries')).toBe(0);
      expect(await count('messages')).toBe(0);
    });

    it('answers 404 for an unknown or deactivated account', async () => {
      const body = fixtureBytes('text-message');
      await postWebhook(
        server(),
        '/webhooks/instagram/0190a5d2-0000-7000-8000-000000000000',
        body,
        a.credentials.appSecret,
      ).expect(404);
      await t.app.get(AccountRepository).deactivate(a.account.id);
      await postWebhook(server(), routeOf(a), body, a.credentials.appSecret).expect(404);
      await postWebhook(
        server(),
        `/webhooks/instagram?account_id=${a.account.id}`,
        body,
        a.credentials.appSecret,
      ).expect(404);
      expect(await count('messages')).toBe(0);
    });

    it('accepts the query form of the route', async () => {
      await postWebhook(
        server(),
        `/webhooks/instagram?account_id=${a.account.id}`,
        fixtureBytes('text-message'),
        a.credentials.appSecret,
      ).expect(200);
      expect(await messagesOf(a.account.id)).toHaveLength(1);
    });

    it('answers 400 for a body that is not JSON or not an Instagram notification, storing nothing', async () => {
      for (const body of ['not json', '{"object":"page","entry":[]}', '{"object":"instagram"}', '[]', '']) {
        await postWebhook(server(), routeOf(a), body, a.credentials.appSecret).expect(400);
      }
      expect(await count('webhook_deliveries')).toBe(0);
    });

    it('answers 413 for a body over 1 MiB', async () => {
      const padding = 'x'.repeat(1024 * 1024);
      const body = `{"object":"instagram","entry":[],"pad":"${padding}"}`;
      const res = await postWebhook(server(), routeOf(a), body, a.credentials.appSecret).expect(413);
      expect(res.body).toMatchObject({ statusCode: 413, error: 'payload_too_large' });
      expect(await count('webhook_deliveries')).toBe(0);
    });

    it('stores 20 concurrent identical deliveries once', async () => {
      const body = fixtureBytes('text-message');
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => postWebhook(server(), routeOf(a), body, a.credentials.appSecret)),
      );
      expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
      expect(await count('messages')).toBe(1);
      expect(await count('conversations')).toBe(1);
      // The same bytes again are the same delivery: its raw body is kept once.
      expect(await count('webhook_deliveries')).toBe(1);
    });

    it('routes a batched delivery for two accounts on the shared route', async () => {
      const body = fixtureBytes('batched-two-accounts');
      // Both addressed accounts' secrets must verify: one account's signature alone is not enough.
      await postWebhook(server(), '/webhooks/instagram', body, a.credentials.appSecret).expect(403);
      expect(await count('messages')).toBe(0);
      await t.app.get(AccountRepository).update(b.account.id, { credentials: { appSecret: a.credentials.appSecret } });
      await postWebhook(server(), '/webhooks/instagram', body, a.credentials.appSecret).expect(200);
      expect((await messagesOf(a.account.id)).map((m) => m.text)).toEqual(['Hello account A']);
      expect((await messagesOf(b.account.id, '3847561029384756')).map((m) => m.text)).toEqual(['Hello account B']);
    });

    it('keeps entries for unknown accounts on the shared route as unroutable', async () => {
      await t.app.get(AccountRepository).deactivate(b.account.id);
      await postWebhook(
        server(),
        '/webhooks/instagram',
        fixtureBytes('batched-two-accounts'),
        a.credentials.appSecret,
      ).expect(200);
      expect(await messagesOf(a.account.id)).toHaveLength(1);
      expect(await count('messages', 'account_id = ?', [b.account.id])).toBe(0);
      const [unroutable] = (await t.dataSource.query('SELECT entry_id, reason FROM unroutable_events')) as Row[];
      expect(unroutable).toEqual({ entry_id: ACCOUNT_B_IG_USER_ID, reason: 'inactive_account' });
    });

    it('never applies an entry for account B sent on account A’s route', async () => {
      const body = fixtureBytes('batched-two-accounts');
      await postWebhook(server(), routeOf(a), body, a.credentials.appSecret).expect(200);
      expect(await messagesOf(a.account.id)).toHaveLength(1);
      expect(await count('messages', 'account_id = ?', [b.account.id])).toBe(0);
      expect(await count('conversations', 'account_id = ?', [b.account.id])).toBe(0);
      const rows = (await t.dataSource.query('SELECT account_id, entry_id, reason FROM unroutable_events')) as Row[];
      expect(rows).toEqual([{ account_id: a.account.id, entry_id: ACCOUNT_B_IG_USER_ID, reason: 'foreign_entry' }]);
    });

    it('answers 503 while the database is down, stores nothing, and stores the redelivery', async () => {
      const body = fixtureBytes('text-message');
      await t.dataSource.destroy();
      try {
        const res = await postWebhook(server(), routeOf(a), body, a.credentials.appSecret).expect(503);
        expect(res.body.error).toBe('database_unavailable');
      } finally {
        await t.dataSource.initialize();
      }
      expect(await count('webhook_deliveries')).toBe(0);
      await postWebhook(server(), routeOf(a), body, a.credentials.appSecret).expect(200);
      expect(await messagesOf(a.account.id)).toHaveLength(1);
    });

    it('stores nothing of a delivery whose transaction fails half-way', async () => {
      await t.dataSource.query('ALTER TABLE conversations RENAME TO conversations_away');
      try {
        const res = await postWebhook(server(), routeOf(a), fixtureBytes('text-message'), a.credentials.appSecret);
        expect(res.status).toBeGreaterThanOrEqual(500);
      } finally {
        await t.dataSource.query('ALTER TABLE conversations_away RENAME TO conversations');
      }
      expect(await count('webhook_deliveries')).toBe(0);
      expect(await count('messages')).toBe(0);
    });

    it('stores events arriving out of order with Meta’s timestamps and lists them in timestamp order', async () => {
      const delivery = (mid: string, text: string, timestamp: number) =>
        JSON.stringify({
          object: 'instagram',
          entry: [
            {
              id: ACCOUNT_A_IG_USER_ID,
              time: timestamp + 500,
              messaging: [
                {
                  sender: { id: CUSTOMER_IGSID },
                  recipient: { id: ACCOUNT_A_IG_USER_ID },
                  timestamp,
                  message: { mid, text },
                },
              ],
            },
          ],
        });
      for (const [mid, text, ts] of [
        ['m-3', 'third', 1780000003000],
        ['m-1', 'first', 1780000001000],
        ['m-2', 'second', 1780000002000],
      ] as const) {
        await postWebhook(server(), routeOf(a), delivery(mid, text, ts), a.credentials.appSecret).expect(200);
      }
      const messages = await messagesOf(a.account.id);
      expect(messages.map((m) => m.text)).toEqual(['first', 'second', 'third']);
      const conversation = await t.app.get(ConversationRepository).getByParticipant(a.account.id, CUSTOMER_IGSID);
      expect(conversation?.lastInboundAt?.getTime()).toBe(1780000003000);
    });
  });

  describe('semantics', () => {
    const send = (name: string) =>
      postWebhook(server(), routeOf(a), fixtureBytes(name), a.credentials.appSecret).expect(200);

    it('marks a deleted message deleted, and applies an edit', async () => {
      await send('text-message');
      await send('message-edit');
      let [message] = await messagesOf(a.account.id);
      expect(message.editedAt).not.toBeNull();
      await send('deleted-message');
      [message] = await messagesOf(a.account.id);
      expect(message.deletedAt).not.toBeNull();
    });

    it('keeps a deletion that arrives before its message, so the late original is a duplicate', async () => {
      await send('deleted-message');
      await send('text-message');
      const messages = await messagesOf(a.account.id);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatchObject({ type: 'deleted' });
    });

    it('attaches a reaction to the message it reacts to, and removes it on unreact', async () => {
      await send('echo-message');
      await send('reaction');
      const target = () => messagesOf(a.account.id).then((ms) => ms.find((m) => m.isEcho));
      expect((await target())?.reaction).toBe('❤️');
      await send('unreaction');
      expect((await target())?.reaction).toBeNull();
    });

    it('stores an echo typed in the Instagram app as outbound, origin app, and pauses automation for 30 minutes', async () => {
      const before = Date.now();
      await send('echo-message');
      const [echo] = await messagesOf(a.account.id);
      expect(echo).toMatchObject({ direction: 'outbound', origin: 'app', isEcho: true });
      const conversation = await t.app.get(ConversationRepository).getByParticipant(a.account.id, CUSTOMER_IGSID);
      const pausedFor = (conversation?.automationPausedUntil?.getTime() ?? 0) - before;
      expect(pausedFor).toBeGreaterThanOrEqual(30 * 60 * 1000 - 1000);
      expect(pausedFor).toBeLessThanOrEqual(30 * 60 * 1000 + 60 * 1000);
      expect(conversation?.lastInboundAt).toBeNull();
    });

    it('stores standby events without pausing automation', async () => {
      await send('standby');
      const [message] = await messagesOf(a.account.id);
      expect(message.isStandby).toBe(true);
      const conversation = await t.app
        .get(ConversationRepository)
        .getByParticipant(a.account.id, message.senderId ?? '');
      expect(conversation?.automationPausedUntil ?? null).toBeNull();
    });

    it('records each new customer once as a contact due for a profile lookup, whatever started the conversation', async () => {
      await send('echo-message');
      await send('text-message');
      await send('image-attachment');
      const contacts = (await t.dataSource.query('SELECT igsid, next_lookup_at FROM contacts WHERE account_id = ?', [
        a.account.id,
      ])) as Row[];
      expect(contacts).toHaveLength(1);
      expect(contacts[0].igsid).toBe(CUSTOMER_IGSID);
      expect(contacts[0].next_lookup_at).not.toBeNull();
    });

    it('marks the message a seen receipt points at as seen', async () => {
      await send('echo-message');
      await send('seen');
      const echo = (await messagesOf(a.account.id)).find((m) => m.isEcho);
      expect(echo?.seenAt).not.toBeNull();
    });
  });
});
