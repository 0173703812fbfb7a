import { createTestAccount, type TestAccount } from '../support/accounts';
import { adminClient } from '../support/admin-client';
import { eventually } from '../support/eventually';
import { newIgsid, newIgUserId } from '../support/factories';
import { FakeGraphApi, type RecordedRequest } from '../support/fake-graph-api';
import { fastMessaging } from '../support/fast-messaging';
import { commentChange, customerMessage, echoOf, postbackTap, quickReplyTap } from '../support/instagram-events';
import { outboundMessagesTo } from '../support/outbound-messages';
import { startTestApp, type TestApp } from '../support/test-app';
import { postToAccountRoute } from '../support/webhook-sender';

interface SendBody {
  recipient: { id?: string; comment_id?: string };
  message: { text?: string };
}

type Row = Record<string, unknown>;

/** Private replies may wait for this many of an account's private replies per hour; Meta's 750, made small. */
const BUDGET = 3;
const DAY_SECONDS = 24 * 60 * 60;

describe('comment-to-DM: comment rules, private and public replies, postback rules', () => {
  let fake: FakeGraphApi;
  let t: TestApp;
  const admin = () => adminClient(t);
  const sendPath = () => fake.path('/me/messages');
  let nextComment = 0;
  const newCommentId = () => `1800000000${String(Date.now() % 10_000_000).padStart(7, '0')}${nextComment++}`;

  const privateRepliesTo = (commentId: string): RecordedRequest[] =>
    fake.requestsTo('POST', sendPath()).filter((r) => (r.body as SendBody).recipient.comment_id === commentId);
  const publicRepliesTo = (commentId: string): RecordedRequest[] =>
    fake.requestsTo('POST', fake.path(`/${commentId}/replies`));
  const sendsTo = (customer: string): RecordedRequest[] =>
    fake.requestsTo('POST', sendPath()).filter((r) => (r.body as SendBody).recipient.id === customer);

  const deliver = (account: TestAccount, body: string) =>
    postToAccountRoute(t.app.getHttpServer(), account, body).expect(200);

  /** As Meta delivers: a delivery refused with 503 (the intake is overloaded) is sent again a moment later. */
  const redeliverUntilStored = async (account: TestAccount, body: string) => {
    for (let attempt = 1; ; attempt++) {
      const res = await postToAccountRoute(t.app.getHttpServer(), account, body);
      if (res.status !== 503 || attempt === 10) return expect(res.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  const comment = (
    account: TestAccount,
    fields: {
      from: string;
      text: string;
      commentId: string;
      mediaId?: string;
      timeSeconds?: number;
      field?: 'comments' | 'live_comments';
    },
  ) => commentChange({ igUserId: account.account.igUserId, mediaId: '18000000000001901', ...fields });

  const rule = (account: TestAccount, fields: Record<string, unknown>) =>
    admin()
      .post(`/accounts/${account.account.id}/rules`, {
        name: 'guide',
        trigger: 'comment',
        matchType: 'word',
        keywords: ['guide'],
        responseText: 'Here is your guide: https://example.com/guide',
        ...fields,
      })
      .expect(201);

  /** Waits for background sends to settle, so that "nothing (more) was sent" is asserted after the outbox had its chance. */
  const settle = async (account: TestAccount) => {
    await eventually(
      async () =>
        (await t.dataSource.query(
          "SELECT COUNT(*) AS n FROM messages WHERE account_id = ? AND direction = 'outbound' AND status IN ('sending') ",
          [account.account.id],
        )) as Row[],
      (rows) => Number(rows[0].n) === 0,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
  };

  beforeAll(async () => {
    fake = await FakeGraphApi.start();
    t = await startTestApp(
      { GRAPH_API_BASE_URL: fake.baseUrl },
      undefined,
      fastMessaging({ outbox: { privateRepliesPerHour: BUDGET } }),
    );
  });

  afterEach(() => fake.reset());

  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  const newAccount = (fields: { fallbackResponse?: string } = {}) =>
    createTestAccount(t.app, { igUserId: newIgUserId(), ...fields });

  it('answers 20 concurrent copies of one comment with one private reply, kept in the commenter’s conversation and marked delivered by its echo', async () => {
    const shop = await newAccount({ fallbackResponse: 'Thanks for your message!' });
    const created = await rule(shop, {});
    const commenter = newIgsid();
    const commentId = newCommentId();
    const body = comment(shop, { from: commenter, text: 'GUIDE please', commentId });

    await Promise.all(Array.from({ length: 20 }, () => redeliverUntilStored(shop, body)));

    const [send] = await eventually(
      () => privateRepliesTo(commentId),
      (sends) => sends.length >= 1,
    );
    expect(send.body).toEqual({
      recipient: { comment_id: commentId },
      message: { text: 'Here is your guide: https://example.com/guide' },
    });
    await settle(shop);
    expect(privateRepliesTo(commentId)).toHaveLength(1);
    expect(sendsTo(commenter)).toHaveLength(0);

    const [reply] = await eventually(
      () => outboundMessagesTo(t.app, shop, commenter),
      (ms) => ms.length === 1 && ms[0].status === 'sent',
    );
    const conversations = await admin().get(`/accounts/${shop.account.id}/conversations`).expect(200);
    const conversation = conversations.body.items.find((c: Row) => c.participantId === commenter) as Row;
    // A private reply does not open the 24-hour window: only the person's own message does.
    expect(conversation.windowOpen).toBe(false);
    const history = await admin()
      .get(`/accounts/${shop.account.id}/conversations/${conversation.id as string}/messages`)
      .expect(200);
    expect(history.body.items).toEqual([
      expect.objectContaining({
        direction: 'inbound',
        type: 'comment',
        text: 'GUIDE please',
        commentId,
        mediaId: '18000000000001901',
      }),
      expect.objectContaining({
        direction: 'outbound',
        type: 'text',
        origin: 'rule',
        ruleId: created.body.id,
        commentId,
        status: 'sent',
      }),
    ]);

    const sentMid = reply.mid!;
    await deliver(
      shop,
      echoOf({ igUserId: shop.account.igUserId, customer: commenter, text: reply.text ?? '', mid: sentMid }),
    );
    await eventually(
      () => outboundMessagesTo(t.app, shop, commenter),
      (ms) => ms.length === 1 && ms[0].status === 'delivered',
    );
    await admin()
      .post(`/accounts/${shop.account.id}/messages`, { recipientId: commenter, text: 'Anything else?' })
      .expect(422);

    // The person's answer opens the window, as any message does.
    await deliver(shop, customerMessage({ igUserId: shop.account.igUserId, customer: commenter, text: 'thanks!' }));
    await eventually(
      () => sendsTo(commenter),
      (sends) => sends.length === 1,
    );
    expect((sendsTo(commenter)[0].body as SendBody).message.text).toBe('Thanks for your message!');
  });

  it('never answers the account’s own comment, a comment older than 7 days, or one that no rule matches', async () => {
    const shop = await newAccount();
    await rule(shop, {});
    const own = newCommentId();
    const old = newCommentId();
    const unmatched = newCommentId();
    const now = Math.floor(Date.now() / 1000);
    await deliver(shop, comment(shop, { from: shop.account.igUserId, text: 'guide below', commentId: own }));
    await deliver(
      shop,
      comment(shop, { from: newIgsid(), text: 'guide?', commentId: old, timeSeconds: now - 8 * DAY_SECONDS }),
    );
    await deliver(shop, comment(shop, { from: newIgsid(), text: 'nice photo', commentId: unmatched }));
    await settle(shop);
    expect(fake.requestsTo('POST', sendPath())).toHaveLength(0);
    const stored = (await t.dataSource.query(
      "SELECT comment_id FROM messages WHERE account_id = ? AND type = 'comment' ORDER BY comment_id",
      [shop.account.id],
    )) as Row[];
    expect(stored.map((r) => r.comment_id).sort()).toEqual([old, unmatched].sort());
  });

  it('holds back private replies to a commenter whose conversation has automation paused', async () => {
    const shop = await newAccount();
    await rule(shop, {});
    const commenter = newIgsid();
    const first = newCommentId();
    await deliver(shop, comment(shop, { from: commenter, text: 'guide', commentId: first }));
    await eventually(
      () => privateRepliesTo(first),
      (sends) => sends.length === 1,
    );
    const conversations = await admin().get(`/accounts/${shop.account.id}/conversations`).expect(200);
    const conversation = conversations.body.items.find((c: Row) => c.participantId === commenter) as Row;
    await admin()
      .post(`/accounts/${shop.account.id}/conversations/${conversation.id as string}/pause`, {})
      .expect(200);
    const second = newCommentId();
    await deliver(shop, comment(shop, { from: commenter, text: 'guide again', commentId: second }));
    await settle(shop);
    expect(privateRepliesTo(second)).toHaveLength(0);
  });

  it('answers only comments on the media a rule names, and live comments too', async () => {
    const shop = await newAccount();
    await rule(shop, { mediaIds: ['18000000000007777'] });
    const onOtherPost = newCommentId();
    const onThePost = newCommentId();
    const onTheLive = newCommentId();
    await deliver(shop, comment(shop, { from: newIgsid(), text: 'guide', commentId: onOtherPost }));
    await deliver(
      shop,
      comment(shop, { from: newIgsid(), text: 'guide', commentId: onThePost, mediaId: '18000000000007777' }),
    );
    await deliver(
      shop,
      comment(shop, {
        from: newIgsid(),
        text: 'guide',
        commentId: onTheLive,
        mediaId: '18000000000007777',
        field: 'live_comments',
      }),
    );
    await eventually(
      () => [...privateRepliesTo(onThePost), ...privateRepliesTo(onTheLive)],
      (sends) => sends.length === 2,
    );
    await settle(shop);
    expect(privateRepliesTo(onOtherPost)).toHaveLength(0);
  });

  it('posts the public reply once under the comment, beside the private reply', async () => {
    const shop = await newAccount();
    await rule(shop, { publicReplyText: 'Sent you a DM!' });
    const commentId = newCommentId();
    const body = comment(shop, { from: newIgsid(), text: 'guide', commentId });
    await Promise.all(Array.from({ length: 5 }, () => redeliverUntilStored(shop, body)));
    await eventually(
      () => publicRepliesTo(commentId),
      (replies) => replies.length === 1,
    );
    await deliver(shop, body);
    await settle(shop);
    expect(publicRepliesTo(commentId)).toHaveLength(1);
    expect(publicRepliesTo(commentId)[0].query).toEqual({ message: 'Sent you a DM!' });
    expect(privateRepliesTo(commentId)).toHaveLength(1);

    // Meta then tells of the account's own comment: the reply's echo, never answered, never unroutable.
    const [posted] = (await t.dataSource.query(
      "SELECT mid, status FROM messages WHERE account_id = ? AND direction = 'outbound' AND type = 'comment'",
      [shop.account.id],
    )) as Row[];
    expect(posted.status).toBe('sent');
    const echo = commentChange({
      igUserId: shop.account.igUserId,
      from: shop.account.igUserId,
      text: 'Sent you a DM!',
      commentId: posted.mid as string,
      mediaId: '18000000000001901',
      parentId: commentId,
    });
    await deliver(shop, echo);
    const [after] = (await t.dataSource.query(
      "SELECT status FROM messages WHERE account_id = ? AND direction = 'outbound' AND type = 'comment'",
      [shop.account.id],
    )) as Row[];
    expect(after.status).toBe('delivered');
    const unroutable = (await t.dataSource.query('SELECT COUNT(*) AS n FROM unroutable_events WHERE account_id = ?', [
      shop.account.id,
    ])) as Row[];
    expect(Number(unroutable[0].n)).toBe(0);
    await settle(shop);
    expect(publicRepliesTo(posted.mid as string)).toHaveLength(0);
    expect(privateRepliesTo(posted.mid as string)).toHaveLength(0);
  });

  it('keeps private replies over the hourly budget waiting in the outbox rather than dropping them', async () => {
    const shop = await newAccount();
    await rule(shop, {});
    const comments = Array.from({ length: BUDGET + 1 }, () => newCommentId());
    for (const commentId of comments) {
      await deliver(shop, comment(shop, { from: newIgsid(), text: 'guide', commentId }));
    }
    await eventually(
      () => comments.flatMap((id) => privateRepliesTo(id)),
      (sends) => sends.length === BUDGET,
    );
    await settle(shop);
    expect(comments.flatMap((id) => privateRepliesTo(id))).toHaveLength(BUDGET);
    const waiting = (await t.dataSource.query(
      "SELECT status, last_error FROM messages WHERE account_id = ? AND direction = 'outbound' AND status <> 'sent'",
      [shop.account.id],
    )) as Row[];
    expect(waiting).toHaveLength(1);
    expect(waiting[0].status).toBe('queued');
    expect(waiting[0].last_error).toContain(`its ${BUDGET} private replies of the hour`);
  });

  it('answers a postback or quick-reply payload with a postback rule before any message rule', async () => {
    const shop = await newAccount({ fallbackResponse: 'Fallback' });
    const api = `/accounts/${shop.account.id}/rules`;
    await admin()
      .post(api, { name: 'words', matchType: 'contains', keywords: ['human', 'hours'], responseText: 'Message rule' })
      .expect(201);
    await admin()
      .post(api, {
        name: 'buttons',
        trigger: 'postback',
        matchType: 'exact',
        keywords: ['TALK_TO_HUMAN', 'HOURS'],
        responseText: 'Postback rule',
      })
      .expect(201);
    const tapper = newIgsid();
    const quick = newIgsid();
    const other = newIgsid();
    await deliver(
      shop,
      postbackTap({
        igUserId: shop.account.igUserId,
        customer: tapper,
        title: 'Talk to a human',
        payload: 'TALK_TO_HUMAN',
      }),
    );
    await deliver(
      shop,
      quickReplyTap({ igUserId: shop.account.igUserId, customer: quick, text: 'Opening hours', payload: 'HOURS' }),
    );
    // A payload no postback rule names: the message rules answer its title, as before.
    await deliver(
      shop,
      quickReplyTap({ igUserId: shop.account.igUserId, customer: other, text: 'Opening hours', payload: 'hours' }),
    );
    const text = (customer: string) => (sendsTo(customer)[0]?.body as SendBody | undefined)?.message.text;
    await eventually(
      () => [text(tapper), text(quick), text(other)],
      (texts) => texts.every((t) => t !== undefined),
    );
    expect([text(tapper), text(quick), text(other)]).toEqual(['Postback rule', 'Postback rule', 'Message rule']);
  });

  it('answers one account’s comments only with that account’s rules', async () => {
    const a = await newAccount();
    const b = await newAccount();
    await rule(b, {});
    const commentId = newCommentId();
    await deliver(a, comment(a, { from: newIgsid(), text: 'guide', commentId }));
    await settle(a);
    expect(privateRepliesTo(commentId)).toHaveLength(0);
    // A's entry on B's route is kept apart, never answered with B's rules.
    await deliver(b, comment(a, { from: newIgsid(), text: 'guide', commentId: newCommentId() }));
    await settle(b);
    expect(fake.requestsTo('POST', sendPath())).toHaveLength(0);
  });

  describe('rules API', () => {
    it('stores the trigger, media filter and public reply, lists by trigger, and tries each trigger in rules/test', async () => {
      const shop = await newAccount();
      const api = `/accounts/${shop.account.id}/rules`;
      const message = await admin()
        .post(api, { name: 'dm', matchType: 'word', keywords: ['guide'], responseText: 'DM rule' })
        .expect(201);
      expect(message.body).toMatchObject({ trigger: 'message', mediaIds: null, publicReplyText: null });
      const commentRule = await rule(shop, { mediaIds: ['18000000000007777'], publicReplyText: 'Check your DMs' });
      expect(commentRule.body).toMatchObject({ trigger: 'comment', mediaIds: ['18000000000007777'] });
      await admin()
        .post(api, {
          name: 'pb',
          trigger: 'postback',
          matchType: 'exact',
          keywords: ['GUIDE'],
          responseText: 'PB rule',
        })
        .expect(201);

      const onlyComments = await admin().get(`${api}?trigger=comment`).expect(200);
      expect(onlyComments.body.items.map((r: Row) => r.id)).toEqual([commentRule.body.id]);
      await admin().get(`${api}?trigger=story`).expect(400);

      const tried = async (body: Record<string, unknown>) =>
        (await admin().post(`${api}/test`, body).expect(200)).body as Row;
      expect(await tried({ text: 'guide' })).toMatchObject({ matched: true, responseText: 'DM rule' });
      expect(await tried({ trigger: 'comment', text: 'guide', mediaId: '18000000000007777' })).toMatchObject({
        matched: true,
        responseText: 'Here is your guide: https://example.com/guide',
        publicReplyText: 'Check your DMs',
      });
      expect(await tried({ trigger: 'comment', text: 'guide', mediaId: '18000000000000001' })).toMatchObject({
        matched: false,
        source: 'none',
      });
      expect(await tried({ trigger: 'postback', payload: 'GUIDE' })).toMatchObject({
        matched: true,
        responseText: 'PB rule',
      });
      expect(await tried({ trigger: 'postback', payload: 'guide' })).toMatchObject({ matched: false });
      const missing = await admin().post(`${api}/test`, { trigger: 'postback' }).expect(400);
      expect(JSON.stringify(missing.body.message)).toContain('payload');
    });

    it('refuses a media filter or public reply on a rule that is not a comment rule, and a bad media id', async () => {
      const shop = await newAccount();
      const api = `/accounts/${shop.account.id}/rules`;
      const base = { name: 'dm', matchType: 'word', keywords: ['guide'], responseText: 'DM rule' };
      const refused = await admin()
        .post(api, { ...base, mediaIds: ['18000000000007777'] })
        .expect(400);
      expect(JSON.stringify(refused.body.message)).toContain('mediaIds');
      const badId = await admin()
        .post(api, { ...base, trigger: 'comment', mediaIds: ['../me'] })
        .expect(400);
      expect(JSON.stringify(badId.body.message)).toContain('media id');
      const created = await admin().post(api, base).expect(201);
      const update = await admin()
        .put(`${api}/${created.body.id as string}`, { publicReplyText: 'hi' })
        .expect(400);
      expect(JSON.stringify(update.body.message)).toContain('publicReplyText');
      expect((await admin().get(api).expect(200)).body.items).toHaveLength(1);
    });
  });

  describe('subscription', () => {
    it('subscribes every field the service handles, or the fields given', async () => {
      const shop = await newAccount();
      const all = await admin().post(`/accounts/${shop.account.id}/subscribe`).expect(200);
      const expected = [
        'messages',
        'messaging_postbacks',
        'messaging_seen',
        'message_reactions',
        'messaging_referral',
        'message_edit',
        'comments',
        'live_comments',
      ];
      expect(all.body).toEqual({ subscribed: true, fields: expected });
      expect(fake.requestsTo('POST', fake.path('/me/subscribed_apps'))[0].query.subscribed_fields).toBe(
        expected.join(','),
      );
      const some = await admin()
        .post(`/accounts/${shop.account.id}/subscribe`, { fields: ['messages', 'comments'] })
        .expect(200);
      expect(some.body.fields).toEqual(['messages', 'comments']);
      await admin()
        .post(`/accounts/${shop.account.id}/subscribe`, { fields: ['Not A Field'] })
        .expect(400);
    });

    it('names the missing permission when Meta refuses the comment fields', async () => {
      const shop = await newAccount();
      fake.respond('POST', fake.path('/me/subscribed_apps'), {
        status: 400,
        body: { error: { message: '(#200) Requires permission', type: 'OAuthException', code: 200, fbtrace_id: 'x' } },
      });
      const refused = await admin().post(`/accounts/${shop.account.id}/subscribe`).expect(422);
      expect(refused.body.message).toContain('instagram_business_manage_comments');
    });
  });
});
