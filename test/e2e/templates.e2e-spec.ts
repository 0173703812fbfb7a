import { newIgUserId, newIgsid } from '../support/factories';
import { createTestAccount, type TestAccount } from '../support/accounts';
import { adminClient } from '../support/admin-client';
import { eventually } from '../support/eventually';
import { FakeGraphApi, metaFixture } from '../support/fake-graph-api';
import { fastMessaging } from '../support/fast-messaging';
import { customerMessage } from '../support/instagram-events';
import { startTestApp, type TestApp } from '../support/test-app';
import { postWebhook } from '../support/webhook-sender';

const jacketCard = {
  title: 'Spring jacket',
  subtitle: 'Available in 3 colours',
  imageUrl: 'https://example.com/images/jacket.jpg',
  defaultActionUrl: 'https://example.com/products/jacket',
  buttons: [
    { type: 'web_url', url: 'https://example.com/products/jacket', title: 'View' },
    { type: 'postback', title: 'Ask a question', payload: 'ASK_JACKET' },
  ],
};

describe('message templates', () => {
  let fake: FakeGraphApi;
  let t: TestApp;
  let shop: TestAccount;
  let otherShop: TestAccount;
  const admin = () => adminClient(t);
  const templatesOf = (account: TestAccount) => `/accounts/${account.account.id}/templates`;

  beforeAll(async () => {
    fake = await FakeGraphApi.start();
    t = await startTestApp({ GRAPH_API_BASE_URL: fake.baseUrl }, undefined, fastMessaging());
    shop = await createTestAccount(t.app, { igUserId: newIgUserId() });
    otherShop = await createTestAccount(t.app, { igUserId: newIgUserId() });
  });

  afterEach(() => fake.reset());

  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  describe('the admin API', () => {
    it('creates, reads, lists, changes and deletes a template of one account', async () => {
      const created = await admin()
        .post(templatesOf(shop), {
          name: 'order_shipped',
          text: 'Hi {{name}}, order {{order}} is on its way.',
          quickReplies: [{ title: 'Track it', payload: 'TRACK' }],
          elements: [jacketCard],
        })
        .expect(201);
      expect(created.body).toMatchObject({
        name: 'order_shipped',
        parameters: ['name', 'order'],
        quickReplies: [{ title: 'Track it', payload: 'TRACK' }],
        elements: [jacketCard],
      });
      const url = `${templatesOf(shop)}/${created.body.id}`;

      expect((await admin().get(url).expect(200)).body).toEqual(created.body);
      const listed = await admin().get(templatesOf(shop)).expect(200);
      expect(listed.body.items.map((item: { id: string }) => item.id)).toContain(created.body.id);
      expect((await admin().get(templatesOf(otherShop)).expect(200)).body.items).toEqual([]);

      const changed = await admin().put(url, { text: 'Order {{order}} shipped.', quickReplies: null }).expect(200);
      expect(changed.body).toMatchObject({
        name: 'order_shipped',
        text: 'Order {{order}} shipped.',
        parameters: ['order'],
        quickReplies: [],
        elements: [jacketCard],
      });

      await admin().delete(url).expect(204);
      await admin().get(url).expect(404);
    });

    it('keeps names unique within an account, ignoring case, and free across accounts', async () => {
      await admin().post(templatesOf(shop), { name: 'Welcome', text: 'Hello!' }).expect(201);
      const taken = await admin().post(templatesOf(shop), { name: 'welcome', text: 'Hi!' }).expect(409);
      expect(taken.body).toMatchObject({ error: 'conflict', fields: { name: expect.any(String) } });
      await admin().post(templatesOf(otherShop), { name: 'Welcome', text: 'Hello!' }).expect(201);

      const other = await admin().post(templatesOf(shop), { name: 'goodbye', text: 'Bye!' }).expect(201);
      await admin()
        .put(`${templatesOf(shop)}/${other.body.id}`, { name: 'WELCOME' })
        .expect(409);
    });

    it('answers 404 for a template of another account, an unknown id or an unknown account', async () => {
      const theirs = await admin().post(templatesOf(otherShop), { name: 'theirs', text: 'Hi' }).expect(201);
      for (const request of [
        admin().get(`${templatesOf(shop)}/${theirs.body.id}`),
        admin().put(`${templatesOf(shop)}/${theirs.body.id}`, { text: 'taken over' }),
        admin().delete(`${templatesOf(shop)}/${theirs.body.id}`),
        admin().get(`${templatesOf(shop)}/not-an-id`),
      ]) {
        expect((await request.expect(404)).body.error).toBe('template_not_found');
      }
      await admin().get('/accounts/0190a5d2-0000-7000-8000-000000000000/templates').expect(404);
      expect(
        (
          await admin()
            .get(`${templatesOf(otherShop)}/${theirs.body.id}`)
            .expect(200)
        ).body.text,
      ).toBe('Hi');
    });

    it.each([
      ['no name', { text: 'Hi' }, 'name'],
      ['an empty text', { name: 'x', text: '' }, 'text'],
      [
        '14 quick replies',
        { name: 'x', text: 'Hi', quickReplies: Array(14).fill({ title: 'A', payload: 'A' }) },
        'quickReplies',
      ],
      [
        'a quick reply title over 20 characters',
        { name: 'x', text: 'Hi', quickReplies: [{ title: 'x'.repeat(21), payload: 'A' }] },
        'quickReplies.0.title',
      ],
      ['11 cards', { name: 'x', text: 'Hi', elements: Array(11).fill({ title: 'Card' }) }, 'elements'],
      [
        '4 buttons on a card',
        {
          name: 'x',
          text: 'Hi',
          elements: [{ title: 'Card', buttons: Array(4).fill({ type: 'postback', title: 'B', payload: 'B' }) }],
        },
        'elements.0.buttons',
      ],
      [
        'a link button without url',
        { name: 'x', text: 'Hi', elements: [{ title: 'Card', buttons: [{ type: 'web_url', title: 'Go' }] }] },
        'elements.0.buttons.0.url',
      ],
      [
        'an image that is not a URL',
        { name: 'x', text: 'Hi', elements: [{ title: 'Card', imageUrl: 'jacket.jpg' }] },
        'elements.0.imageUrl',
      ],
      ['an unknown field', { name: 'x', text: 'Hi', priority: 3 }, 'priority'],
    ])('refuses %s with 400 naming the field', async (_case, body, field) => {
      const res = await admin().post(templatesOf(shop), body).expect(400);
      expect(res.body.error).toBe('validation_failed');
      expect(Object.keys(res.body.fields)).toContain(field);
    });

    it('refuses a PUT that empties the name or text', async () => {
      const created = await admin().post(templatesOf(shop), { name: 'keep_me', text: 'Hi' }).expect(201);
      const res = await admin()
        .put(`${templatesOf(shop)}/${created.body.id}`, { name: null, text: '' })
        .expect(400);
      expect(Object.keys(res.body.fields).sort()).toEqual(['name', 'text']);
    });
  });

  describe('sending one', () => {
    const sends = () => fake.requestsTo('POST', fake.path('/me/messages'));

    async function customerWrote(): Promise<string> {
      const customer = newIgsid();
      await postWebhook(
        t.app.getHttpServer(),
        `/webhooks/instagram/${shop.account.id}`,
        customerMessage({ igUserId: shop.account.igUserId, customer, text: 'Hello' }),
        shop.credentials.appSecret,
      ).expect(200);
      return customer;
    }

    it('fills the parameters and sends the text with its quick replies', async () => {
      const fixture = metaFixture<{ message: { text: string } }>('send-api-request-quick-replies.json');
      await admin()
        .post(templatesOf(shop), {
          name: 'help_menu',
          text: 'What can we help you with{{suffix}}',
          quickReplies: [
            { title: 'Opening hours', payload: 'HOURS' },
            { title: 'Shipping', payload: 'SHIPPING' },
          ],
        })
        .expect(201);
      const customer = await customerWrote();

      const queued = await admin()
        .post(`/accounts/${shop.account.id}/messages`, {
          recipientId: customer,
          templateName: 'Help_Menu',
          params: { suffix: '?' },
        })
        .expect(202);
      expect(queued.body).toMatchObject({ status: 'queued', type: 'text', text: fixture.message.text });

      await eventually(sends, (requests) => requests.length === 1);
      expect(sends()[0].body).toEqual({ ...fixture, recipient: { id: customer } });
    });

    it('sends a template’s cards as a generic template after its text', async () => {
      await admin()
        .post(templatesOf(shop), { name: 'jacket_offer', text: 'Hi {{name}}, it is back:', elements: [jacketCard] })
        .expect(201);
      const customer = await customerWrote();

      const queued = await admin()
        .post(`/accounts/${shop.account.id}/messages`, {
          recipientId: customer,
          templateName: 'jacket_offer',
          params: { name: 'Anna' },
        })
        .expect(202);
      expect(queued.body.partIds).toHaveLength(2);

      await eventually(sends, (requests) => requests.length === 2);
      const [text, cards] = sends().map((request) => request.body);
      expect(text).toEqual({ recipient: { id: customer }, message: { text: 'Hi Anna, it is back:' } });
      expect(cards).toEqual({ ...metaFixture('send-api-request-generic-template.json'), recipient: { id: customer } });
    });

    it('refuses a missing parameter with 400 naming it, queuing nothing', async () => {
      await admin().post(templatesOf(shop), { name: 'needs_params', text: 'Order {{order}} for {{name}}' }).expect(201);
      const customer = await customerWrote();

      const res = await admin()
        .post(`/accounts/${shop.account.id}/messages`, {
          recipientId: customer,
          templateName: 'needs_params',
          params: { name: 'Anna' },
        })
        .expect(400);
      expect(res.body).toMatchObject({
        error: 'validation_failed',
        message: 'missing template parameter: order',
        fields: { 'params.order': 'the template uses {{order}}' },
      });
      expect(sends()).toHaveLength(0);
    });

    it('answers 404 for a template name the account does not have', async () => {
      await admin().post(templatesOf(otherShop), { name: 'only_theirs', text: 'Hi' }).expect(201);
      const customer = await customerWrote();
      const res = await admin()
        .post(`/accounts/${shop.account.id}/messages`, { recipientId: customer, templateName: 'only_theirs' })
        .expect(404);
      expect(res.body.error).toBe('template_not_found');
    });
  });
});
