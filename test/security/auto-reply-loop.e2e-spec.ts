import { newIgUserId, newIgsid } from '../support/factories';
import { createTestAccount, type TestAccount } from '../support/accounts';
import { adminClient } from '../support/admin-client';
import { customerMessage, newMid } from '../support/instagram-events';
import { startTestApp, type TestApp } from '../support/test-app';
import { postWebhook } from '../support/webhook-sender';

type Row = Record<string, unknown>;

/**
 * Another bot (or another account on this gateway) answering every
 * automatic reply with a message of its own: the account stops answering
 * that conversation after its limit, instead of ping-ponging until Meta
 * rate-limits it and real customers wait.
 */
describe('automatic replies cannot loop with another bot', () => {
  let t: TestApp;
  let shop: TestAccount;

  /** The other bot writes `count` messages in one conversation; answers the ids of the stored messages. */
  async function botWrites(account: TestAccount, bot: string, count: number): Promise<string[]> {
    const mids: string[] = [];
    for (let i = 0; i < count; i++) {
      const mid = newMid();
      mids.push(mid);
      await postWebhook(
        t.app.getHttpServer(),
        `/webhooks/instagram/${account.account.id}`,
        customerMessage({ igUserId: account.account.igUserId, customer: bot, text: `auto-message ${i}`, mid }),
        account.credentials.appSecret,
      ).expect(200);
    }
    const ids: string[] = [];
    for (const mid of mids) {
      const [row] = (await t.dataSource.query('SELECT id FROM messages WHERE mid = ?', [mid])) as Row[];
      ids.push(String(row.id));
    }
    return ids;
  }
  const repliesTo = async (messageIds: string[]) =>
    Number(
      (
        (await t.dataSource.query(
          `SELECT COUNT(*) AS n FROM messages WHERE reply_to_message_id IN (${messageIds.map(() => '?').join(', ')})`,
          messageIds,
        )) as Row[]
      )[0].n,
    );
  const viewOf = async (account: TestAccount, messageId: string) =>
    (await adminClient(t).get(`/accounts/${account.account.id}/messages/${messageId}`).expect(200)).body;

  beforeAll(async () => {
    t = await startTestApp();
    shop = await createTestAccount(t.app, {
      igUserId: newIgUserId(),
      fallbackResponse: 'Thanks, we will answer soon!',
    });
  });

  afterAll(() => t.close());

  it('answers at most 5 messages of one conversation within 10 minutes, and says why it stopped', async () => {
    const ids = await botWrites(shop, newIgsid(), 8);
    expect(await repliesTo(ids.slice(0, 5))).toBe(5);
    expect(await repliesTo(ids.slice(5))).toBe(0);
    expect(await viewOf(shop, ids[5])).toMatchObject({ noReplyReason: 'auto_reply_limit' });
    expect(await viewOf(shop, ids[4])).toMatchObject({ noReplyReason: null });
  });

  it('keeps answering other conversations of the account', async () => {
    const ids = await botWrites(shop, newIgsid(), 1);
    expect(await repliesTo(ids)).toBe(1);
  });

  it('takes the account’s own limit', async () => {
    const strict = await createTestAccount(t.app, { igUserId: newIgUserId(), fallbackResponse: 'Hello!' });
    const res = await adminClient(t)
      .put(`/accounts/${strict.account.id}`, { autoReplyLimit: 2, autoReplyLimitMinutes: 60 })
      .expect(200);
    expect(res.body).toMatchObject({ autoReplyLimit: 2, autoReplyLimitMinutes: 60 });
    const ids = await botWrites(strict, newIgsid(), 4);
    expect(await repliesTo(ids)).toBe(2);
  });

  it('refuses a limit that is not a whole number from 1 up, changing nothing', async () => {
    for (const autoReplyLimit of [0, -1, 2.5, '3', 1001]) {
      const res = await adminClient(t).put(`/accounts/${shop.account.id}`, { autoReplyLimit }).expect(400);
      expect(res.body.fields).toHaveProperty('autoReplyLimit');
    }
    expect((await adminClient(t).get(`/accounts/${shop.account.id}`).expect(200)).body.autoReplyLimit).toBeNull();
  });
});
