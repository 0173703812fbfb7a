/**
 * Bad input to the admin API is a 400 that names the field and changes
 * nothing: each case here once answered 500, stored something the other
 * database would not, or was refused with a misleading message.
 */
import type { Server } from 'node:http';
import { createTestAccount, type TestAccount } from '../support/accounts';
import { adminClient } from '../support/admin-client';
import { changedTables, snapshotDatabase } from '../support/database-snapshot';
import { ACCOUNT_A_IG_USER_ID, CUSTOMER_IGSID } from '../support/meta-fixtures';
import { type ApiOperation, fetchApiDocument, fillPath } from '../support/openapi';
import { rawRequest } from '../support/raw-http';
import { startTestApp, type TestApp } from '../support/test-app';

type Body = Record<string, unknown>;

const rule = { name: 'Shipping', matchType: 'word', keywords: ['ship'], responseText: 'We ship worldwide.' };
const template = { name: 'welcome', text: 'Hi {{name}}' };
/** 100 letters and U+FE0F: 100 characters to validator.js, 101 code points to MySQL's VARCHAR(100). */
const HUNDRED_AND_ONE_CODE_POINTS = `${'a'.repeat(100)}\uFE0F`;
/** 99 letters and an emoji outside the BMP: 100 code points (101 UTF-16 units), which VARCHAR(100) holds. */
const HUNDRED_CODE_POINTS = `${'a'.repeat(99)}😀`;

/** A JSON value nested `depth` levels deep. */
function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = { inner: value };
  return value;
}

