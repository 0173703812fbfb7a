import { newIgUserId, newIgsid } from '../support/factories';
import { MessageEntity } from '@messaging/persistence/message.entity';
import { createTestAccount, type TestAccount } from '../support/accounts';
import { adminClient } from '../support/admin-client';
import { eventually } from '../support/eventually';
import { FakeGraphApi, metaFixture, type RecordedRequest } from '../support/fake-graph-api';
import { fastMessaging } from '../support/fast-messaging';
import { customerMessage, newMid } from '../support/instagram-events';
import { startTestApp, type TestApp } from '../support/test-app';
import { postWebhook } from '../support/webhook-sender';

interface SendBody {
  recipient: { id: string };
  message?: Record<string, unknown>;
  sender_action?: string;
  payload?: Record<string, unknown>;
  reply_to?: { mid: string };
}

const DAY = 24 * 3_600_000;
const IMAGE = 'https://example.com/images/catalog.jpg';

describe('rich outbound messages: media, stickers, quote replies, reactions, sender actions, messenger profile', () => {
  let fake: FakeGraphApi;
  let t: TestApp;
  let shop: TestAccount;
  const admin = () => adminClient(t);
  const messagesOf = (account: TestAccount) => `/accounts/${account.account.id}/messages`;
  const sends = (): RecordedRequest[] => fake.requestsTo('POST', fake.path('/me/messages'));
  const sendsTo = (customer: string) => sends().filter((r) => (r.body as SendBody).recipient.id === customer);
  const outboundCount = (account: TestAccount) =>
    t.dataSource.getRepository(MessageEntity).countBy({ accountId: account.account.id, direction: 'outbound' });

  /** The customer writes to the account (Meta's timestamp `ago` ms in the past); answers their IGSID and the mid. */
  async function customerWrote(account: TestAccount, ago = 0, customer = newIgsid()) {
    const mid = newMid();
    await postWebhook(
      t.app.getHttpServer(),
      `/webhooks/instagram/${account.account.id}`,
      customerMessage({
        igUserId: account.account.igUserId,
        customer,
        text: 'Hello',
        mid,
        timestamp: Date.now() - ago,
      }),
      account.credentials.appSecret,
    ).expect(200);
    const row = await t.dataSource.getRepository(MessageEntity).findOneByOrFail({ accountId: account.account.id, mid });
    return { customer, mid, messageId: row.id, conversationId: row.conversationId };
  }

  const sentOf = (account: TestAccount, id: string) =>
    eventually(
      () => admin().get(`${messagesOf(account)}/${id}`),
      (res) => res.body.status === 'sent' || res.body.status === 'failed',
    );

  beforeAll(async () => {
    fake = await FakeGraphApi.start();
    t = await startTestApp(
      { GRAPH_API_BASE_URL: fake.baseUrl },
      undefined,
      fastMessaging({ outbox: { slowMediaPerSecondPerAccount: 1 } }),
    );
  });

  beforeEach(async () => {
    shop = await createTestAccount(t.app, { igUserId: newIgUserId() });
  });

  afterEach(() => fake.reset());

  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  describe('media, stickers and quote replies', () => {
    it('sends an image by URL as Meta’s sample has it, and the history shows it', async () => {
      const { customer, conversationId } = await customerWrote(shop);
      const queued = await admin()
        .post(messagesOf(shop), { recipientId: customer, attachment: { type: 'image', url: IMAGE } })
        .expect(202);
      expect(queued.body).toMatchObject({
        type: 'attachment',
        text: null,
        attachments: [{ type: 'image', url: IMAGE }],
      });
      expect((await sentOf(shop, queued.body.id)).body.status).toBe('sent');
      const fixture = metaFixture<SendBody>('send-api-request-image-url.json');
      expect((sendsTo(customer)[0].body as SendBody).message).toEqual({
        attachment: { type: 'image', payload: { url: IMAGE } },
      });
      expect(Object.keys(sendsTo(customer)[0].body as object)).toEqual(Object.keys(fixture));
      const history = await admin().get(`/accounts/${shop.account.id}/conversations/${conversationId}/messages`);
      expect(history.body.items.at(-1)).toMatchObject({
        direction: 'outbound',
        attachments: [{ type: 'image', url: IMAGE }],
      });
    });

    it('sends a file and a like_heart sticker', async () => {
      const { customer } = await customerWrote(shop);
      const file = 'https://example.com/files/price-list.pdf';
      const pdf = await admin()
        .post(messagesOf(shop), { recipientId: customer, attachment: { type: 'file', url: file } })
        .expect(202);
      await sentOf(shop, pdf.body.id);
      const heart = await admin().post(messagesOf(shop), { recipientId: customer, sticker: 'like_heart' }).expect(202);
      await sentOf(shop, heart.body.id);
      expect(sendsTo(customer).map((r) => (r.body as SendBody).message)).toEqual([
        metaFixture<SendBody>('send-api-request-file-url.json').message,
        metaFixture<SendBody>('send-api-request-sticker.json').message,
      ]);
    });

    it('quote-replies to a message of the conversation with reply_to', async () => {
      const { customer, mid } = await customerWrote(shop);
      const queued = await admin()
        .post(messagesOf(shop), { recipientId: customer, text: 'Yes, in blue too.', replyToMid: mid })
        .expect(202);
      await sentOf(shop, queued.body.id);
      expect(sendsTo(customer)[0].body).toMatchObject({ message: { text: 'Yes, in blue too.' }, reply_to: { mid } });
    });

    it('refuses to quote a message of another conversation, or of another account, queuing nothing', async () => {
      const { customer } = await customerWrote(shop);
      const elsewhere = await customerWrote(shop);
      const other = await createTestAccount(t.app, { igUserId: newIgUserId() });
      const theirs = await customerWrote(other, 0, customer);
      for (const replyToMid of [elsewhere.mid, theirs.mid, 'no-such-mid']) {
        const res = await admin().post(messagesOf(shop), { recipientId: customer, text: 'Hi', replyToMid }).expect(400);
        expect(Object.keys(res.body.fields)).toEqual(['replyToMid']);
      }
      expect(await outboundCount(shop)).toBe(0);
      expect(sends()).toHaveLength(0);
    });

    it.each([
      ['a plain http URL', { attachment: { type: 'image', url: 'http://example.com/a.jpg' } }, 'attachment.url'],
      ['no URL at all', { attachment: { type: 'image' } }, 'attachment.url'],
      ['an unknown media type', { attachment: { type: 'gif', url: IMAGE } }, 'attachment.type'],
      ['an attachment with text', { text: 'Hi', attachment: { type: 'image', url: IMAGE } }, 'attachment'],
      ['another sticker', { sticker: 'thumbs_up' }, 'sticker'],
      ['replyToMid without text', { sticker: 'like_heart', replyToMid: 'm' }, 'replyToMid'],
    ])('refuses %s with 400 naming the field, nothing queued', async (_case, content, field) => {
      const { customer } = await customerWrote(shop);
      const res = await admin()
        .post(messagesOf(shop), { recipientId: customer, ...content })
        .expect(400);
      expect(Object.keys(res.body.fields)).toEqual([field]);
      expect(await outboundCount(shop)).toBe(0);
    });

    it('refuses media outside the 24-hour window with 422 before Meta is called', async () => {
      const { customer } = await customerWrote(shop, DAY + 60_000);
      const res = await admin()
        .post(messagesOf(shop), { recipientId: customer, attachment: { type: 'image', url: IMAGE } })
        .expect(422);
      expect(res.body.error).toBe('outside_messaging_window');
      expect(await outboundCount(shop)).toBe(0);
      expect(sends()).toHaveLength(0);
    });

    it('retries media Meta could not fetch, and sends it when Meta manages', async () => {
      const { customer } = await customerWrote(shop);
      fake.respondOnce('POST', fake.path('/me/messages'), {
        status: 400,
        body: metaFixture('send-api-error-media-fetch.json'),
      });
      const queued = await admin()
        .post(messagesOf(shop), { recipientId: customer, attachment: { type: 'image', url: IMAGE } })
        .expect(202);
      const sent = await sentOf(shop, queued.body.id);
      expect(sent.body).toMatchObject({ status: 'sent', attempts: 2 });
    });

    it('gives up on media Meta keeps failing to fetch after a few tries, with Meta’s reason', async () => {
      const { customer } = await customerWrote(shop);
      fake.respond('POST', fake.path('/me/messages'), {
        status: 400,
        body: metaFixture('send-api-error-media-fetch.json'),
      });
      const queued = await admin()
        .post(messagesOf(shop), { recipientId: customer, attachment: { type: 'image', url: IMAGE } })
        .expect(202);
      const failed = await sentOf(shop, queued.body.id);
      expect(failed.body).toMatchObject({
        status: 'failed',
        attempts: 3,
        lastErrorCode: 100,
        lastErrorSubcode: 2018008,
      });
      expect(failed.body.lastError).toContain('Failed to fetch the file from the url');
    });
  });

  describe('templates with buttons and media', () => {
    const templatesOf = (account: TestAccount) => `/accounts/${account.account.id}/templates`;
    const buttons = [
      { type: 'web_url', url: 'https://example.com/shop', title: 'Visit the shop' },
      { type: 'postback', title: 'Talk to us', payload: 'TALK' },
    ];

    it('sends the text as a button template, then its media, as Meta’s samples have them', async () => {
      const { customer } = await customerWrote(shop);
      const created = await admin()
        .post(templatesOf(shop), {
          name: 'menu',
          text: 'What would you like to do?',
          buttons,
          attachments: [{ type: 'image', url: IMAGE }],
        })
        .expect(201);
      expect(created.body).toMatchObject({ buttons, attachments: [{ type: 'image', url: IMAGE }] });
      const queued = await admin().post(messagesOf(shop), { recipientId: customer, templateName: 'menu' }).expect(202);
      expect(queued.body.partIds).toHaveLength(2);
      for (const id of queued.body.partIds) expect((await sentOf(shop, id)).body.status).toBe('sent');
      expect(sendsTo(customer).map((r) => r.body)).toEqual([
        { ...metaFixture('send-api-request-button-template.json'), recipient: { id: customer } },
        { ...metaFixture('send-api-request-image-url.json'), recipient: { id: customer } },
      ]);
    });

    it.each([
      ['four buttons', { buttons: [...buttons, ...buttons] }, 'buttons'],
      ['a button title over 20 characters', { buttons: [{ ...buttons[1], title: 'x'.repeat(21) }] }, 'buttons.0.title'],
      ['a button of another type', { buttons: [{ type: 'call', title: 'Call' }] }, 'buttons.0.type'],
      ['a web_url button without url', { buttons: [{ type: 'web_url', title: 'Shop' }] }, 'buttons.0.url'],
      [
        'media by plain http',
        { attachments: [{ type: 'image', url: 'http://example.com/a.jpg' }] },
        'attachments.0.url',
      ],
      ['a text over 640 characters with buttons', { text: 'x'.repeat(641), buttons: [buttons[1]] }, 'text'],
    ])('refuses %s when the template is saved, with 400', async (_case, fields, field) => {
      const res = await admin()
        .post(templatesOf(shop), { name: 'menu', text: 'Pick one', ...fields })
        .expect(400);
      expect(Object.keys(res.body.fields)).toEqual([field]);
      expect((await admin().get(templatesOf(shop))).body.items).toEqual([]);
    });

    it('refuses buttons added later to a text over 640 characters', async () => {
      const created = await admin()
        .post(templatesOf(shop), { name: 'long', text: 'x'.repeat(700) })
        .expect(201);
      const res = await admin()
        .put(`${templatesOf(shop)}/${created.body.id}`, { buttons: [buttons[1]] })
        .expect(400);
      expect(Object.keys(res.body.fields)).toEqual(['text']);
    });
  });

  describe('rules that answer with a template', () => {
    const rulesOf = (account: TestAccount) => `/accounts/${account.account.id}/rules`;
    const profile = metaFixture<{ name: string }>('user-profile.json');

    it('answers with the template’s button template and media, greeting the customer by name', async () => {
      await admin()
        .post(`/accounts/${shop.account.id}/templates`, {
          name: 'welcome_menu',
          text: 'Hi {{name}}, what would you like to do?',
          buttons: [{ type: 'postback', title: 'Talk to us', payload: 'TALK' }],
          attachments: [{ type: 'image', url: IMAGE }],
        })
        .expect(201);
      const rule = await admin()
        .post(rulesOf(shop), { name: 'Menu', matchType: 'word', keywords: ['menu'], templateName: 'welcome_menu' })
        .expect(201);
      expect(rule.body).toMatchObject({ templateName: 'welcome_menu', responseText: null });
      const tried = await admin()
        .post(`${rulesOf(shop)}/test`, { text: 'menu please' })
        .expect(200);
      expect(tried.body).toMatchObject({ matched: true, templateName: 'welcome_menu', responseText: null });

      const customer = newIgsid();
      await postWebhook(
        t.app.getHttpServer(),
        `/webhooks/instagram/${shop.account.id}`,
        customerMessage({ igUserId: shop.account.igUserId, customer, text: 'The menu please' }),
        shop.credentials.appSecret,
      ).expect(200);
      const bodies = await eventually(
        () => sendsTo(customer).map((r) => (r.body as SendBody).message),
        (sent) => sent.length === 2,
      );
      expect(bodies).toEqual([
        {
          attachment: {
            type: 'template',
            payload: {
              template_type: 'button',
              text: `Hi ${profile.name}, what would you like to do?`,
              buttons: [{ type: 'postback', title: 'Talk to us', payload: 'TALK' }],
            },
          },
        },
        { attachment: { type: 'image', payload: { url: IMAGE } } },
      ]);
    });

    it('answers with the template as it is now: a change or a deletion applies to the next message at once', async () => {
      const template = await admin()
        .post(`/accounts/${shop.account.id}/templates`, { name: 'opening_hours', text: 'We open at 9.' })
        .expect(201);
      await admin()
        .post(rulesOf(shop), { name: 'Hours', matchType: 'word', keywords: ['hours'], templateName: 'opening_hours' })
        .expect(201);
      const ask = async () => {
        const customer = newIgsid();
        await postWebhook(
          t.app.getHttpServer(),
          `/webhooks/instagram/${shop.account.id}`,
          customerMessage({ igUserId: shop.account.igUserId, customer, text: 'your hours?' }),
          shop.credentials.appSecret,
        ).expect(200);
        return customer;
      };
      const textsSentTo = (customer: string) =>
        eventually(
          () => sendsTo(customer).map((r) => (r.body as SendBody).message?.text),
          (sent) => sent.length === 1,
        );

      expect(await textsSentTo(await ask())).toEqual(['We open at 9.']);
      await admin()
        .put(`/accounts/${shop.account.id}/templates/${template.body.id}`, { text: 'We open at 10.' })
        .expect(200);
      expect(await textsSentTo(await ask())).toEqual(['We open at 10.']);
      await admin().delete(`/accounts/${shop.account.id}/templates/${template.body.id}`).expect(204);
      const unanswered = await ask();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(sendsTo(unanswered)).toEqual([]);
    });

    it.each([
      ['both a text and a template', { responseText: 'Hi', templateName: 'welcome_menu' }, 'templateName'],
      ['neither', {}, 'responseText'],
      ['an empty template name', { templateName: ' ' }, 'templateName'],
    ])('refuses a rule with %s, with 400', async (_case, answer, field) => {
      const res = await admin()
        .post(rulesOf(shop), { name: 'Menu', matchType: 'word', keywords: ['menu'], ...answer })
        .expect(400);
      expect(Object.keys(res.body.fields)).toEqual([field]);
    });

    it('switches a rule from a text to a template and back', async () => {
      const rule = await admin()
        .post(rulesOf(shop), { name: 'Menu', matchType: 'word', keywords: ['menu'], responseText: 'Hi' })
        .expect(201);
      const toTemplate = await admin()
        .put(`${rulesOf(shop)}/${rule.body.id}`, { templateName: 'menu' })
        .expect(200);
      expect(toTemplate.body).toMatchObject({ templateName: 'menu', responseText: null });
      const back = await admin()
        .put(`${rulesOf(shop)}/${rule.body.id}`, { responseText: 'Hello' })
        .expect(200);
      expect(back.body).toMatchObject({ templateName: null, responseText: 'Hello' });
    });

    it('refuses a template on a comment rule, whose private reply is a text, naming the trigger too', async () => {
      const rule = { name: 'Guide', trigger: 'comment', matchType: 'word', keywords: ['guide'] };
      const created = await admin()
        .post(rulesOf(shop), { ...rule, templateName: 'welcome_menu' })
        .expect(400);
      expect(Object.keys(created.body.fields).sort()).toEqual(['templateName', 'trigger']);
      const textRule = await admin()
        .post(rulesOf(shop), { ...rule, responseText: 'Here is the guide' })
        .expect(201);
      await admin()
        .put(`${rulesOf(shop)}/${textRule.body.id}`, { templateName: 'welcome_menu' })
        .expect(400);
      const kept = await admin()
        .get(`${rulesOf(shop)}/${textRule.body.id}`)
        .expect(200);
      expect(kept.body).toMatchObject({ responseText: 'Here is the guide', templateName: null });
    });
  });

  describe('rate classes', () => {
    it('sends text while the account’s queued videos wait for their slower rate', async () => {
      const customers = await Promise.all(Array.from({ length: 4 }, () => customerWrote(shop)));
      const videos = [];
      for (const { customer } of customers) {
        const video = { type: 'video', url: 'https://example.com/videos/demo.mp4' };
        videos.push(await admin().post(messagesOf(shop), { recipientId: customer, attachment: video }).expect(202));
      }
      const { customer } = await customerWrote(shop);
      const text = await admin().post(messagesOf(shop), { recipientId: customer, text: 'Here you go.' }).expect(202);
      expect((await sentOf(shop, text.body.id)).body.status).toBe('sent');
      // At one video a second (this test's rate), most of them are still waiting when the text has gone.
      const states = await Promise.all(videos.map((v) => admin().get(`${messagesOf(shop)}/${v.body.id}`)));
      expect(states.filter((s) => s.body.status !== 'sent').length).toBeGreaterThan(0);
      const waiting = states.find((s) => s.body.status === 'queued');
      expect(waiting?.body.lastError).toContain('10 audio and video messages per second');
      for (const video of videos) expect((await sentOf(shop, video.body.id)).body.status).toBe('sent');
    });
  });

  describe('reactions', () => {
    it('reacts to a customer’s message and takes the reaction back, as Meta’s samples have it', async () => {
      const { customer, mid, messageId } = await customerWrote(shop);
      const reacted = await admin()
        .put(`${messagesOf(shop)}/${messageId}/reaction`, { reaction: 'love' })
        .expect(200);
      expect(reacted.body).toMatchObject({ id: messageId, ourReaction: 'love' });
      expect(sendsTo(customer)[0].body).toEqual({
        ...metaFixture<SendBody>('send-api-request-react.json'),
        recipient: { id: customer },
        payload: { message_id: mid, reaction: 'love' },
      });
      await admin()
        .delete(`${messagesOf(shop)}/${messageId}/reaction`)
        .expect(204);
      expect(sendsTo(customer)[1].body).toEqual({
        ...metaFixture<SendBody>('send-api-request-unreact.json'),
        recipient: { id: customer },
        payload: { message_id: mid },
      });
      expect((await admin().get(`${messagesOf(shop)}/${messageId}`)).body.ourReaction).toBeNull();
    });

    it('refuses an unknown reaction, an outbound message, another account’s message and a closed window', async () => {
      const { customer, messageId } = await customerWrote(shop);
      const bad = await admin()
        .put(`${messagesOf(shop)}/${messageId}/reaction`, { reaction: 'fire' })
        .expect(400);
      expect(Object.keys(bad.body.fields)).toEqual(['reaction']);

      const ours = await admin().post(messagesOf(shop), { recipientId: customer, text: 'Hi' }).expect(202);
      const outbound = await admin()
        .put(`${messagesOf(shop)}/${ours.body.id}/reaction`, { reaction: 'love' })
        .expect(400);
      expect(Object.keys(outbound.body.fields)).toEqual(['messageId']);

      const other = await createTestAccount(t.app, { igUserId: newIgUserId() });
      await admin()
        .put(`${messagesOf(other)}/${messageId}/reaction`, { reaction: 'love' })
        .expect(404);

      const late = await customerWrote(shop, DAY + 60_000);
      const closed = await admin()
        .put(`${messagesOf(shop)}/${late.messageId}/reaction`, { reaction: 'love' })
        .expect(422);
      expect(closed.body.error).toBe('outside_messaging_window');
      expect(sends().filter((r) => (r.body as SendBody).sender_action)).toHaveLength(0);
    });
  });

  describe('sender actions', () => {
    const actionsOf = (account: TestAccount, conversationId: string) =>
      `/accounts/${account.account.id}/conversations/${conversationId}/actions`;

    it('shows typing and marks seen at once, as Meta’s samples have them', async () => {
      const { customer, conversationId } = await customerWrote(shop);
      await admin().post(actionsOf(shop, conversationId), { action: 'typing_on' }).expect(204);
      await admin().post(actionsOf(shop, conversationId), { action: 'mark_seen' }).expect(204);
      expect(sendsTo(customer).map((r) => r.body)).toEqual([
        { ...metaFixture('send-api-request-typing-on.json'), recipient: { id: customer } },
        { ...metaFixture('send-api-request-mark-seen.json'), recipient: { id: customer } },
      ]);
      expect(await outboundCount(shop)).toBe(0);
    });

    it('answers 422 outside the window without calling Meta or when Meta refuses, 502 when Meta fails, 400 for an unknown action', async () => {
      const late = await customerWrote(shop, DAY + 60_000);
      const closed = await admin().post(actionsOf(shop, late.conversationId), { action: 'typing_on' }).expect(422);
      expect(closed.body.error).toBe('outside_messaging_window');
      expect(sends()).toHaveLength(0);

      const { conversationId } = await customerWrote(shop);
      const bad = await admin().post(actionsOf(shop, conversationId), { action: 'dance' }).expect(400);
      expect(Object.keys(bad.body.fields)).toEqual(['action']);

      fake.respondOnce('POST', fake.path('/me/messages'), {
        status: 400,
        body: metaFixture('send-api-error-user-unavailable.json'),
      });
      const refused = await admin().post(actionsOf(shop, conversationId), { action: 'typing_off' }).expect(422);
      expect(refused.body).toMatchObject({
        error: 'graph_api_rejected',
        message: expect.stringMatching(/^Meta refused: /),
      });
      fake.respondOnce('POST', fake.path('/me/messages'), {
        status: 500,
        body: metaFixture('send-api-error-transient.json'),
      });
      const failed = await admin().post(actionsOf(shop, conversationId), { action: 'typing_off' }).expect(502);
      expect(failed.body.error).toBe('graph_api_unavailable');
    });

    it('answers 404 for a conversation of another account', async () => {
      const { conversationId } = await customerWrote(shop);
      const other = await createTestAccount(t.app, { igUserId: newIgUserId() });
      await admin().post(actionsOf(other, conversationId), { action: 'typing_on' }).expect(404);
      expect(sends()).toHaveLength(0);
    });
  });

  describe('messenger profile', () => {
    const profileOf = (account: TestAccount) => `/accounts/${account.account.id}/messenger-profile`;
    const profileCalls = () => fake.requests.filter((r) => r.path === fake.path('/me/messenger_profile'));

    it('sets ice breakers and a persistent menu on Meta, keeps them, and removes them', async () => {
      expect((await admin().get(profileOf(shop)).expect(200)).body).toEqual({
        iceBreakers: [],
        persistentMenu: [],
        updatedAt: null,
      });
      const iceBreakers = [
        { question: 'What are your opening hours?', payload: 'HOURS' },
        { question: 'Do you ship abroad?', payload: 'SHIPPING' },
      ];
      await admin().put(profileOf(shop), { iceBreakers }).expect(200);
      const persistentMenu = [
        { type: 'postback', title: 'Talk to us', payload: 'TALK' },
        { type: 'web_url', title: 'Shop', url: 'https://example.com/shop' },
      ];
      await admin().put(profileOf(shop), { persistentMenu }).expect(200);
      expect(profileCalls().map((r) => [r.method, r.query.platform, r.body])).toEqual([
        ['POST', 'instagram', metaFixture('messenger-profile-request-ice-breakers.json')],
        ['POST', 'instagram', metaFixture('messenger-profile-request-persistent-menu.json')],
      ]);
      expect(profileCalls()[0].headers.authorization).toBe(`Bearer ${shop.credentials.accessToken}`);

      const shown = await admin().get(profileOf(shop)).expect(200);
      expect(shown.body).toEqual({ iceBreakers, persistentMenu, updatedAt: expect.any(String) });

      await admin().delete(profileOf(shop)).expect(204);
      expect(profileCalls().at(-1)).toMatchObject({
        method: 'DELETE',
        query: { platform: 'instagram' },
        body: { fields: ['ice_breakers', 'persistent_menu'] },
      });
      expect((await admin().get(profileOf(shop))).body.iceBreakers).toEqual([]);
    });

    it.each([
      [
        'five ice breakers',
        { iceBreakers: Array.from({ length: 5 }, (_, i) => ({ question: `Q${i}`, payload: `P${i}` })) },
        'iceBreakers',
      ],
      ['an ice breaker without payload', { iceBreakers: [{ question: 'Hours?' }] }, 'iceBreakers.0.payload'],
      ['a web_url item without url', { persistentMenu: [{ type: 'web_url', title: 'Shop' }] }, 'persistentMenu.0.url'],
      ['a menu item of another type', { persistentMenu: [{ type: 'call', title: 'Call' }] }, 'persistentMenu.0.type'],
    ])('refuses %s with 400, setting nothing on Meta', async (_case, body, field) => {
      const res = await admin().put(profileOf(shop), body).expect(400);
      expect(Object.keys(res.body.fields)).toEqual([field]);
      expect(profileCalls()).toHaveLength(0);
    });

    it('keeps nothing when Meta refuses, and each account’s profile is its own', async () => {
      fake.respondOnce('POST', fake.path('/me/messenger_profile'), {
        status: 400,
        body: metaFixture('send-api-error-invalid-param.json'),
      });
      const iceBreakers = [{ question: 'Hours?', payload: 'HOURS' }];
      await admin().put(profileOf(shop), { iceBreakers }).expect(422);
      expect((await admin().get(profileOf(shop))).body.iceBreakers).toEqual([]);

      const other = await createTestAccount(t.app, { igUserId: newIgUserId() });
      await admin().put(profileOf(other), { iceBreakers }).expect(200);
      expect((await admin().get(profileOf(shop))).body.iceBreakers).toEqual([]);
      expect((await admin().get(profileOf(other))).body.iceBreakers).toEqual(iceBreakers);
    });
  });

  describe('incoming media in the history', () => {
    it('shows each inbound attachment’s type and url, and says when Meta gives no expiry', async () => {
      const { customer, conversationId } = await customerWrote(shop);
      const fixture = metaFixture<{ entry: Array<{ messaging: Array<{ message: { attachments: unknown[] } }> }> }>(
        'image-attachment.json',
      );
      const [attachment] = fixture.entry[0].messaging[0].message.attachments as Array<{ payload: { url: string } }>;
      const expiring = 'https://scontent.cdninstagram.com/v/t51/photo.jpg?oe=6A1B2C3D&oh=synthetic';
      const body = JSON.stringify({
        object: 'instagram',
        entry: [
          {
            id: shop.account.igUserId,
            time: Date.now(),
            messaging: [
              {
                sender: { id: customer },
                recipient: { id: shop.account.igUserId },
                timestamp: Date.now(),
                message: {
                  mid: newMid(),
                  attachments: [attachment, { type: 'video', payload: { url: expiring } }],
                },
              },
            ],
          },
        ],
      });
      await postWebhook(
        t.app.getHttpServer(),
        `/webhooks/instagram/${shop.account.id}`,
        body,
        shop.credentials.appSecret,
      ).expect(200);
      const history = await admin().get(`/accounts/${shop.account.id}/conversations/${conversationId}/messages`);
      expect(history.body.items.at(-1).attachments).toEqual([
        { type: 'image', url: attachment.payload.url, urlExpiresAt: null, payload: attachment.payload },
        {
          type: 'video',
          url: expiring,
          urlExpiresAt: new Date(0x6a1b2c3d * 1000).toISOString(),
          payload: { url: expiring },
        },
      ]);
    });
  });
});
