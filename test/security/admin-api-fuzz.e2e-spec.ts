/**
 * A property-based fuzzer over the OpenAPI document: every admin operation
 * it lists gets requests that are valid but for one thing. In turn, a field of
 * the body (or a nested one) is left out, null, of the wrong type, empty,
 * huge (over every limit the document declares), odd Unicode (NUL, lone
 * surrogates, RTL marks, 4-byte emoji), or joined by an unknown field; or a
 * path id, the query string or a header is malformed. Whatever it sends:
 *
 * - no answer is a 5xx;
 * - every 4xx has the error shape, and a validation error names the field;
 * - nothing in the database changed after a 4xx.
 *
 * The operations and their fields come from the document, so a new route or
 * field is fuzzed as it appears. Each field meets each kind of bad value on
 * every run; random requests follow, bounded for `npm test` with a fixed
 * seed: `FUZZ_RUNS=500` goes deeper, `FUZZ_SEED=<n>` explores elsewhere (a
 * failure prints the seed and path that replay it).
 */
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import fc from 'fast-check';
import { resolveSchema } from '@openapi/schema-examples';
import { createTestAccount } from '../support/accounts';
import { adminClient } from '../support/admin-client';
import { type DatabaseSnapshot, changedTables, snapshotDatabase } from '../support/database-snapshot';
import { eventually } from '../support/eventually';
import { FakeGraphApi } from '../support/fake-graph-api';
import { fastEvents } from '../support/fast-events';
import { fastMessaging } from '../support/fast-messaging';
import { customerMessage } from '../support/instagram-events';
import { CUSTOMER_IGSID } from '../support/meta-fixtures';
import { type ApiOperation, fetchApiDocument, fillPath, operationsOf } from '../support/openapi';
import { rawRequest, type RawResponse } from '../support/raw-http';
import { startTestApp, type TestApp } from '../support/test-app';
import { postWebhook } from '../support/webhook-sender';

type Json = Record<string, unknown>;
type Schema = Parameters<typeof resolveSchema>[1];

/** Random requests per operation, after the ones every run makes (`everyKindOnce`). */
const RUNS = Number(process.env.FUZZ_RUNS ?? 16);
const FUZZ_TIMEOUT_MS = 180_000;
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_201);
/**
 * The admin operations, read from openapi.json so that each is a test of its
 * own (test/contract keeps the file equal to what the service serves).
 */
const OPERATIONS = operationsOf(JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8'))).filter(
  (operation) => operation.secured,
);

/** A field of the body, by its path (`quickReplies.0.title`), and the schema the document gives it. */
interface Field {
  path: string[];
  schema: Json;
}

/** One way a request is spoiled. */
type Spoiling =
  | { in: 'body'; field: string[]; value: unknown; leftOut?: false }
  | { in: 'body'; field: string[]; leftOut: true }
  | { in: 'body-extra'; at: string[]; name: string; value: unknown }
  | { in: 'path'; parameter: string; raw: string }
  | { in: 'query'; raw: string }
  | { in: 'headers'; headers: Record<string, string>; body?: Buffer };

const ODD_TEXT = [
  '\u0000',
  'nul\u0000inside',
  '\ud800',
  'lone \udfff low',
  '\ud83d',
  '\u200f\u202eRTL override',
  '😀😀😀',
  '\u{10FFFF}',
  'e\u0301\uFE0F',
  '{{name}} {{order}}',
  '   ',
  '\n\r\t',
];

const MALFORMED_IDS = [
  '%ZZ',
  '%E0%A4%A',
  '%00',
  '..',
  '%2E%2E%2F%2E%2E',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-7fff-bfff-ffffffffffff',
  "1'%20OR%20'1'%3D'1",
  'x'.repeat(2000),
  '%F0%9F%98%80',
  '%ED%A0%80',
];

const MALFORMED_QUERIES = [
  '%ZZ=1',
  'limit=-1',
  'limit=0',
  'limit=201',
  'limit=abc',
  'limit=1e2',
  'limit=',
  'limit=1&limit=2',
  'limit[]=1',
  'limit[a]=1',
  'cursor=',
  'cursor=%FF%FE',
  'cursor=WyJ4Il0',
  'cursor=bm90IGpzb24',
  `cursor=${'A'.repeat(500)}`,
  'validate=maybe',
  'unknown=1',
  '&&&==&',
  '%E0%A4%A=%E0%A4%A',
];

