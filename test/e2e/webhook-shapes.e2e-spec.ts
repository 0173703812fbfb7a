import { newIgUserId, newIgsid } from '../support/factories';
import { dateFromRawColumn } from '@database/dialect';
import { createTestAccount, type TestAccount } from '../support/accounts';
import { adminClient } from '../support/admin-client';
import { newMid } from '../support/instagram-events';
import { startTestApp, type TestApp } from '../support/test-app';
import { postWebhook } from '../support/webhook-sender';

type Row = Record<string, unknown>;

/**
 * Webhook bodies as other producers, captures and older Meta versions shape
 * them, and events that arrive late or odd: each stored as what it is.
 */
describe('webhook shapes seen in the wild', () => {
  let t: TestApp;
  let a: TestAccount;
  let shop: string;

  const deliver = (items: unknown[], entryTime: unknown = Date.now()) =>
    postWebhook(
      t.app.getHttpServer(),
      `/webhooks/instagram/${a.account.id}`,
      JSON.stringify({ object: 'instagram', entry: [{ id: shop, time: entryTime, messaging: items }] }),
      a.credentials.appSecret,
    ).expect(200);
  const rows = async (sql: string, parameters: unknown[] = []) => (await t.dataSource.query(sql, parameters)) as Row[];
  const messageByMid = async (mid: string) =>
    (await rows('SELECT * FROM messages WHERE account_id = ? AND mid = ?', [a.account.id, mid]))[0];
  const repliesTo = async (messageId: unknown) =>
    rows('SELECT text FROM messages WHERE reply_to_message_id = ?', [messageId]);

  beforeAll(async () => {
    t = await startTestApp();
    a = await createTestAccount(t.app, { igUserId: newIgUserId(), fallbackResponse: 'Thanks for writing!' });
    shop = a.account.igUserId;
  });

  afterAll(() => t.close());

  it('keeps a message the account sent without is_echo as outbound, unanswered, pausing automation', async () => {
    const customer = newIgsid();
    const mid = newMid();
    await deliver([
      { sender: { id: shop }, recipient: { id: customer }, timestamp: Date.now(), message: { mid, text: 'Hi!' } },
    ]);
    const message = await messageByMid(mid);
    expect(message).toMatchObject({ direction: 'outbound', origin: 'app', text: 'Hi!' });
    expect(await repliesTo(message.id)).toEqual([]);
    const [conversation] = await rows(
      'SELECT participant_id, automation_paused_until FROM conversations WHERE id = ?',
      [message.conversation_id],
    );
    expect(conversation.participant_id).toBe(customer);
    expect(conversation.automation_paused_until).not.toBeNull();
  });

  it('keeps an item between two other people as unroutable, in no conversation and unanswered', async () => {
    const mid = newMid();
    await deliver([
      {
        sender: { id: newIgsid() },
        recipient: { id: newIgsid() },
        timestamp: Date.now(),
        message: { mid, text: 'hey' },
      },
    ]);
    expect(await messageByMid(mid)).toBeUndefined();
    const kept = await rows('SELECT reason FROM unroutable_events WHERE account_id = ? AND payload LIKE ?', [
      a.account.id,
      `%${mid}%`,
    ]);
    expect(kept).toEqual([{ reason: 'no_participant' }]);
  });

  it('keeps an echo addressed to the account itself as unroutable: a participant is never the account', async () => {
    const mid = newMid();
    await deliver([
      {
        sender: { id: newIgsid() },
        recipient: { id: shop },
        timestamp: Date.now(),
        message: { mid, text: 'x', is_echo: true },
      },
    ]);
    expect(await messageByMid(mid)).toBeUndefined();
    expect(
      await rows('SELECT id FROM conversations WHERE account_id = ? AND participant_id = ?', [a.account.id, shop]),
    ).toEqual([]);
  });

  it.each([
    ['epoch milliseconds as a string', (ms: number) => String(ms)],
    ['epoch seconds as a number', (ms: number) => ms / 1000],
    ['epoch seconds as a string', (ms: number) => String(ms / 1000)],
    ['an ISO-8601 string', (ms: number) => new Date(ms).toISOString()],
  ])('reads a message time given as %s, and answers it', async (_label, written) => {
    const at = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    const mid = newMid();
    await deliver([
      { sender: { id: newIgsid() }, recipient: { id: shop }, timestamp: written(at), message: { mid, text: 'hello' } },
    ]);
    const message = await messageByMid(mid);
    expect(message.type).toBe('text');
    expect(dateFromRawColumn(message.occurred_at)?.getTime()).toBe(at);
    expect(await repliesTo(message.id)).toEqual([{ text: 'Thanks for writing!' }]);
  });

  it('keeps every referral field Meta documents, a shop product included', async () => {
    const mid = newMid();
    const referral = {
      ref: 'spring',
      source: 'SHOP',
      type: 'OPEN_THREAD',
      ad_id: '120210000000000',
      ads_context_data: { ad_title: 'Spring sale', post_id: '17900000000000000' },
      product: { id: '8123456789012345' },
    };
    await deliver([
      {
        sender: { id: newIgsid() },
        recipient: { id: shop },
        timestamp: Date.now(),
        message: { mid, text: 'this one?', referral },
      },
    ]);
    const metadata = JSON.parse(String((await messageByMid(mid)).metadata));
    expect(metadata.referral).toEqual({
      ref: 'spring',
      source: 'SHOP',
      type: 'OPEN_THREAD',
      adId: '120210000000000',
      adsContextData: { ad_title: 'Spring sale', post_id: '17900000000000000' },
      productId: '8123456789012345',
    });
  });

  it('shows which button the customer tapped: the payload of a postback and of a quick reply', async () => {
    const customer = newIgsid();
    const [postback, quickReply] = [newMid(), newMid()];
    await deliver([
      {
        sender: { id: customer },
        recipient: { id: shop },
        timestamp: Date.now() - 2000,
        postback: { mid: postback, title: 'Opening hours', payload: 'HOURS' },
      },
      {
        sender: { id: customer },
        recipient: { id: shop },
        timestamp: Date.now() - 1000,
        message: { mid: quickReply, text: 'Yes please', quick_reply: { payload: 'CONFIRM_ORDER' } },
      },
    ]);
    for (const [mid, type, text, payload] of [
      [postback, 'postback', 'Opening hours', 'HOURS'],
      [quickReply, 'text', 'Yes please', 'CONFIRM_ORDER'],
    ]) {
      const { id } = await messageByMid(mid);
      const view = (await adminClient(t).get(`/accounts/${a.account.id}/messages/${id}`).expect(200)).body;
      expect(view).toMatchObject({ type, text, payload });
    }
  });

  describe('events that arrive late', () => {
    const customer = newIgsid();
    const edit = (mid: string, text: string, timestamp: number, count: number) => ({
      sender: { id: customer },
      recipient: { id: shop },
      timestamp,
      message_edit: { mid, text, num_edit: count },
    });
    const react = (mid: string, timestamp: number, action: 'react' | 'unreact', emoji?: string) => ({
      sender: { id: customer },
      recipient: { id: shop },
      timestamp,
      reaction: { mid, action, ...(emoji ? { reaction: 'love', emoji } : {}) },
    });

    it('never lets a stale edit overwrite a newer one (Meta’s time first, then its edit count)', async () => {
      const mid = newMid();
      const sent = Date.now() - 10_000;
      await deliver([
        { sender: { id: customer }, recipient: { id: shop }, timestamp: sent, message: { mid, text: 'v0' } },
      ]);
      await deliver([edit(mid, 'v2', sent + 2000, 2)]);
      await deliver([edit(mid, 'v1', sent + 1000, 1)]);
      expect((await messageByMid(mid)).text).toBe('v2');
      await deliver([edit(mid, 'v3 same time, later count', sent + 2000, 3)]);
      expect((await messageByMid(mid)).text).toBe('v3 same time, later count');
    });

    it('keeps the newest of an edit that came before its message and the late original', async () => {
      const mid = newMid();
      const sent = Date.now() - 10_000;
      await deliver([edit(mid, 'edited', sent + 1000, 1)]);
      await deliver([
        { sender: { id: customer }, recipient: { id: shop }, timestamp: sent, message: { mid, text: 'original' } },
      ]);
      expect((await messageByMid(mid)).text).toBe('edited');
    });

    it('never lets a stale reaction or unreaction overwrite a newer one', async () => {
      const mid = newMid();
      const sent = Date.now() - 10_000;
      await deliver([
        { sender: { id: customer }, recipient: { id: shop }, timestamp: sent, message: { mid, text: 'nice' } },
      ]);
      await deliver([react(mid, sent + 3000, 'unreact')]);
      await deliver([react(mid, sent + 2000, 'react', '\u2764\ufe0f')]);
      expect((await messageByMid(mid)).reaction).toBeNull();
      await deliver([react(mid, sent + 4000, 'react', '\ud83d\udc4d')]);
      expect((await messageByMid(mid)).reaction).toBe('\ud83d\udc4d');
    });

    it('clips a reaction longer than a reaction can be, instead of failing the delivery at every retry', async () => {
      const mid = newMid();
      const sent = Date.now() - 10_000;
      await deliver([
        { sender: { id: customer }, recipient: { id: shop }, timestamp: sent, message: { mid, text: 'hi' } },
      ]);
      await deliver([react(mid, sent + 1000, 'react', '\ud83d\ude00'.repeat(100))]);
      expect((await messageByMid(mid)).reaction).toBe('\ud83d\ude00'.repeat(64));
    });
  });
});
