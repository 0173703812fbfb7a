import { newIgUserId, newIgsid } from '../support/factories';
import request from 'supertest';
import { AccountRepository } from '@accounts/account.repository';
import { createTestAccount, type TestAccount } from '../support/accounts';
import { customerMessage, newMid } from '../support/instagram-events';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text';
import { startTestApp, type TestApp } from '../support/test-app';
import { postWebhook } from '../support/webhook-sender';

type Row = Record<string, unknown>;

/** One Meta app shared by several accounts, on `POST /webhooks/instagram`. */
describe('the shared webhook route', () => {
  let t: TestApp;
  let a: TestAccount;
  let b: TestAccount;
  const postShared = (body: string, appSecret: string | null) =>
    postWebhook(t.app.getHttpServer(), '/webhooks/instagram', body, appSecret);
  /** One delivery with an entry for each of these accounts, each entry a message of its own. */
  const batched = (entries: Array<{ igUserId: string; mid: string }>) =>
    JSON.stringify({
      object: 'instagram',
      entry: entries.map(({ igUserId, mid }) => {
        const entry = JSON.parse(customerMessage({ igUserId, customer: newIgsid(), text: 'hi', mid })).entry[0];
        return entry as Record<string, unknown>;
      }),
    });
  const storedMid = async (mid: string) =>
    Number(((await t.dataSource.query('SELECT COUNT(*) AS n FROM messages WHERE mid = ?', [mid])) as Row[])[0].n);

  beforeEach(async () => {
    t = await startTestApp();
    a = await createTestAccount(t.app, { igUserId: newIgUserId() });
    b = await createTestAccount(t.app, { igUserId: newIgUserId() });
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await t.close();
  });

  it('refuses an unsigned delivery from memory, before looking up any of its entries', async () => {
    await postShared(batched([{ igUserId: a.account.igUserId, mid: newMid() }]), a.credentials.appSecret).expect(200);
    const lookups = jest.spyOn(t.app.get(AccountRepository), 'getByIgUserIds');
    const madeUp = Array.from({ length: 1000 }, () => ({ igUserId: newIgUserId(), mid: newMid() }));

    await postShared(batched(madeUp), null).expect(403);
    await postShared(batched(madeUp), 'not-the-app-secret-of-anyone').expect(403);
    expect(lookups).not.toHaveBeenCalled();

    // A signed one resolves all its entries in one read.
    await postShared(batched(madeUp.slice(0, 50)), a.credentials.appSecret).expect(200);
    expect(lookups).toHaveBeenCalledTimes(1);
  });

  it('answers the verification handshake from memory, not by reading every account each time', async () => {
    const secrets = jest.spyOn(t.app.get(AccountRepository), 'getActiveWebhookSecrets');
    const query = {
      'hub.mode': 'subscribe',
      'hub.challenge': '1158201444',
      'hub.verify_token': b.credentials.verifyToken,
    };
    for (let i = 0; i < 3; i++) {
      const res = await request(t.app.getHttpServer()).get('/webhooks/instagram').query(query).expect(200);
      expect(res.text).toBe('1158201444');
    }
    expect(secrets.mock.calls.length).toBeLessThanOrEqual(1);
  });

  describe('with an account whose stored credentials cannot be decrypted', () => {
    beforeEach(async () => {
      // A's ciphertext in B's row: authenticated for A's row only, so it no longer decrypts there.
      await t.dataSource.query(
        'UPDATE accounts SET app_secret_ciphertext = (SELECT c FROM (SELECT app_secret_ciphertext AS c FROM accounts WHERE id = ?) AS a_row) WHERE id = ?',
        [a.account.id, b.account.id],
      );
    });

    it('still checks and stores the other accounts’ entries, and keeps its own as unroutable', async () => {
      const [forA, forB] = [newMid(), newMid()];
      const body = batched([
        { igUserId: a.account.igUserId, mid: forA },
        { igUserId: b.account.igUserId, mid: forB },
      ]);
      await postShared(body, a.credentials.appSecret).expect(200);
      expect(await storedMid(forA)).toBe(1);
      expect(await storedMid(forB)).toBe(0);
      const [kept] = (await t.dataSource.query('SELECT entry_id, reason FROM unroutable_events WHERE entry_id = ?', [
        b.account.igUserId,
      ])) as Row[];
      expect(kept).toEqual({ entry_id: b.account.igUserId, reason: 'credentials_unreadable' });
      const scrape = parsePrometheusText((await request(t.app.getHttpServer()).get('/metrics')).text);
      expect(sampleValue(scrape, 'gateway_webhook_unreadable_account_entries_total')).toBe(1);
    });

    it('answers an unsigned delivery 403, not 500', async () => {
      await postShared(batched([{ igUserId: b.account.igUserId, mid: newMid() }]), null).expect(403);
      await postShared(batched([{ igUserId: a.account.igUserId, mid: newMid() }]), null).expect(403);
    });
  });
});