const MALFORMED_HEADERS: Array<{ headers: Record<string, string>; body?: Buffer }> = [
  { headers: { 'Content-Type': 'application/json; charset=latin1' } },
  { headers: { 'Content-Type': 'application/json; charset=utf-16' } },
  { headers: { 'Content-Type': 'text/plain' } },
  { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: Buffer.from('a=1&b=2') },
  { headers: { 'Content-Type': 'multipart/form-data; boundary=x' }, body: Buffer.from('--x--') },
  { headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' } },
  { headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'compress' } },
  { headers: { 'Content-Type': 'application/json' }, body: Buffer.from('{"unterminated": ') },
  { headers: { 'Content-Type': 'application/json' }, body: Buffer.from('"just a string"') },
  { headers: { 'Content-Type': 'application/json' }, body: Buffer.from('[1, 2, 3]') },
  { headers: { 'Content-Type': 'application/json' }, body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) },
  { headers: { 'X-Request-Id': 'x'.repeat(300) } },
  { headers: { 'X-Request-Id': '../../etc/passwd' } },
  { headers: { 'X-Request-Id': '' } },
  { headers: { Accept: 'text/html' } },
  { headers: { Accept: 'application/xml;q=0.9, */*;q=0' } },
];

/** Every field of an example body, nested ones included, with the schema of each. */
function fieldsOf(document: OpenAPIObject, value: unknown, schema: Schema, path: string[] = []): Field[] {
  const resolved = resolveSchema(document, schema) as Json;
  const own: Field[] = path.length > 0 ? [{ path, schema: resolved }] : [];
  if (Array.isArray(value) && resolved.items) {
    return [
      ...own,
      ...value.flatMap((item, i) => fieldsOf(document, item, resolved.items as Schema, [...path, String(i)])),
    ];
  }
  if (typeof value === 'object' && value !== null && resolved.properties) {
    const properties = resolved.properties as Record<string, Schema>;
    return [
      ...own,
      ...Object.keys(properties).flatMap((name) =>
        fieldsOf(document, (value as Json)[name], properties[name], [...path, name]),
      ),
    ];
  }
  return own;
}

/** The body schema to take fields from: a `oneOf` of shapes over one object (the send-message body) gives that object. */
function bodyObjectSchema(document: OpenAPIObject, schema: Schema): Schema {
  const resolved = resolveSchema(document, schema) as Json;
  const shapes = resolved.oneOf as Array<{ allOf?: Schema[] }> | undefined;
  return shapes?.[0]?.allOf?.[0] ?? schema;
}

/** Values over every limit the document declares for the field, and beside it. */
function hugeValuesFor(schema: Json): unknown[] {
  const length = Math.max(Number(schema.maxLength ?? 0), 1000) + 1;
  const items = Math.max(Number(schema.maxItems ?? 0), 100) + 1;
  return [
    'x'.repeat(length),
    '😀'.repeat(length),
    '\u0000'.repeat(length),
    'é'.repeat(300_000),
    Array.from({ length: items }, () => 'x'),
    Array.from({ length: items }, () => ({ title: 'x', payload: 'y' })),
    Number(schema.maximum ?? 0) + 1,
    Number(schema.minimum ?? 0) - 1,
    Number.MAX_SAFE_INTEGER * 16,
    1.5,
    -0,
  ];
}

/** A value nested `depth` levels deep, of objects or of objects and lists in turn. */
function nested(depth: number, lists = true): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = lists && level % 2 ? [value] : { deeper: value };
  return value;
}

/** Deep enough to overflow a recursive reader at some layer: where exactly depends on the frames per level. */
const DEEP_VALUES = [1500, 2000, 3000].flatMap((depth) => [nested(depth), nested(depth, false)]);

