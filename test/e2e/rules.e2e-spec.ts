import { MessageRepository } from '@messaging/message.repository';
import { ConversationRepository } from '@messaging/conversation.repository';
import { adminClient } from '../support/admin-client';
import { createTestAccount, type TestAccount } from '../support/accounts';
import { ACCOUNT_A_IG_USER_ID, ACCOUNT_B_IG_USER_ID, CUSTOMER_IGSID, fixtureBytes } from '../support/meta-fixtures';
import { customerMessage } from '../support/instagram-events';
import { startTestApp, type TestApp } from '../support/test-app';
import { postWebhook } from '../support/webhook-sender';

type Row = Record<string, unknown>;

describe('response rules', () => {
  let t: TestApp;
  let a: TestAccount;
  let b: TestAccount;
  const api = () => adminClient(t);
  const rulesOf = (account: TestAccount) => `/accounts/${account.account.id}/rules`;
  const shippingRule = {
    name: 'Shipping',
    matchType: 'word',
    keywords: ['ship', 'shipping'],
    responseText: 'Hi {{name}}! We ship worldwide.',
  };
  const repliesTo = async (accountId: string) =>
    (await t.dataSource.query(
      'SELECT text, rule_id, origin, reply_to_message_id, part_index FROM messages WHERE account_id = ? AND direction = ? AND reply_to_message_id IS NOT NULL ORDER BY part_index',
      [accountId, 'outbound'],
    )) as Row[];
  const deliver = (account: TestAccount, mid: string, text: string) =>
    postWebhook(
      t.app.getHttpServer(),
      `/webhooks/instagram/${account.account.id}`,
      customerMessage({ igUserId: account.account.igUserId, customer: CUSTOMER_IGSID, text, mid }),
      account.credentials.appSecret,
    ).expect(200);

  beforeEach(async () => {
    t = await startTestApp();
    a = await createTestAccount(t.app, { igUserId: ACCOUNT_A_IG_USER_ID });
    b = await createTestAccount(t.app, { igUserId: ACCOUNT_B_IG_USER_ID });
  });

  afterEach(async () => {
    await t.close();
  });

  describe('admin API', () => {
    it('creates, lists, shows, updates and deletes a rule', async () => {
      const created = await api().post(rulesOf(a), shippingRule).expect(201);
      expect(created.body).toMatchObject({ ...shippingRule, priority: 0, isActive: true });
      const id = created.body.id as string;
      expect((await api().get(rulesOf(a)).expect(200)).body).toEqual({ items: [created.body], nextCursor: null });
      expect(
        (
          await api()
            .get(`${rulesOf(a)}/${id}`)
            .expect(200)
        ).body,
      ).toEqual(created.body);
      const updated = await api()
        .put(`${rulesOf(a)}/${id}`, { priority: 5, isActive: false })
        .expect(200);
      expect(updated.body).toMatchObject({ name: 'Shipping', priority: 5, isActive: false });
      await api()
        .delete(`${rulesOf(a)}/${id}`)
        .expect(204);
      await api()
        .get(`${rulesOf(a)}/${id}`)
        .expect(404);
    });

    it('pages through rules in the order they are tried', async () => {
      for (const priority of [1, 3, 2])
        await api()
          .post(rulesOf(a), { ...shippingRule, name: `p${priority}`, priority })
          .expect(201);
      const first = await api()
        .get(`${rulesOf(a)}?limit=2`)
        .expect(200);
      expect(first.body.items.map((r: Row) => r.name)).toEqual(['p3', 'p2']);
      const second = await api()
        .get(`${rulesOf(a)}?limit=2&cursor=${first.body.nextCursor}`)
        .expect(200);
      expect(second.body).toMatchObject({ items: [{ name: 'p1' }], nextCursor: null });
    });

    it.each([
      ['no keyword', { keywords: [] }, 'keywords'],
      ['an empty keyword', { keywords: ['ship', '  '] }, 'keywords'],
      ['a response over 1000 bytes', { responseText: 'é'.repeat(501) }, 'responseText'],
      ['an unknown match type', { matchType: 'regex' }, 'matchType'],
      ['a placeholder rules cannot fill', { responseText: 'Your order {{order}}' }, 'responseText'],
      ['a missing name', { name: undefined }, 'name'],
    ])('refuses %s with 400 naming the field, storing nothing', async (_case, change, field) => {
      const res = await api()
        .post(rulesOf(a), { ...shippingRule, ...change })
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'validation_failed' });
      expect(Object.keys(res.body.fields)).toContain(field);
      expect((await api().get(rulesOf(a)).expect(200)).body.items).toEqual([]);
    });

    it('keeps accounts apart: B’s rule ids are 404 under A, and an unknown account is 404', async () => {
      const ruleOfB = (await api().post(rulesOf(b), shippingRule).expect(201)).body.id as string;
      await api()
        .get(`${rulesOf(a)}/${ruleOfB}`)
        .expect(404);
      await api()
        .put(`${rulesOf(a)}/${ruleOfB}`, { priority: 9 })
        .expect(404);
      await api()
        .delete(`${rulesOf(a)}/${ruleOfB}`)
        .expect(404);
      expect(
        (
          await api()
            .get(`${rulesOf(b)}/${ruleOfB}`)
            .expect(200)
        ).body.priority,
      ).toBe(0);
      await api().get('/accounts/0190a5d2-0000-7000-8000-000000000000/rules').expect(404);
      await api()
        .get(`${rulesOf(a)}/not-an-id`)
        .expect(404);
    });

    it('needs the admin token', async () => {
      const res = await adminClient({ ...t, env: { ...t.env, ADMIN_API_TOKEN: 'x'.repeat(40) } }).get(rulesOf(a));
      expect(res.status).toBe(401);
    });
  });

  describe('rules/test', () => {
    const test = (account: TestAccount, text: string, extra: object = {}) =>
      api()
        .post(`${rulesOf(account)}/test`, { text, ...extra })
        .expect(200);

    it('names the rule, the rendered reply and the keyword that matched, without sending', async () => {
      const rule = (await api().post(rulesOf(a), shippingRule).expect(201)).body;
      const res = await test(a, 'Do you SHIP to Berlin?', { name: 'Ana' });
      expect(res.body).toEqual({
        matched: true,
        source: 'rule',
        ruleId: rule.id,
        ruleName: 'Shipping',
        responseText: 'Hi Ana! We ship worldwide.',
        templateName: null,
        reason: expect.stringContaining('"ship"'),
        publicReplyText: null,
      });
      expect(res.body.reason).toContain('whole word');
      expect(Number(((await t.dataSource.query('SELECT COUNT(*) AS n FROM messages')) as Row[])[0].n)).toBe(0);
    });

    it('matches whole words only, and tries rules by priority, then the older first', async () => {
      await api()
        .post(rulesOf(a), { ...shippingRule, name: 'hi', keywords: ['hi'], responseText: 'hello' })
        .expect(201);
      expect((await test(a, 'this is it')).body.matched).toBe(false);
      expect((await test(a, 'Hi!')).body.ruleName).toBe('hi');
      await api()
        .post(rulesOf(a), { ...shippingRule, name: 'hi too', keywords: ['hi'], responseText: 'hey' })
        .expect(201);
      expect((await test(a, 'hi')).body.ruleName).toBe('hi');
      await api()
        .post(rulesOf(a), { ...shippingRule, name: 'urgent', keywords: ['hi'], priority: 10 })
        .expect(201);
      expect((await test(a, 'hi')).body.ruleName).toBe('urgent');
    });

    it('skips inactive rules, then falls back to the account’s fallback response, else none', async () => {
      await api()
        .post(rulesOf(a), { ...shippingRule, isActive: false })
        .expect(201);
      expect((await test(a, 'ship')).body).toMatchObject({ matched: false, source: 'none', responseText: null });
      await api()
        .put(`/accounts/${a.account.id}`, { fallbackResponse: 'Thanks {{username}}, we will answer soon.' })
        .expect(200);
      expect((await test(a, 'ship', { username: 'ana.b' })).body).toMatchObject({
        matched: false,
        source: 'fallback',
        ruleId: null,
        responseText: 'Thanks ana.b, we will answer soon.',
      });
    });

    it('never answers with another account’s rule', async () => {
      await api().post(rulesOf(b), shippingRule).expect(201);
      expect((await test(a, 'ship')).body.matched).toBe(false);
      expect((await test(b, 'ship')).body.matched).toBe(true);
    });
  });

  describe('automatic replies', () => {
    it('queues exactly one reply with the rule’s text, once, even for 20 concurrent redeliveries', async () => {
      const rule = (await api().post(rulesOf(a), shippingRule).expect(201)).body;
      const body = customerMessage({
        igUserId: a.account.igUserId,
        customer: CUSTOMER_IGSID,
        text: 'Do you ship to Berlin?',
        mid: 'mid-ship-1',
      });
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          postWebhook(t.app.getHttpServer(), `/webhooks/instagram/${a.account.id}`, body, a.credentials.appSecret),
        ),
      );
      expect(answers.every((r) => r.status === 200)).toBe(true);
      const replies = await repliesTo(a.account.id);
      expect(replies).toHaveLength(1);
      // Queued as the rule writes it: the customer's name is filled in when it is sent.
      expect(replies[0]).toMatchObject({ text: 'Hi {{name}}! We ship worldwide.', rule_id: rule.id, origin: 'rule' });
      const [inbound] = (await t.dataSource.query('SELECT id FROM messages WHERE mid = ?', ['mid-ship-1'])) as Row[];
      expect(replies[0].reply_to_message_id).toBe(inbound.id);
    });

    it('answers with the fallback when no rule matches, and not at all without one', async () => {
      await deliver(a, 'mid-none', 'random question');
      expect(await repliesTo(a.account.id)).toEqual([]);
      await api().put(`/accounts/${a.account.id}`, { fallbackResponse: 'We will be right with you.' }).expect(200);
      await deliver(a, 'mid-fallback', 'another question');
      expect(await repliesTo(a.account.id)).toMatchObject([
        { text: 'We will be right with you.', origin: 'fallback', rule_id: null },
      ]);
    });

    it('never answers with another account’s rule', async () => {
      await api().post(rulesOf(b), shippingRule).expect(201);
      await deliver(a, 'mid-a', 'ship please');
      expect(await repliesTo(a.account.id)).toEqual([]);
    });

    it('never answers an echo', async () => {
      await api()
        .post(rulesOf(a), { ...shippingRule, matchType: 'contains', keywords: ['ship'] })
        .expect(201);
      await postWebhook(
        t.app.getHttpServer(),
        `/webhooks/instagram/${a.account.id}`,
        fixtureBytes('echo-message'),
        a.credentials.appSecret,
      ).expect(200);
      expect(await repliesTo(a.account.id)).toEqual([]);
    });

    it('does not answer in a paused conversation, and answers again once resumed', async () => {
      await api().post(rulesOf(a), shippingRule).expect(201);
      await deliver(a, 'mid-1', 'hello');
      const conversation = await t.app.get(ConversationRepository).getByParticipant(a.account.id, CUSTOMER_IGSID);
      const base = `/accounts/${a.account.id}/conversations/${conversation?.id}`;
      const paused = await api().post(`${base}/pause`, {}).expect(200);
      expect(paused.body.automationPausedIndefinitely).toBe(true);
      await deliver(a, 'mid-2', 'do you ship?');
      expect(await repliesTo(a.account.id)).toEqual([]);
      expect((await api().post(`${base}/resume`).expect(200)).body).toMatchObject({
        automationPausedUntil: null,
        automationPausedIndefinitely: false,
      });
      await deliver(a, 'mid-3', 'do you ship?');
      expect(await repliesTo(a.account.id)).toHaveLength(1);
    });

    it('stops answering after a person replies from the Instagram app (human takeover)', async () => {
      await api().post(rulesOf(a), shippingRule).expect(201);
      await postWebhook(
        t.app.getHttpServer(),
        `/webhooks/instagram/${a.account.id}`,
        fixtureBytes('echo-message'),
        a.credentials.appSecret,
      ).expect(200);
      await deliver(a, 'mid-after-takeover', 'do you ship?');
      expect(await repliesTo(a.account.id)).toEqual([]);
    });

    it('applies a rule change at once on the replica that made it', async () => {
      await deliver(a, 'mid-before', 'ship?');
      expect(await repliesTo(a.account.id)).toEqual([]);
      await api().post(rulesOf(a), shippingRule).expect(201);
      await deliver(a, 'mid-after', 'ship?');
      expect(await repliesTo(a.account.id)).toHaveLength(1);
      const [reply] = await repliesTo(a.account.id);
      const message = await t.app.get(MessageRepository).getById(a.account.id, String(reply.reply_to_message_id));
      expect(message?.mid).toBe('mid-after');
    });
  });
});
