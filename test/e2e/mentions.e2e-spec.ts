import { createTestAccount, type TestAccount } from '../support/accounts';
import { adminClient } from '../support/admin-client';
import { newIgUserId } from '../support/factories';
import { mentionChange } from '../support/instagram-events';
import { startTestApp, type TestApp } from '../support/test-app';
import { postToAccountRoute } from '../support/webhook-sender';

type Row = Record<string, unknown>;

describe('mentions: where an account was @mentioned, kept once and listed per account', () => {
  let t: TestApp;
  let a: TestAccount;
  let b: TestAccount;
  let nextId = 0;
  const newMediaId = () => `1790000000${String(Date.now() % 10_000_000).padStart(7, '0')}${nextId++}`;
  const admin = () => adminClient(t);

  const deliver = (account: TestAccount, body: string) =>
    postToAccountRoute(t.app.getHttpServer(), account, body).expect(200);
  const rows = async (sql: string, parameters: unknown[] = []) => (await t.dataSource.query(sql, parameters)) as Row[];
  const mentionsOf = async (account: TestAccount, query = '') => {
    const res = await admin().get(`/accounts/${account.account.id}/mentions${query}`).expect(200);
    return res.body as { items: Array<Record<string, unknown>>; nextCursor: string | null };
  };

  beforeAll(async () => {
    t = await startTestApp();
    a = await createTestAccount(t.app, { igUserId: newIgUserId(), fallbackResponse: 'Thanks for writing!' });
    b = await createTestAccount(t.app, { igUserId: newIgUserId() });
  });

  afterAll(() => t.close());

  it('lists a mention in a comment and one in a caption, newest first, in no conversation and unanswered', async () => {
    const media = newMediaId();
    const comment = newMediaId();
    const conversationsBefore = await rows('SELECT id FROM conversations WHERE account_id = ?', [a.account.id]);
    await deliver(a, mentionChange({ igUserId: a.account.igUserId, mediaId: media, commentId: comment }));
    await deliver(a, mentionChange({ igUserId: a.account.igUserId, mediaId: media, timeSeconds: 1780000002 }));

    const { items } = await mentionsOf(a, `?mediaId=${media}`);
    expect(items).toEqual([
      expect.objectContaining({
        type: 'mention',
        mediaId: media,
        commentId: null,
        timestamp: new Date(1780000002000).toISOString(),
        source: 'webhook',
      }),
      expect.objectContaining({ type: 'mention', mediaId: media, commentId: comment, source: 'webhook' }),
    ]);
    expect(await rows('SELECT id FROM conversations WHERE account_id = ?', [a.account.id])).toEqual(
      conversationsBefore,
    );
    expect(await rows('SELECT id FROM unroutable_events WHERE account_id = ?', [a.account.id])).toEqual([]);
    // Nobody to answer: the fallback of a message is never queued for a mention.
    expect(
      await rows("SELECT id FROM messages WHERE account_id = ? AND direction = 'outbound'", [a.account.id]),
    ).toEqual([]);
  });

  it('keeps a mention once however often, and however concurrently, Meta delivers it', async () => {
    const media = newMediaId();
    const comment = newMediaId();
    // Different bodies (entry times) of the same mention, as Meta's retries can be.
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        deliver(
          a,
          mentionChange({
            igUserId: a.account.igUserId,
            mediaId: media,
            commentId: comment,
            timeSeconds: 1780000100 + i,
          }),
        ),
      ),
    );
    await deliver(a, mentionChange({ igUserId: a.account.igUserId, mediaId: media, commentId: comment }));
    expect((await mentionsOf(a, `?mediaId=${media}`)).items).toHaveLength(1);
    expect(
      await rows('SELECT id FROM mentions WHERE account_id = ? AND media_id = ?', [a.account.id, media]),
    ).toHaveLength(1);
  });

  it('keeps each account’s mentions to itself, even of the same comment', async () => {
    const media = newMediaId();
    const comment = newMediaId();
    await deliver(a, mentionChange({ igUserId: a.account.igUserId, mediaId: media, commentId: comment }));
    await deliver(b, mentionChange({ igUserId: b.account.igUserId, mediaId: media, commentId: comment }));
    const [ofA, ofB] = [(await mentionsOf(a, `?mediaId=${media}`)).items, (await mentionsOf(b)).items];
    expect(ofA).toHaveLength(1);
    expect(ofB).toEqual([expect.objectContaining({ mediaId: media, commentId: comment })]);
    expect(ofA[0].id).not.toBe(ofB[0].id);
  });

  it('pages with limit and cursor, and answers 404 for an account that does not exist', async () => {
    const media = newMediaId();
    for (const comment of [newMediaId(), newMediaId(), newMediaId()]) {
      await deliver(a, mentionChange({ igUserId: a.account.igUserId, mediaId: media, commentId: comment }));
    }
    const first = await mentionsOf(a, `?mediaId=${media}&limit=2`);
    expect(first.items).toHaveLength(2);
    const second = await mentionsOf(a, `?mediaId=${media}&limit=2&cursor=${first.nextCursor}`);
    expect(second).toEqual({ items: [expect.objectContaining({ mediaId: media })], nextCursor: null });
    const all = [...first.items, ...second.items].map((item) => item.commentId);
    expect(new Set(all).size).toBe(3);

    const missing = await admin().get('/accounts/019ac4a2-0000-7000-8000-000000000000/mentions').expect(404);
    expect(missing.body).toMatchObject({ error: 'account_not_found' });
    await admin().get(`/accounts/${a.account.id}/mentions?limit=0`).expect(400);
  });
});