/** The arbitrary of spoilings of one operation, given its example body's fields. */
function spoilings(operation: ApiOperation, fields: Field[]): fc.Arbitrary<Spoiling> {
  const options: Array<fc.Arbitrary<Spoiling>> = [];
  if (fields.length > 0) {
    const field = fc.constantFrom(...fields);
    const wrongValue = field.chain(({ path, schema }) =>
      fc
        .oneof(
          fc.constant(null),
          fc.oneof(fc.integer(), fc.double(), fc.boolean()),
          fc.constantFrom([], [null], [[]], [{}], {}, { nested: { deeper: true } }, [1, 'two']),
          fc.constant(''),
          fc.constantFrom(...hugeValuesFor(schema)),
          fc.constantFrom(...ODD_TEXT),
          fc.string({ unit: 'binary', maxLength: 40 }),
          fc.string({ unit: fc.constantFrom('\ud800', '\udc00', 'a', '\u0000', '😀'), maxLength: 12 }),
          fc.jsonValue({ maxDepth: 3 }),
          fc.constantFrom(nested(40), ...DEEP_VALUES),
        )
        .map((value): Spoiling => ({ in: 'body', field: path, value })),
    );
    options.push(
      wrongValue,
      field.map(({ path }): Spoiling => ({ in: 'body', field: path, leftOut: true })),
    );
    const objects = fields.filter(({ schema }) => schema.type === 'object').map(({ path }) => path);
    options.push(
      fc
        .record({
          at: fc.constantFrom<string[]>([], ...objects),
          name: fc.oneof(
            fc.constantFrom('__proto__', 'constructor', 'id', 'accountId', 'isAdmin', 'na\ud800me', ''),
            fc.string({ minLength: 1, maxLength: 12 }),
          ),
          value: fc.jsonValue({ maxDepth: 2 }),
        })
        .map((extra): Spoiling => ({ in: 'body-extra', ...extra })),
    );
  }
  if (operation.params.length > 0) {
    options.push(
      fc
        .record({
          parameter: fc.constantFrom(...operation.params),
          raw: fc.oneof(
            fc.constantFrom(...MALFORMED_IDS),
            fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).map(encodeURIComponent),
            fc.uuid().map(String),
          ),
        })
        .map((path): Spoiling => ({ in: 'path', ...path })),
    );
  }
  options.push(
    fc
      .oneof(
        fc.constantFrom(...MALFORMED_QUERIES),
        fc.string({ unit: 'binary-ascii', maxLength: 30 }),
        fc.string({ unit: 'binary', maxLength: 20 }).map((s) => `limit=${encodeURIComponent(s)}`),
      )
      .map((raw): Spoiling => ({ in: 'query', raw })),
  );
  options.push(fc.constantFrom(...MALFORMED_HEADERS).map((bad): Spoiling => ({ in: 'headers', ...bad })));
  return fc.oneof(...options);
}

/**
 * The spoilings every run tries before the random ones, so that each field
 * meets each kind of bad value whatever the seed: null, left out, a number,
 * an empty and a huge string, a lone surrogate, deep nesting; an unknown
 * field; and a few malformed path ids, queries and headers.
 */
function everyKindOnce(operation: ApiOperation, fields: Field[]): Spoiling[] {
  const body: Spoiling[] = fields.flatMap(({ path, schema }): Spoiling[] => [
    { in: 'body', field: path, value: null },
    { in: 'body', field: path, leftOut: true },
    { in: 'body', field: path, value: 12345 },
    { in: 'body', field: path, value: '' },
    { in: 'body', field: path, value: hugeValuesFor(schema)[0] },
    { in: 'body', field: path, value: 'lone \ud800 surrogate' },
  ]);
  const firstField = fields.find(({ path }) => path.length === 1);
  if (firstField) {
    body.push(
      ...DEEP_VALUES.map((value): Spoiling => ({ in: 'body', field: firstField.path, value })),
      { in: 'body-extra', at: [], name: 'unknownField', value: 'x' },
      { in: 'body-extra', at: [], name: '__proto__', value: { isAdmin: true } },
    );
  }
  return [
    ...body,
    ...operation.params.flatMap((parameter): Spoiling[] =>
      ['%ZZ', '%ED%A0%80', 'x'.repeat(2000)].map((raw) => ({ in: 'path', parameter, raw })),
    ),
    ...['%ZZ=1', 'limit=abc', 'limit=1&limit=2', 'cursor=%FF%FE'].map((raw): Spoiling => ({ in: 'query', raw })),
    ...MALFORMED_HEADERS.slice(0, 11).map((bad): Spoiling => ({ in: 'headers', ...bad })),
  ];
}

