/**
 * The OpenAPI document as an integrator's generated client reads it: what
 * the service serves at /docs-json is the checked-in openapi.json, and each
 * thing a client generator, a linter or a strict validator stumbled over
 * stays fixed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { resolveSchema } from '@openapi/schema-examples';
import { type ApiDocument, fetchApiDocument } from '../support/openapi';
import { startTestApp, type TestApp } from '../support/test-app';

type Schema = Record<string, unknown>;
type Document = ApiDocument['raw'];

const CHECKED_IN = join(__dirname, '..', '..', 'openapi.json');

/** Every schema object in the document, each with where it is. */
function* schemasIn(value: unknown, at = '#'): Generator<[string, Schema]> {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* schemasIn(item, `${at}/${i}`);
    return;
  }
  const object = value as Schema;
  if (typeof object.type === 'string' || object.properties || object.allOf || object.oneOf) yield [at, object];
  for (const [key, child] of Object.entries(object)) {
    if (key !== 'example' && key !== 'examples') yield* schemasIn(child, `${at}/${key}`);
  }
}

describe('the OpenAPI document', () => {
  let t: TestApp;
  let api: ApiDocument;
  let document: Document;
  const schemas = () => (document.components as { schemas: Record<string, Schema> }).schemas;
  const operation = (method: string, path: string) =>
    (document.paths as Record<string, Record<string, Schema>>)[path][method];
  const property = (schema: string, name: string) => (schemas()[schema].properties as Record<string, Schema>)[name];

  beforeAll(async () => {
    t = await startTestApp();
    api = await fetchApiDocument(t.app.getHttpServer());
    document = api.raw;
  });

  afterAll(() => t.close());

  it('served at /docs-json is openapi.json as checked in (run `npm run openapi` after changing the API)', () => {
    expect(document).toEqual(JSON.parse(readFileSync(CHECKED_IN, 'utf8')));
  });

  it('names a server and an opaque bearer token', () => {
    expect(document.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect((document.components as { securitySchemes: Record<string, Schema> }).securitySchemes).toEqual({
      'admin-token': { type: 'http', scheme: 'bearer', description: expect.any(String) },
    });
  });

  it('gives every operation a stable camelCase id, a tag, and `{accountId}` for the account', () => {
    const ids = api.operations.map((o) => operation(o.method, o.path).operationId as string);
    expect(ids.every((id) => /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['createAccount', 'listConversations', 'sendMessage']));
    for (const o of api.operations) {
      expect({ op: `${o.method} ${o.path}`, tags: operation(o.method, o.path).tags }).toEqual({
        op: `${o.method} ${o.path}`,
        tags: [expect.any(String)],
      });
      if (o.path.startsWith('/accounts/')) expect(o.params[0]).toBe('accountId');
    }
  });

  it('declares strings that may be null as nullable strings, not objects', () => {
    for (const schema of ['CreateAccountDto', 'UpdateAccountDto']) {
      for (const name of ['displayName', 'fallbackResponse']) {
        expect(property(schema, name)).toMatchObject({ type: 'string', nullable: true });
      }
    }
  });

  it('includes null in the enum of every nullable enum', () => {
    expect(property('MessageResponseDto', 'status').enum).toContain(null);
    expect(property('MessageResponseDto', 'origin').enum).toContain(null);
    for (const [at, schema] of schemasIn(document)) {
      if (schema.nullable && Array.isArray(schema.enum))
        expect({ at, enum: schema.enum }).toEqual({ at, enum: expect.arrayContaining([null]) });
    }
  });

  it('has no defaults on bodies: a generator would make those properties required', () => {
    // Only query parameters keep theirs (`limit`), which generators leave optional.
    const withDefault = Object.entries(schemas()).flatMap(([name, schema]) =>
      Object.entries((schema.properties ?? {}) as Record<string, Schema>)
        .filter(([, value]) => value.default !== undefined)
        .map(([propertyName]) => `${name}.${propertyName}`),
    );
    expect(withDefault).toEqual([]);
    expect(property('CreateRuleDto', 'priority').description).toMatch(/0 when left out/);
    expect(property('UpdateRuleDto', 'priority').description).not.toMatch(/when left out/);
  });

  it('types whole numbers as integers', () => {
    expect([...schemasIn(document)].filter(([, schema]) => schema.type === 'number').map(([at]) => at)).toEqual([]);
    expect(property('CreateRuleDto', 'priority').type).toBe('integer');
    expect(property('MessageResponseDto', 'attempts').type).toBe('integer');
  });

  it('states that objects have exactly their documented properties, and the rules the server enforces', () => {
    const open = [...schemasIn(document)].filter(
      ([, schema]) => schema.type === 'object' && schema.properties && schema.additionalProperties === undefined,
    );
    expect(open.map(([at]) => at).filter((at) => !at.includes('/allOf/'))).toEqual([]);
    expect(property('CreateAccountDto', 'username').pattern).toEqual(expect.any(String));
    expect(property('CreateAccountDto', 'accessToken')).toMatchObject({ minLength: 1, maxLength: 2048 });
    expect(property('CreateTemplateDto', 'quickReplies')).toMatchObject({ maxItems: 13 });
    expect(property('CreateRuleDto', 'keywords')).toMatchObject({ minItems: 1, maxItems: 100 });
  });

  it('lets the pause body be left out, and the send-message body take exactly one recipient and one content', () => {
    const pause = operation('post', '/accounts/{accountId}/conversations/{conversationId}/pause');
    expect((pause.requestBody as Schema).required).toBe(false);
    const send = operation('post', '/accounts/{accountId}/messages');
    const body = ((send.requestBody as Schema).content as Record<string, Schema>)['application/json'].schema as Schema;
    expect((body.oneOf as Schema[]).map((shape) => shape.required)).toEqual([
      ['recipientId', 'text'],
      ['recipientId', 'templateName'],
      ['recipientId', 'attachment'],
      ['recipientId', 'sticker'],
      ['recipientUsername', 'text'],
      ['recipientUsername', 'templateName'],
      ['recipientUsername', 'attachment'],
      ['recipientUsername', 'sticker'],
    ]);
  });

  it('reports an open-ended pause as automationPausedIndefinitely, beside a nullable automationPausedUntil', () => {
    expect(property('ConversationResponseDto', 'automationPausedUntil')).toMatchObject({ nullable: true });
    expect(property('ConversationResponseDto', 'automationPausedIndefinitely')).toMatchObject({ type: 'boolean' });
  });

  it('documents the error codes of each operation under their status, with 413, 429, 500 and 503 where they happen', () => {
    const responses = (document.components as { responses: Record<string, Schema> }).responses;
    const codesOf = (method: string, path: string, status: string) => {
      const ref = (operation(method, path).responses as Record<string, { $ref: string }>)[status]?.$ref;
      const response = responses[ref?.replace('#/components/responses/', '') ?? ''];
      const schema = (response.content as Record<string, Schema>)['application/json'].schema as Schema;
      return ((schema.allOf as Schema[])[1].properties as Record<string, Schema>).error.enum;
    };
    expect(codesOf('get', '/accounts/{accountId}/rules/{ruleId}', '404')).toEqual([
      'account_not_found',
      'rule_not_found',
    ]);
    expect(codesOf('post', '/accounts/{accountId}/messages', '422')).toEqual([
      'recipient_not_found',
      'outside_messaging_window',
    ]);
    expect(codesOf('post', '/accounts', '400')).toEqual(['validation_failed', 'bad_request']);
    for (const o of api.operations) {
      const statuses = Object.keys(operation(o.method, o.path).responses as Schema);
      expect(statuses).toEqual(expect.arrayContaining(['401', '429', '500', '503']));
      if (o.method === 'post' || o.method === 'put') expect(statuses).toEqual(expect.arrayContaining(['413']));
      expect(codesOf(o.method, o.path, '429')).toEqual(['too_many_requests']);
    }
  });

  it('declares X-Request-Id on every answer, and Retry-After on a 429', () => {
    const responses = (document.components as { responses: Record<string, Schema> }).responses;
    for (const o of api.operations) {
      for (const [status, answer] of Object.entries(operation(o.method, o.path).responses as Record<string, Schema>)) {
        const resolved = typeof answer.$ref === 'string' ? responses[answer.$ref.split('/').pop()!] : answer;
        expect({ op: `${o.method} ${o.path} ${status}`, headers: Object.keys(resolved.headers as Schema) }).toEqual({
          op: `${o.method} ${o.path} ${status}`,
          headers: expect.arrayContaining(['X-Request-Id', ...(status === '429' ? ['Retry-After'] : [])]),
        });
      }
    }
  });

  it('has an example of every request body and answer, and of every property', () => {
    for (const o of api.operations) {
      const op = operation(o.method, o.path);
      const media = [
        ...Object.values(((op.requestBody as Schema | undefined)?.content ?? {}) as Record<string, Schema>),
        ...Object.entries(op.responses as Record<string, Schema>)
          .filter(([status]) => status.startsWith('2') && status !== '204')
          .map(([, answer]) => (answer.content as Record<string, Schema>)['application/json']),
      ];
      for (const type of media) {
        expect({ op: op.operationId, example: type.example ?? type.examples }).toEqual({
          op: op.operationId,
          example: expect.anything(),
        });
      }
    }
    const withoutExample = Object.entries(schemas()).flatMap(([name, schema]) =>
      Object.entries((schema.properties ?? {}) as Record<string, Schema>)
        .filter(([, value]) => {
          const resolved = resolveSchema(document as never, value as never) as Schema;
          return resolved.example === undefined && resolved.type !== 'array' && resolved.type !== 'object';
        })
        .map(([propertyName]) => `${name}.${propertyName}`),
    );
    expect(withoutExample).toEqual([]);
  });

  it('is the same document for every deployment', async () => {
    const other = await startTestApp({ PUBLIC_BASE_URL: 'https://elsewhere.example' });
    try {
      expect((await request(other.app.getHttpServer()).get('/docs-json').expect(200)).body).toEqual(document);
    } finally {
      await other.close();
    }
  });
});
