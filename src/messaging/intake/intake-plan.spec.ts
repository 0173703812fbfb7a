import type { InstagramBusinessAccount } from '@accounts/account';
import { parseWebhookPayload } from '@webhooks/parsing/parse-webhook-payload';
import { planIntakeBatch } from './intake-plan';
import type { RoutedEntry, VerifiedDelivery } from './verified-delivery';

const account = (id: string, igUserId: string) => ({ id, igUserId }) as InstagramBusinessAccount;
const A = account('acc-a', '17841400000000001');
const B = account('acc-b', '17841400000000002');

const item = (sender: string, recipient: string, message: Record<string, unknown>, timestamp = 1780000000000) => ({
  sender: { id: sender },
  recipient: { id: recipient },
  timestamp,
  message,
});

/** A delivery of these entries, each routed to the account whose igUserId it names (or kept as unroutable). */
function delivery(
  entries: Array<{ id: string; messaging?: unknown[]; changes?: unknown[] }>,
  time = 1780000000500,
): VerifiedDelivery {
  const body = JSON.stringify({ object: 'instagram', entry: entries.map((e) => ({ ...e, time })) });
  const routed = parseWebhookPayload(JSON.parse(body)).entries.map((entry): RoutedEntry => {
    const owner = [A, B].find((a) => a.igUserId === entry.entryId);
    return owner ? { entry, account: owner } : { entry, account: null, reason: 'unknown_account' };
  });
  return {
    routeAccountId: null,
    rawBody: Buffer.from(body),
    signature: 'sha256=x',
    entries: routed,
    requestId: null,
    arrivedAt: 0,
  };
}

const plan = (deliveries: VerifiedDelivery[]) => {
  let n = 0;
  return planIntakeBatch(deliveries, { now: new Date(0), newId: () => `id-${(n += 1)}` });
};