/** A deep copy of the body with the field at `path` set to `value` (or deleted). */
function withField(body: unknown, path: string[], change: { value: unknown } | 'left out'): unknown {
  const copy = structuredClone(body) as Json;
  let parent: Json = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof parent[key] !== 'object' || parent[key] === null) parent[key] = {};
    parent = parent[key] as Json;
  }
  const last = path[path.length - 1];
  if (change === 'left out') delete parent[last];
  else Object.defineProperty(parent, last, { value: change.value, enumerable: true, writable: true });
  return copy;
}

/** The field a validation error must name, for a spoiling of one. */
function fieldNamed(spoiling: Spoiling): string | null {
  if (spoiling.in === 'body') return spoiling.field.join('.');
  if (spoiling.in === 'body-extra') return [...spoiling.at, spoiling.name].join('.');
  return null;
}

/** Two field paths that are the same, or one within the other. */
const related = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

describe('the admin API under fuzzing', () => {
  let fake: FakeGraphApi;
  let t: TestApp;
  let document: OpenAPIObject;
  const api = () => adminClient(t);

  beforeAll(async () => {
    fake = await FakeGraphApi.start();
    // No event is delivered (the examples' endpoints are names that do not resolve): the tables change only by request.
    const noEventDeliveries = fastEvents({ maxClaimed: 0 });
    t = await startTestApp({ GRAPH_API_BASE_URL: fake.baseUrl }, undefined, (builder) =>
      noEventDeliveries(fastMessaging()(builder)),
    );
    await t.app.listen(0, '127.0.0.1');
    document = (await fetchApiDocument(t.app.getHttpServer())).raw as unknown as OpenAPIObject;
    expect(OPERATIONS.length).toBeGreaterThanOrEqual(20);
  });

  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  /**
   * Waits until background work (the outbox, profile lookups) has stopped
   * changing the database: unchanged over several polls in a row, since on a
   * busy machine one call to the fake Graph API can outlast a single poll.
   */
  async function settledSnapshot(): Promise<DatabaseSnapshot> {
    const QUIET_POLLS = 6;
    let previous = await snapshotDatabase(t.dataSource);
    let quiet = 0;
    for (let attempt = 0; attempt < 300; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 40));
      const current = await snapshotDatabase(t.dataSource);
      quiet = changedTables(previous, current).length === 0 ? quiet + 1 : 0;
      if (quiet === QUIET_POLLS) return current;
      previous = current;
    }
    throw new Error('the database did not settle');
  }

  /** A fresh account with one of everything a path can name, so every operation has valid ids. */
  async function freshIds(): Promise<Record<string, string>> {
    const igUserId = `17843${randomInt(10 ** 9, 10 ** 10)}`;
    const { account, credentials } = await createTestAccount(t.app, { igUserId });
    const accountId = account.id;
    await postWebhook(
      t.app.getHttpServer(),
      `/webhooks/instagram/${accountId}`,
      customerMessage({ igUserId, customer: CUSTOMER_IGSID, text: 'Hello' }),
      credentials.appSecret,
    ).expect(200);
    const ruleId = (
      await api()
        .post(`/accounts/${accountId}/rules`, { name: 'r', matchType: 'word', keywords: ['k'], responseText: 'ok' })
        .expect(201)
    ).body.id;
    const templateId = (
      await api()
        .post(`/accounts/${accountId}/templates`, { name: 'order_shipped', text: 'Order {{order}} ships' })
        .expect(201)
    ).body.id;
    const conversationId = (await api().get(`/accounts/${accountId}/conversations`).expect(200)).body.items[0].id;
    const messageId = (await api().get(`/accounts/${accountId}/conversations/${conversationId}/messages`).expect(200))
      .body.items[0].id;
    const endpointId = (
      await api()
        .post('/event-endpoints', { url: 'https://crm.example.com/hooks', events: ['*'] })
        .expect(201)
    ).body.id;
    const deliveryId = (await api().post(`/event-endpoints/${endpointId}/test`).expect(202)).body.id;
    // Meta holds no conversation of the account: the job ends at once, before anything is compared.
    const jobId = (await api().post(`/accounts/${accountId}/backfill`, {}).expect(202)).body.id;
    await eventually(
      async () => (await api().get(`/accounts/${accountId}/backfill/${jobId}`)).body.status,
      (status) => status === 'completed',
    );
    return { accountId, ruleId, templateId, conversationId, messageId, endpointId, deliveryId, jobId };
  }

  function send(operation: ApiOperation, ids: Record<string, string>, example: unknown, spoiling: Spoiling) {
    let body: unknown = example;
    if (spoiling.in === 'body') {
      body = withField(example, spoiling.field, spoiling.leftOut ? 'left out' : { value: spoiling.value });
    } else if (spoiling.in === 'body-extra') {
      body = withField(example, [...spoiling.at, spoiling.name], { value: spoiling.value });
    }
    const path =
      spoiling.in === 'path'
        ? operation.path.replace(/\{([^}]+)\}/g, (_m, name: string) =>
            name === spoiling.parameter ? spoiling.raw : encodeURIComponent(ids[name]),
          )
        : fillPath(operation, ids);
    // Node's client sends only printable ASCII in a request line: anything else goes percent-encoded, while
    // malformed escapes (`%ZZ`) stay as they are.
    const query = spoiling.in === 'query' ? `?${spoiling.raw.replace(/[^\x21-\x7e]|#/g, encodeURIComponent)}` : '';
    const headers: Record<string, string> = {
      Authorization: `Bearer ${t.env.ADMIN_API_TOKEN}`,
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(spoiling.in === 'headers' ? spoiling.headers : {}),
    };
    const bytes =
      spoiling.in === 'headers' && spoiling.body
        ? spoiling.body
        : body !== undefined
          ? Buffer.from(JSON.stringify(body))
          : undefined;
    return rawRequest(t.app.getHttpServer(), {
      method: operation.method.toUpperCase(),
      path: `${path}${query}`,
      // A length, for a GET or DELETE too: without one Node sends their body unframed.
      headers: bytes ? { ...headers, 'Content-Length': String(bytes.length) } : headers,
      chunks: bytes ? [bytes] : [],
    });
  }

  function expectWellFormedRefusal(res: RawResponse, spoiling: Spoiling): void {
    const answer = JSON.parse(res.text) as Json;
    expect(answer).toEqual({
      statusCode: res.status,
      error: expect.stringMatching(/^[a-z_]+$/),
      message: expect.any(String),
      requestId: res.headers['x-request-id'],
      ...(answer.fields !== undefined ? { fields: expect.any(Object) } : {}),
    });
    if (answer.error !== 'validation_failed' || spoiling.in === 'headers') return;
    // A body that is not UTF-8 or not an object has no field to name; anything else names one.
    const named = Object.keys((answer.fields ?? {}) as Json);
    expect({ message: answer.message, named: named.length > 0 }).toEqual({ message: answer.message, named: true });
    const field = fieldNamed(spoiling);
    if (field !== null) {
      expect({ field, named: named.some((name) => related(name, field)) }).toEqual({ field, named: true });
    }
  }

  it.each(OPERATIONS.map((operation, index) => [operation.operationId, operation, index] as const))(
    '%s answers bad input with a 4xx that names the field, and changes nothing',
    async (_name, operation, index) => {
      const example = operation.bodyExample;
      const fields = operation.bodySchema
        ? fieldsOf(document, example, bodyObjectSchema(document, operation.bodySchema))
        : [];
      const everyKind = everyKindOnce(operation, fields);
      const ids = await freshIds();
      let before = await settledSnapshot();
      await fc.assert(
        fc.asyncProperty(spoilings(operation, fields), async (spoiling) => {
          const res = await send(operation, ids, example, spoiling);
          const where = `${operation.operationId}: ${JSON.stringify(spoiling).slice(0, 300)}`;
          expect({ where, status: res.status, body: res.status >= 500 ? res.text : '' }).toEqual({
            where,
            status: expect.any(Number),
            body: '',
          });
          if (res.status >= 400) {
            expectWellFormedRefusal(res, spoiling);
            const after = await snapshotDatabase(t.dataSource);
            expect({ where, changed: changedTables(before, after) }).toEqual({ where, changed: [] });
          } else {
            before = await settledSnapshot();
          }
        }),
        {
          seed: SEED + index,
          // fast-check counts the examples among the runs.
          numRuns: everyKind.length + RUNS,
          endOnFailure: true,
          examples: everyKind.map((spoiling) => [spoiling]),
        },
      );
    },
    // Every accepted request waits for the database to settle: on a busy machine that adds up.
    FUZZ_TIMEOUT_MS,
  );
});
