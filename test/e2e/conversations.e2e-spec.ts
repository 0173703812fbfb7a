import { adminClient } from '../support/admin-client';
import { createTestAccount, type TestAccount } from '../support/accounts';
import { ACCOUNT_A_IG_USER_ID, ACCOUNT_B_IG_USER_ID } from '../support/meta-fixtures';
import { customerMessage } from '../support/instagram-events';
import { startTestApp, type TestApp } from '../support/test-app';
import { postWebhook } from '../support/webhook-sender';

type Row = Record<string, unknown>;
const HOUR = 60 * 60 * 1000;

describe('conversations API', () => {
  let t: TestApp;
  let a: TestAccount;
  let b: TestAccount;
  const api = () => adminClient(t);
  const deliver = (account: TestAccount, sender: string, mid: string, text: string, timestamp: number) =>
    postWebhook(
      t.app.getHttpServer(),
      `/webhooks/instagram/${account.account.id}`,
      customerMessage({ igUserId: account.account.igUserId, customer: sender, text, mid, timestamp }),
      account.credentials.appSecret,
    ).expect(200);
  const conversationsOf = (account: TestAccount, query = '') => `/accounts/${account.account.id}/conversations${query}`;

  beforeEach(async () => {
    t = await startTestApp();
    a = await createTestAccount(t.app, { igUserId: ACCOUNT_A_IG_USER_ID });
    b = await createTestAccount(t.app, { igUserId: ACCOUNT_B_IG_USER_ID });
  });

  afterEach(async () => {
    await t.close();
  });

  it('lists conversations newest activity first, with the window and the participant', async () => {
    const now = Date.now();
    await deliver(a, '1001', 'm1', 'old', now - 30 * HOUR);
    await deliver(a, '1002', 'm2', 'recent', now - HOUR);
    await t.dataSource.query('UPDATE contacts SET username = ?, name = ? WHERE igsid = ?', ['ana.b', 'Ana B', '1002']);
    const res = await api().get(conversationsOf(a)).expect(200);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.items).toHaveLength(2);
    const [recent, old] = res.body.items as Row[];
    expect(recent).toMatchObject({
      participantId: '1002',
      participantUsername: 'ana.b',
      participantName: 'Ana B',
      windowOpen: true,
      automationPausedUntil: null,
    });
    expect(new Date(recent.lastMessageAt as string).getTime()).toBe(now - HOUR);
    expect(new Date(recent.windowExpiresAt as string).getTime()).toBe(now - HOUR + 24 * HOUR);
    expect(old).toMatchObject({ participantId: '1001', participantUsername: null, windowOpen: false });
  });

  it('pages with a cursor, and refuses a cursor that is not one', async () => {
    const now = Date.now();
    for (let i = 1; i <= 5; i++) await deliver(a, `20${i}`, `m${i}`, `hi ${i}`, now - i * 1000);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Row[]; nextCursor: string | null } } = await api()
        .get(conversationsOf(a, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`))
        .expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((c) => String(c.participantId)));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['201', '202', '203', '204', '205']);
    const bad = await api().get(conversationsOf(a, '?cursor=garbage')).expect(400);
    expect(bad.body.fields).toHaveProperty('cursor');
    await api().get(conversationsOf(a, '?limit=0')).expect(400);
    await api().get(conversationsOf(a, '?limit=201')).expect(400);
  });

  it('pauses for some minutes or until resumed, and resumes, answering the conversation as the list shows it', async () => {
    await deliver(a, '1001', 'm1', 'hi', Date.now());
    await t.dataSource.query('UPDATE contacts SET username = ?, name = ? WHERE igsid = ?', ['ana.b', 'Ana B', '1001']);
    const [conversation] = (await api().get(conversationsOf(a)).expect(200)).body.items as Row[];
    const base = conversationsOf(a, `/${conversation.id}`);
    const listed = async () => ((await api().get(conversationsOf(a)).expect(200)).body.items as Row[])[0];
    const before = Date.now();
    const timed = await api().post(`${base}/pause`, { minutes: 15 }).expect(200);
    const until = new Date(timed.body.automationPausedUntil).getTime();
    expect(until).toBeGreaterThanOrEqual(before + 15 * 60_000 - 1000);
    expect(until).toBeLessThanOrEqual(Date.now() + 15 * 60_000 + 1000);
    expect(timed.body).toEqual(await listed());
    expect(timed.body).toMatchObject({
      participantUsername: 'ana.b',
      participantName: 'Ana B',
      automationPausedIndefinitely: false,
    });

    // A pause without an end is no far-future date.
    const open = await api().post(`${base}/pause`).expect(200);
    expect(open.body).toMatchObject({ automationPausedUntil: null, automationPausedIndefinitely: true });
    expect(open.body).toEqual(await listed());

    const resumed = await api().post(`${base}/resume`).expect(200);
    expect(resumed.body).toMatchObject({
      participantUsername: 'ana.b',
      automationPausedUntil: null,
      automationPausedIndefinitely: false,
    });
    expect(resumed.body).toEqual(await listed());
    const invalid = await api().post(`${base}/pause`, { minutes: -5 }).expect(400);
    expect(invalid.body.fields).toHaveProperty('minutes');
    await api().post(`${base}/pause`, { minutes: null }).expect(400);
  });

  it('shows the history in Meta’s timestamp order, page by page', async () => {
    const now = Date.now();
    for (const [mid, text, offset] of [
      ['m3', 'third', 3],
      ['m1', 'first', 1],
      ['m2', 'second', 2],
    ] as const) {
      await deliver(a, '1001', mid, text, now - 10_000 + offset * 1000);
    }
    const [conversation] = (await api().get(conversationsOf(a)).expect(200)).body.items as Row[];
    const history = conversationsOf(a, `/${conversation.id}/messages`);
    const first = await api().get(`${history}?limit=2`).expect(200);
    expect(first.body.items.map((m: Row) => m.text)).toEqual(['first', 'second']);
    expect(first.body.items[0]).toMatchObject({
      direction: 'inbound',
      type: 'text',
      mid: 'm1',
      conversationId: conversation.id,
    });
    const second = await api().get(`${history}?limit=2&cursor=${first.body.nextCursor}`).expect(200);
    expect(second.body).toMatchObject({ items: [{ text: 'third' }], nextCursor: null });
  });

  it('answers 404 for a conversation of another account', async () => {
    await deliver(b, '1001', 'm1', 'hi', Date.now());
    const [ofB] = (await api().get(conversationsOf(b)).expect(200)).body.items as Row[];
    await api()
      .post(conversationsOf(a, `/${ofB.id}/pause`), {})
      .expect(404);
    await api()
      .post(conversationsOf(a, `/${ofB.id}/resume`))
      .expect(404);
    expect((await api().get(conversationsOf(a)).expect(200)).body.items).toEqual([]);
    await api().get('/accounts/0190a5d2-0000-7000-8000-000000000000/conversations').expect(404);
  });
});