describe('planIntakeBatch', () => {
  it('inserts a mid once however many deliveries of the batch carry it, and tells each delivery which was first', () => {
    const copy = (time: number) =>
      delivery([{ id: A.igUserId, messaging: [item('111', A.igUserId, { mid: 'm1', text: 'hi' })] }], time);
    const batch = plan([copy(1), copy(2), copy(3)]);
    expect(batch.inbound).toHaveLength(1);
    expect(batch.shares.map((s) => s.inbound.map((i) => i.first))).toEqual([[true], [false], [false]]);
    expect(new Set(batch.shares.map((s) => s.inbound[0].rowId)).size).toBe(1);
    expect(batch.deliveries).toHaveLength(3);
  });

  it('keeps a mention once per account and comment, or per media for a caption, in no conversation', () => {
    const mention = (value: Record<string, unknown>) => ({ field: 'mentions', value });
    const inComment = mention({ media_id: '18000000000001911', comment_id: '18000000000001912' });
    const inCaption = mention({ media_id: '18000000000001911' });
    const batch = plan([
      delivery([{ id: A.igUserId, changes: [inComment, inCaption] }]),
      delivery([
        { id: A.igUserId, changes: [inComment] },
        { id: B.igUserId, changes: [inComment] },
      ]),
    ]);
    expect(batch.mentions).toEqual([
      expect.objectContaining({
        accountId: A.id,
        mentionKey: 'comment:18000000000001912',
        commentId: '18000000000001912',
      }),
      expect.objectContaining({ accountId: A.id, mentionKey: 'media:18000000000001911', commentId: null }),
      expect.objectContaining({ accountId: B.id, mentionKey: 'comment:18000000000001912' }),
    ]);
    expect(batch.shares.map((s) => s.mentions.map((m) => m.first))).toEqual([
      [true, true],
      [false, true],
    ]);
    expect(batch.conversations).toEqual([]);
    expect(batch.unroutable).toEqual([]);
  });

  it('marks a comment someone made as one comment rules may answer, but not one recovered later', () => {
    const comment = (from: string, id: string) => ({
      field: 'comments',
      value: { from: { id: from, username: 'someone' }, media: { id: '18000000000001901' }, id, text: 'guide' },
    });
    const live = delivery([{ id: A.igUserId, changes: [comment('111', 'c1')] }]);
    const replayed: VerifiedDelivery = {
      ...delivery([{ id: A.igUserId, changes: [comment('111', 'c2')] }]),
      source: 'replay',
    };
    const batch = plan([live, replayed]);
    expect(batch.rare.map((r) => [r.source, r.replyCandidate])).toEqual([
      ['webhook', true],
      ['replay', false],
    ]);
  });

  it('keeps one raw delivery for bytes that came twice', () => {
    const same = delivery([{ id: A.igUserId, messaging: [item('111', A.igUserId, { mid: 'm1', text: 'hi' })] }]);
    expect(plan([same, same]).deliveries).toHaveLength(1);
  });

  it('sorts each table’s rows by their unique key, so replicas lock in the same order', () => {
    const batch = plan([
      delivery([
        { id: B.igUserId, messaging: [item('333', B.igUserId, { mid: 'mz', text: 'z' })] },
        { id: A.igUserId, messaging: [item('222', A.igUserId, { mid: 'mb', text: 'b' })] },
        { id: A.igUserId, messaging: [item('111', A.igUserId, { mid: 'ma', text: 'a' })] },
      ]),
    ]);
    expect(batch.inbound.map((r) => [r.accountId, r.mid])).toEqual([
      ['acc-a', 'ma'],
      ['acc-a', 'mb'],
      ['acc-b', 'mz'],
    ]);
    expect(batch.conversations.map((c) => [c.accountId, c.participantId])).toEqual([
      ['acc-a', '111'],
      ['acc-a', '222'],
      ['acc-b', '333'],
    ]);
  });

  it('moves a conversation to the latest activity of the batch', () => {
    const batch = plan([
      delivery([
        {
          id: A.igUserId,
          messaging: [
            item('111', A.igUserId, { mid: 'm2', text: 'later' }, 1780000002000),
            item('111', A.igUserId, { mid: 'm1', text: 'earlier' }, 1780000001000),
          ],
        },
      ]),
    ]);
    expect(batch.conversations).toHaveLength(1);
    expect(batch.conversations[0].lastActivityAt).toEqual(new Date(1780000002000));
  });

  it('sends echoes and other events that change rows down the per-event path, and only customer messages and postbacks to the batch’s rows', () => {
    const batch = plan([
      delivery([
        {
          id: A.igUserId,
          messaging: [
            item(A.igUserId, '111', { mid: 'echo', text: 'from the app', is_echo: true }),
            item('111', A.igUserId, { mid: 'm1', text: 'hello' }),
            {
              sender: { id: '111' },
              recipient: { id: A.igUserId },
              timestamp: 1,
              postback: { payload: 'P', title: 'T' },
            },
            { sender: { id: '111' }, recipient: { id: A.igUserId }, timestamp: 1, read: { mid: 'm1' } },
          ],
        },
      ]),
    ]);
    expect(batch.inbound.map((r) => r.type).sort()).toEqual(['postback', 'text']);
    expect(batch.rare.map((r) => r.event.kind)).toEqual(['message', 'seen']);
    expect(batch.inbound.find((r) => r.type === 'postback')?.replyCandidate).toBe(true);
  });

  it('keeps an entry for an unknown account, and an event that names no customer, as unroutable items', () => {
    const batch = plan([
      delivery([
        { id: '17849999999999999', messaging: [item('111', '17849999999999999', { mid: 'x', text: 'x' })] },
        { id: A.igUserId, messaging: [item('555', '666', { mid: 'y', text: 'not to us' })] },
      ]),
    ]);
    expect(batch.unroutable.map((u) => [u.reason, u.itemKey])).toEqual([
      ['unknown_account', '0'],
      ['no_participant', '1.0'],
    ]);
    expect(batch.shares[0].unroutable).toBe(2);
    expect(batch.inbound).toEqual([]);
  });
});