describe('bad input to the admin API', () => {
  let t: TestApp;
  let a: TestAccount;
  let server: Server;
  let ruleId: string;
  let templateId: string;
  let bodyOperations: ApiOperation[];
  const api = () => adminClient(t);
  const under = (path: string) => `/accounts/${a.account.id}${path}`;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    server = t.app.getHttpServer();
    a = await createTestAccount(t.app, { igUserId: ACCOUNT_A_IG_USER_ID });
    ruleId = (await api().post(under('/rules'), rule).expect(201)).body.id;
    templateId = (await api().post(under('/templates'), template).expect(201)).body.id;
    bodyOperations = (await fetchApiDocument(server)).operations.filter((o) => o.bodySchema !== null);
  });

  afterAll(() => t.close());

  /** Sends the request and expects a 400 whose `fields` name `field`, with no table changed. */
  async function expectRefused(
    method: 'post' | 'put',
    path: string,
    body: unknown,
    field: string,
    message?: string | RegExp,
  ) {
    const before = await snapshotDatabase(t.dataSource);
    const res = await (method === 'post' ? api().post(path, body as Body) : api().put(path, body as Body));
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 400, error: 'validation_failed' });
    expect(Object.keys(res.body.fields)).toContain(field);
    if (message !== undefined) expect(res.body.fields[field]).toMatch(message);
    expect(changedTables(before, await snapshotDatabase(t.dataSource))).toEqual([]);
    return res;
  }

  describe('null on PUT of a rule', () => {
    it.each(['priority', 'name', 'responseText', 'keywords', 'matchType', 'isActive'])(
      'refuses %s: null, keeping the rule',
      async (field) => {
        await expectRefused('put', under(`/rules/${ruleId}`), { [field]: null }, field);
        expect(
          (
            await api()
              .get(under(`/rules/${ruleId}`))
              .expect(200)
          ).body,
        ).toMatchObject({
          ...rule,
          priority: 0,
          isActive: true,
        });
      },
    );
  });

  describe('a missing field', () => {
    it.each(['name', 'matchType', 'keywords', 'responseText'])('of a new rule, %s, is told it is required', (field) => {
      const { [field]: _left, ...body } = rule as Body;
      return expectRefused('post', under('/rules'), body, field, `${field} is required`);
    });

    it('of a quick reply or a card is told it is required', async () => {
      await expectRefused(
        'post',
        under('/templates'),
        { name: 'q', text: 'x', quickReplies: [{}] },
        'quickReplies.0.title',
        'title is required',
      );
      await expectRefused(
        'post',
        under('/templates'),
        { name: 'q', text: 'x', elements: [{ subtitle: 'no title' }] },
        'elements.0.title',
        'title is required',
      );
    });

    it('is told null is not a template name', () =>
      expectRefused(
        'post',
        under('/messages'),
        { recipientId: CUSTOMER_IGSID, templateName: null },
        'templateName',
        'templateName must be a string',
      ));
  });

  describe('empty nested items', () => {
    it.each([
      ['quickReplies', [[]]],
      ['elements', [[]]],
      ['quickReplies', [null]],
      ['elements', ['card']],
    ])('refuses %s: %j, on POST and PUT of a template', async (field, value) => {
      await expectRefused('post', under('/templates'), { name: 'n', text: 'x', [field]: value }, field);
      await expectRefused('put', under(`/templates/${templateId}`), { [field]: value }, field);
    });
  });

  describe('deep nesting', () => {
    it('is refused up front on every operation with a body, at 2,000 levels and just past the limit', async () => {
      expect(bodyOperations.length).toBeGreaterThanOrEqual(9);
      for (const operation of bodyOperations) {
        const path = fillPath(
          operation,
          Object.fromEntries(
            operation.params.map((name) => [
              name,
              { ruleId, templateId, conversationId: ruleId }[name] ?? a.account.id,
            ]),
          ),
        );
        for (const depth of [2000, 33]) {
          const res = await expectRefused(
            operation.method as 'post' | 'put',
            path,
            { deep: nested(depth) },
            'deep',
            'deep nests deeper than 32 levels',
          );
          expect(res.body.requestId).toEqual(expect.any(String));
        }
      }
    });
  });

  describe('text that is not well-formed Unicode', () => {
    it.each<[string, string, string, Body]>([
      ['a rule reply', '/rules', 'responseText', { ...rule, responseText: 'Hi \ud800' }],
      ['a rule name', '/rules', 'name', { ...rule, name: 'Ship \udc00 it' }],
      ['a keyword', '/rules', 'keywords.0', { ...rule, keywords: ['\ud83d'] }],
      ['a template name', '/templates', 'name', { ...template, name: 'x\ud800' }],
      ['a template text', '/templates', 'text', { ...template, text: '\udfff' }],
      [
        'a quick reply',
        '/templates',
        'quickReplies.0.title',
        { ...template, quickReplies: [{ title: '\ud800', payload: 'P' }] },
      ],
      ['a field name', '/templates', 'na\ud800me', { ...template, 'na\ud800me': 'x' }],
    ])('is refused in %s, naming the field', (_what, path, field, body) =>
      expectRefused('post', under(path), body, field, /well-formed Unicode/),
    );

    it('is refused in an account’s display name and fallback reply', async () => {
      await expectRefused('put', under(''), { displayName: 'Shop \ud800' }, 'displayName', /well-formed Unicode/);
      await expectRefused('put', under(''), { fallbackResponse: '\udbff' }, 'fallbackResponse', /well-formed Unicode/);
    });

    it('is refused as bytes that are not UTF-8', async () => {
      const before = await snapshotDatabase(t.dataSource);
      const res = await rawRequest(server, {
        method: 'PUT',
        path: under(''),
        headers: { Authorization: `Bearer ${t.env.ADMIN_API_TOKEN}`, 'Content-Type': 'application/json' },
        chunks: [Buffer.concat([Buffer.from('{"displayName":"Shop '), Buffer.from([0xc3, 0x28]), Buffer.from('"}')])],
      });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text)).toMatchObject({
        error: 'validation_failed',
        message: expect.stringMatching(/UTF-8/),
      });
      expect(changedTables(before, await snapshotDatabase(t.dataSource))).toEqual([]);
    });

    it('keeps well-formed text of every plane as it was sent', async () => {
      const name = 'Emoji 😀 RTL \u200f مرحبا NUL \u0000 end';
      const created = await api()
        .post(under('/rules'), { ...rule, name, keywords: ['😀'] })
        .expect(201);
      expect(
        (
          await api()
            .get(under(`/rules/${created.body.id}`))
            .expect(200)
        ).body,
      ).toMatchObject({
        name,
        keywords: ['😀'],
      });
      await api()
        .delete(under(`/rules/${created.body.id}`))
        .expect(204);
    });
  });

  describe('lengths, counted as the database counts them (code points)', () => {
    it.each<[string, 'post' | 'put', string, Body, string]>([
      ['an account’s display name', 'put', '', { displayName: HUNDRED_AND_ONE_CODE_POINTS }, 'displayName'],
      ['a rule name', 'post', '/rules', { ...rule, name: HUNDRED_AND_ONE_CODE_POINTS }, 'name'],
      ['a template name', 'post', '/templates', { ...template, name: HUNDRED_AND_ONE_CODE_POINTS }, 'name'],
    ])('refuses 101 code points in %s', (_what, method, path, body, field) =>
      expectRefused(method, under(path), body, field),
    );

    it('stores 100 code points, emoji included, and reads them back unchanged', async () => {
      const account = await api().put(under(''), { displayName: HUNDRED_CODE_POINTS }).expect(200);
      expect(account.body.displayName).toBe(HUNDRED_CODE_POINTS);
      const created = await api()
        .post(under('/rules'), { ...rule, name: HUNDRED_CODE_POINTS })
        .expect(201);
      expect(
        (
          await api()
            .get(under(`/rules/${created.body.id}`))
            .expect(200)
        ).body.name,
      ).toBe(HUNDRED_CODE_POINTS);
      const named = await api()
        .post(under('/templates'), { ...template, name: HUNDRED_CODE_POINTS })
        .expect(201);
      expect(
        (
          await api()
            .get(under(`/templates/${named.body.id}`))
            .expect(200)
        ).body.name,
      ).toBe(HUNDRED_CODE_POINTS);
    });

    it('refuses lists whose items each fit but which together overflow their column', async () => {
      await expectRefused(
        'post',
        under('/rules'),
        {
          ...rule,
          keywords: Array.from({ length: 100 }, (_, i) => `${'😀'.repeat(198)}${String(i).padStart(2, '0')}`),
        },
        'keywords',
      );
      await expectRefused(
        'post',
        under('/templates'),
        {
          ...template,
          quickReplies: Array.from({ length: 13 }, () => ({ title: 'x', payload: '\u0000'.repeat(1000) })),
        },
        'quickReplies',
      );
      const card = {
        title: 'Card',
        imageUrl: `https://example.com/${'i'.repeat(1900)}`,
        defaultActionUrl: `https://example.com/${'d'.repeat(1900)}`,
        buttons: Array.from({ length: 3 }, () => ({
          type: 'web_url',
          title: 'Go',
          url: `https://example.com/${'u'.repeat(1900)}`,
        })),
      };
      await expectRefused('post', under('/templates'), { ...template, elements: Array(10).fill(card) }, 'elements');
    });
  });

  it('refuses a list where an object is expected', () => expectRefused('post', under('/rules'), [rule], 'body'));
});
