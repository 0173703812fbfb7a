/**
 * Hostile and malformed input on Meta's webhook route, classified.
 *
 * Part 1, the refused corpus: every input is refused with a 4xx (never a
 * 5xx, never a hang) and leaves every table exactly as it was. Bodies are
 * signed with the account's app secret over the exact bytes sent, unless the
 * case is about the signature (then the signature is what is wrong).
 *
 * Part 2, the accepted classes: inputs a sender holding the app secret may
 * send that are *not* refused, each with what the SPEC says happens to them:
 * - "kept raw": a valid Instagram envelope whose items are garbage. The SPEC
 *   says an event the service does not understand is kept raw, never
 *   dropped: 200, one journal row, each item stored once as an unknown
 *   (`other`) message or an unroutable event, and no reply queued;
 * - "stored verbatim": valid messages whose text is SQL, HTML, NUL bytes...
 *   200, and the text is stored exactly as sent;
 * - "times": far-future and negative timestamps (see `epochToDate`);
 * - "framing": the content type is not what authenticates a delivery, and a
 *   body of exactly 1 MiB is within the limit.
 */
import { createHash, createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { signBody } from '../support/webhook-sender';
import type { TestAccount } from '../support/accounts';
import { changedTables, rowCountDelta, snapshotDatabase, tableNames } from '../support/database-snapshot';
import { FakeGraphApi } from '../support/fake-graph-api';
import { ACCOUNT_A_IG_USER_ID, ACCOUNT_B_IG_USER_ID, CUSTOMER_IGSID, fixtureBytes } from '../support/meta-fixtures';
import { captureProcessOutput, type ObservedTestApp, startObservedTestApp } from '../support/observed-app';
import { rawRequest } from '../support/raw-http';
import {
  createAccountWithRandomSecrets,
  databaseHaystacks,
  randomServiceSecrets,
  responseHaystacks,
  secretsOfRun,
} from '../support/secret-audit';
import { findLeaks } from '../support/secret-scan';

type Row = Record<string, unknown>;

const MiB = 1024 * 1024;
const A = ACCOUNT_A_IG_USER_ID;
const CUSTOMER = CUSTOMER_IGSID;
const FALLBACK = 'Thanks, we will get back to you.';
/** Recent enough that the 24-hour window is open, so a reply would be due for a real message. */
const NOW = Date.now();
const LAST_STORABLE_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

// ---------------------------------------------------------------------------------------------
// Bodies

const toBytes = (body: Buffer | string): Buffer => (Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'));

const textItem = (mid: string, text: unknown, timestamp: unknown = NOW) => ({
  sender: { id: CUSTOMER },
  recipient: { id: A },
  timestamp,
  message: { mid, text },
});

/** A delivery for account A carrying `messaging` items (or whatever `messaging` is set to). */
const delivery = (messaging: unknown, entry: Row = {}): string =>
  JSON.stringify({ object: 'instagram', entry: [{ id: A, time: NOW, messaging, ...entry }] });

const VALID = delivery([textItem('m-valid', 'hello')]);

/** A valid delivery whose message text is made of these exact bytes (to place invalid UTF-8 or NUL bytes). */
function withTextBytes(bytes: number[] | Buffer): Buffer {
  const [before, after] = delivery([textItem('m-bytes', '@@TEXT@@')]).split('@@TEXT@@');
  return Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]);
}

/** `envelope` with a top-level padding field that makes the body exactly `size` bytes. */
function paddedTo(size: number, envelope: Row): string {
  const base = JSON.stringify({ ...envelope, padding: '' }).length;
  const body = JSON.stringify({ ...envelope, padding: 'x'.repeat(size - base) });
  if (Buffer.byteLength(body) !== size) throw new Error('padding arithmetic is off');
  return body;
}

const nestedArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const nestedObjects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const messageWithContent = (content: string) =>
  `{"object":"instagram","entry":[{"id":"${A}","time":${NOW},"messaging":[{"sender":{"id":"${CUSTOMER}"},"recipient":{"id":"${A}"},"timestamp":${NOW},"message":${content}}]}]}`;

/** n copies of a JSON value as a list: `[v,v,v]`. */
const repeated = (value: string, n: number) => `[${Array(n).fill(value).join(',')}]`;

// ---------------------------------------------------------------------------------------------
// Part 1: the refused corpus

type RefusedClass =
  | 'not JSON'
  | 'not an Instagram notification'
  | 'malformed entry'
  | 'nested too deep'
  | 'signature missing or wrong'
  | 'no such account in the path'
  | 'body too large'
  | 'content encoding'
  | 'wrong method';

interface Context {
  server: Server;
  route: string;
  a: TestAccount;
  b: TestAccount;
}

interface Answer {
  status: number;
  text: string;
  headers: Record<string, unknown>;
}

interface RefusedInput {
  name: string;
  class: RefusedClass;
  status: 400 | 403 | 404 | 413 | 415;
  send: (ctx: Context) => Promise<Answer>;
}

type Headers = Record<string, string | string[]>;

function post(
  ctx: Context,
  path: string,
  body: Buffer | string,
  headers: Headers,
  method: 'post' | 'put' | 'patch' | 'delete' = 'post',
) {
  let req = request(ctx.server)[method](path).timeout({ deadline: 20_000 });
  for (const [name, value] of Object.entries(headers)) req = req.set(name, value as string);
  return req.serialize((data: unknown) => data as string).send(toBytes(body));
}

/** Sent as Meta sends: JSON content type, signed with account A's app secret over the exact bytes. */
const signed =
  (body: Buffer | string, headers: Headers = {}) =>
  (ctx: Context) =>
    post(ctx, ctx.route, body, {
      'Content-Type': 'application/json',
      'X-Hub-Signature-256': signBody(toBytes(body), ctx.a.credentials.appSecret),
      ...headers,
    });

/** A valid body for account A with the signature headers this case is about. */
const signedWith =
  (headers: (ctx: Context, body: Buffer) => Headers, body: Buffer | string = VALID) =>
  (ctx: Context) =>
    post(ctx, ctx.route, body, { 'Content-Type': 'application/json', ...headers(ctx, toBytes(body)) });

/** A valid, validly signed body for account A, posted to another path. */
const signedTo = (path: string) => (ctx: Context) =>
  post(ctx, path, VALID, {
    'Content-Type': 'application/json',
    'X-Hub-Signature-256': signBody(toBytes(VALID), ctx.a.credentials.appSecret),
  });

const hmac = (algorithm: 'sha1' | 'sha256', key: string, body: Buffer) =>
  createHmac(algorithm, key).update(body).digest('hex');
const validHex = (ctx: Context, body: Buffer) => hmac('sha256', ctx.a.credentials.appSecret, body);

const REFUSED: RefusedInput[] = [
  // Not JSON (RFC 8259: UTF-8 JSON text): 400, whatever the signature says.
  { name: 'empty body', class: 'not JSON', status: 400, send: signed('') },
  { name: 'plain text', class: 'not JSON', status: 400, send: signed('EVENT_RECEIVED') },
  { name: 'JSON cut off half-way', class: 'not JSON', status: 400, send: signed(VALID.slice(0, VALID.length / 2)) },
  { name: 'trailing bytes after the JSON', class: 'not JSON', status: 400, send: signed(`${VALID}garbage`) },
  { name: 'two JSON documents back to back', class: 'not JSON', status: 400, send: signed(`${VALID}${VALID}`) },
  { name: 'single-quoted keys and strings', class: 'not JSON', status: 400, send: signed(VALID.replace(/"/g, "'")) },
  { name: 'a comment inside', class: 'not JSON', status: 400, send: signed(VALID.replace('{', '{/* hi */')) },
  { name: 'a trailing comma', class: 'not JSON', status: 400, send: signed(VALID.replace(/}$/, ',}')) },
  {
    name: 'NaN as a timestamp',
    class: 'not JSON',
    status: 400,
    send: signed(VALID.replace(`"timestamp":${NOW}`, '"timestamp":NaN')),
  },
  {
    name: 'a UTF-8 byte order mark',
    class: 'not JSON',
    status: 400,
    send: signed(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), toBytes(VALID)])),
  },
  {
    name: 'invalid UTF-8 bytes in the text',
    class: 'not JSON',
    status: 400,
    send: signed(withTextBytes([0x48, 0xff, 0xfe, 0x69])),
  },
  {
    name: 'an overlong UTF-8 encoding of "/"',
    class: 'not JSON',
    status: 400,
    send: signed(withTextBytes([0xc0, 0xaf])),
  },
  {
    name: 'a UTF-16 surrogate encoded as UTF-8 (CESU)',
    class: 'not JSON',
    status: 400,
    send: signed(withTextBytes([0xed, 0xa0, 0x80])),
  },
  { name: 'a UTF-8 sequence cut short', class: 'not JSON', status: 400, send: signed(withTextBytes([0xe2, 0x82])) },
  {
    name: 'the whole body in UTF-16',
    class: 'not JSON',
    status: 400,
    send: signed(Buffer.from(VALID, 'utf16le'), { 'Content-Type': 'application/json; charset=utf-16le' }),
  },
  {
    name: 'a raw NUL byte inside a string',
    class: 'not JSON',
    status: 400,
    send: signed(withTextBytes([0x61, 0x00, 0x62])),
  },
  { name: 'a body of NUL bytes', class: 'not JSON', status: 400, send: signed(Buffer.alloc(64)) },
  {
    name: 'a raw line break inside a string',
    class: 'not JSON',
    status: 400,
    send: signed(withTextBytes(Buffer.from('line\nbreak'))),
  },
  {
    name: 'a form-encoded body',
    class: 'not JSON',
    status: 400,
    send: signed(`object=instagram&entry[0][id]=${A}`, { 'Content-Type': 'application/x-www-form-urlencoded' }),
  },
  {
    name: 'an XML body',
    class: 'not JSON',
    status: 400,
    send: signed('<object>instagram</object>', { 'Content-Type': 'application/xml' }),
  },

  // Valid JSON that is not an Instagram notification: 400.
  {
    name: 'the envelope wrapped in a list',
    class: 'not an Instagram notification',
    status: 400,
    send: signed(`[${VALID}]`),
  },
  { name: 'a JSON string', class: 'not an Instagram notification', status: 400, send: signed('"instagram"') },
  { name: 'a JSON number', class: 'not an Instagram notification', status: 400, send: signed('17841400000000001') },
  { name: 'JSON null', class: 'not an Instagram notification', status: 400, send: signed('null') },
  { name: 'JSON true', class: 'not an Instagram notification', status: 400, send: signed('true') },
  {
    name: 'an unknown object ("whatsapp_business_account")',
    class: 'not an Instagram notification',
    status: 400,
    send: signed(VALID.replace('"instagram"', '"whatsapp_business_account"')),
  },
  {
    name: 'object "Instagram" in another case',
    class: 'not an Instagram notification',
    status: 400,
    send: signed(VALID.replace('"instagram"', '"Instagram"')),
  },
  {
    name: 'object as a list',
    class: 'not an Instagram notification',
    status: 400,
    send: signed(VALID.replace('"instagram"', '["instagram"]')),
  },
  {
    name: 'object given twice, the last one "page"',
    class: 'not an Instagram notification',
    status: 400,
    send: signed(VALID.replace('"object":"instagram"', '"object":"instagram","object":"page"')),
  },
  {
    name: 'object only on __proto__',
    class: 'not an Instagram notification',
    status: 400,
    send: signed(VALID.replace('"object":"instagram"', '"__proto__":{"object":"instagram"}')),
  },
  {
    name: 'object only on constructor.prototype',
    class: 'not an Instagram notification',
    status: 400,
    send: signed(VALID.replace('"object":"instagram"', '"constructor":{"prototype":{"object":"instagram"}}')),
  },
  {
    name: 'exactly 1 MiB, but "object" is "page"',
    class: 'not an Instagram notification',
    status: 400,
    send: signed(paddedTo(MiB, { object: 'page', entry: [] })),
  },
  {
    name: 'entry missing (misspelt "entries")',
    class: 'not an Instagram notification',
    status: 400,
    send: signed(VALID.replace('"entry"', '"entries"')),
  },
  {
    name: 'entry only on __proto__',
    class: 'not an Instagram notification',
    status: 400,
    send: signed(VALID.replace('"entry":', '"__proto__":{"entry":').replace(/}$/, '}}')),
  },
  {
    name: 'entry as an object',
    class: 'not an Instagram notification',
    status: 400,
    send: signed(
      JSON.stringify({ object: 'instagram', entry: { id: A, time: NOW, messaging: [textItem('m-1', 'hi')] } }),
    ),
  },
  {
    name: 'entry as a string',
    class: 'not an Instagram notification',
    status: 400,
    send: signed(JSON.stringify({ object: 'instagram', entry: A })),
  },
  {
    name: 'entry null',
    class: 'not an Instagram notification',
    status: 400,
    send: signed('{"object":"instagram","entry":null}'),
  },

  // A list of entries with one that is not an entry: the envelope is not Meta's, 400 (nothing of it is stored).
  {
    name: 'an entry that is a number',
    class: 'malformed entry',
    status: 400,
    send: signed('{"object":"instagram","entry":[1]}'),
  },
  {
    name: 'an entry that is the account id as a bare string',
    class: 'malformed entry',
    status: 400,
    send: signed(`{"object":"instagram","entry":["${A}"]}`),
  },
  {
    name: 'an entry that is null',
    class: 'malformed entry',
    status: 400,
    send: signed('{"object":"instagram","entry":[null]}'),
  },
  {
    name: 'an entry that is a list',
    class: 'malformed entry',
    status: 400,
    send: signed(`{"object":"instagram","entry":[[{"id":"${A}"}]]}`),
  },
  {
    name: 'a valid entry followed by one without an id',
    class: 'malformed entry',
    status: 400,
    send: signed(
      JSON.stringify({
        object: 'instagram',
        entry: [{ id: A, time: NOW, messaging: [textItem('m-2', 'hi')] }, { time: NOW }],
      }),
    ),
  },
  {
    name: 'entry id as an object ({"$ne": null})',
    class: 'malformed entry',
    status: 400,
    send: signed(VALID.replace(`"id":"${A}"`, '"id":{"$ne":null}')),
  },
  {
    name: 'entry id as a list',
    class: 'malformed entry',
    status: 400,
    send: signed(VALID.replace(`"id":"${A}"`, `"id":["${A}"]`)),
  },
  {
    name: 'entry id as a boolean',
    class: 'malformed entry',
    status: 400,
    send: signed(VALID.replace(`"id":"${A}"`, '"id":true')),
  },
  {
    name: 'entry id empty',
    class: 'malformed entry',
    status: 400,
    send: signed(VALID.replace(`"id":"${A}"`, '"id":""')),
  },
  {
    name: 'entry id of 65 characters',
    class: 'malformed entry',
    status: 400,
    send: signed(VALID.replace(`"id":"${A}"`, `"id":"${'1'.repeat(65)}"`)),
  },
  {
    name: 'entry id as a JSON number beyond 2^53 (digits lost)',
    class: 'malformed entry',
    status: 400,
    send: signed(VALID.replace(`"id":"${A}"`, `"id":${A}`)),
  },
  {
    name: 'entry id negative',
    class: 'malformed entry',
    status: 400,
    send: signed(VALID.replace(`"id":"${A}"`, '"id":-1')),
  },
  {
    name: 'entry id fractional',
    class: 'malformed entry',
    status: 400,
    send: signed(VALID.replace(`"id":"${A}"`, '"id":1.5')),
  },
  {
    name: 'entry id only on __proto__',
    class: 'malformed entry',
    status: 400,
    send: signed(VALID.replace(`"id":"${A}"`, `"__proto__":{"id":"${A}"}`)),
  },
  {
    name: '100,000 entries that are numbers (within 1 MiB)',
    class: 'malformed entry',
    status: 400,
    send: signed(`{"object":"instagram","entry":${repeated('0', 100_000)}}`),
  },
  {
    name: '100,000 entries without an id (within 1 MiB)',
    class: 'malformed entry',
    status: 400,
    send: signed(`{"object":"instagram","entry":${repeated('{}', 100_000)}}`),
  },

  // Far deeper than any Meta body (about ten levels); refused before anything recurses over it.
  {
    name: '10,000 nested lists inside an entry',
    class: 'nested too deep',
    status: 400,
    send: signed(`{"object":"instagram","entry":[{"id":"${A}","messaging":${nestedArrays(10_000)}}]}`),
  },
  {
    name: '10,000 nested objects as a message',
    class: 'nested too deep',
    status: 400,
    send: signed(messageWithContent(nestedObjects(10_000))),
  },
  {
    name: '100,000 nested lists beside the envelope',
    class: 'nested too deep',
    status: 400,
    send: signed(VALID.replace(/}$/, `,"x":${nestedArrays(100_000)}}`)),
  },
  {
    name: 'one level past the limit of 64',
    class: 'nested too deep',
    status: 400,
    send: signed(messageWithContent(nestedObjects(60))),
  },

  // The signature authenticates the exact bytes with the account's app secret, nothing else: 403.
  {
    name: 'only a sha1 X-Hub-Signature',
    class: 'signature missing or wrong',
    status: 403,
    send: signedWith((ctx, body) => ({ 'X-Hub-Signature': `sha1=${hmac('sha1', ctx.a.credentials.appSecret, body)}` })),
  },
  {
    name: 'an empty signature',
    class: 'signature missing or wrong',
    status: 403,
    send: signedWith(() => ({ 'X-Hub-Signature-256': '' })),
  },
  {
    name: '"sha256=" without a digest',
    class: 'signature missing or wrong',
    status: 403,
    send: signedWith(() => ({ 'X-Hub-Signature-256': 'sha256=' })),
  },
  {
    name: 'the right digest cut to 63 hex digits',
    class: 'signature missing or wrong',
    status: 403,
    send: signedWith((ctx, body) => ({ 'X-Hub-Signature-256': `sha256=${validHex(ctx, body).slice(0, 63)}` })),
  },
  {
    name: 'the right digest with a 65th hex digit',
    class: 'signature missing or wrong',
    status: 403,
    send: signedWith((ctx, body) => ({ 'X-Hub-Signature-256': `sha256=${validHex(ctx, body)}0` })),
  },
  {
    name: 'the right digest in uppercase hex',
    class: 'signature missing or wrong',
    status: 403,
    send: signedWith((ctx, body) => ({ 'X-Hub-Signature-256': `sha256=${validHex(ctx, body).toUpperCase()}` })),
  },
  {
    name: 'the right digest with an uppercase "SHA256=" prefix',
    class: 'signature missing or wrong',
    status: 403,
    send: signedWith((ctx, body) => ({ 'X-Hub-Signature-256': `SHA256=${validHex(ctx, body)}` })),
  },
  {
    name: 'the right digest without the "sha256=" prefix',
    class: 'signature missing or wrong',
    status: 403,
    send: signedWith((ctx, body) => ({ 'X-Hub-Signature-256': validHex(ctx, body) })),
  },
  {
    name: 'a valid sha1 HMAC in the sha256 header',
    class: 'signature missing or wrong',
    status: 403,
    send: signedWith((ctx, body) => ({
      'X-Hub-Signature-256': `sha1=${hmac('sha1', ctx.a.credentials.appSecret, body)}`,
    })),
  },
  {
    name: 'the right signature sent twice',
    class: 'signature missing or wrong',
    status: 403,
    send: signedWith((ctx, body) => ({
      'X-Hub-Signature-256': [`sha256=${validHex(ctx, body)}`, `sha256=${validHex(ctx, body)}`],
    })),
  },
  {
    name: 'a wrong signature, then the right one',
    class: 'signature missing or wrong',
    status: 403,
    send: signedWith((ctx, body) => ({
      'X-Hub-Signature-256': [`sha256=${'0'.repeat(64)}`, `sha256=${validHex(ctx, body)}`],
    })),
  },
  {
    name: "another account's app secret",
    class: 'signature missing or wrong',
    status: 403,
    send: signedWith((ctx, body) => ({
      'X-Hub-Signature-256': `sha256=${hmac('sha256', ctx.b.credentials.appSecret, body)}`,
    })),
  },
  {
    name: 'keyed with the account’s verify token',
    class: 'signature missing or wrong',
    status: 403,
    send: signedWith((ctx, body) => ({
      'X-Hub-Signature-256': `sha256=${hmac('sha256', ctx.a.credentials.verifyToken, body)}`,
    })),
  },
  {
    name: 'keyed with the account’s access token',
    class: 'signature missing or wrong',
    status: 403,
    send: signedWith((ctx, body) => ({
      'X-Hub-Signature-256': `sha256=${hmac('sha256', ctx.a.credentials.accessToken, body)}`,
    })),
  },
  {
    name: 'keyed with an empty key',
    class: 'signature missing or wrong',
    status: 403,
    send: signedWith((_ctx, body) => ({ 'X-Hub-Signature-256': `sha256=${hmac('sha256', '', body)}` })),
  },
  {
    name: 'a plain SHA-256 of the body (no key)',
    class: 'signature missing or wrong',
    status: 403,
    send: signedWith((_ctx, body) => ({
      'X-Hub-Signature-256': `sha256=${createHash('sha256').update(body).digest('hex')}`,
    })),
  },
  {
    name: 'the signature of the body before a newline was appended',
    class: 'signature missing or wrong',
    status: 403,
    send: signedWith((ctx) => ({ 'X-Hub-Signature-256': `sha256=${validHex(ctx, toBytes(VALID))}` }), `${VALID}\n`),
  },
  {
    name: '64 characters that are not hex',
    class: 'signature missing or wrong',
    status: 403,
    send: signedWith(() => ({ 'X-Hub-Signature-256': `sha256=${'g'.repeat(64)}` })),
  },
  {
    name: 'a wrong signature on a body that is not JSON (checked first)',
    class: 'signature missing or wrong',
    status: 403,
    send: signedWith(() => ({ 'X-Hub-Signature-256': `sha256=${'0'.repeat(64)}` }), 'not json'),
  },

  // The account in the path must be an active account's id, literally: 404, nothing read or written.
  {
    name: "account id `'; DROP TABLE accounts; --`",
    class: 'no such account in the path',
    status: 404,
    send: signedTo(`/webhooks/instagram/${encodeURIComponent("'; DROP TABLE accounts; --")}`),
  },
  {
    name: 'account id `..%2F..%2Faccounts`',
    class: 'no such account in the path',
    status: 404,
    send: signedTo('/webhooks/instagram/..%2F..%2Faccounts'),
  },
  {
    name: 'account id `%2e%2e`',
    class: 'no such account in the path',
    status: 404,
    send: signedTo('/webhooks/instagram/%2e%2e'),
  },
  {
    name: "account id `1' OR '1'='1`",
    class: 'no such account in the path',
    status: 404,
    send: signedTo(`/webhooks/instagram/${encodeURIComponent("1' OR '1'='1")}`),
  },
  {
    name: 'the account id in uppercase',
    class: 'no such account in the path',
    status: 404,
    send: (ctx) => signedTo(`/webhooks/instagram/${ctx.a.account.id.toUpperCase()}`)(ctx),
  },
  {
    name: 'the account id followed by %00',
    class: 'no such account in the path',
    status: 404,
    send: (ctx) => signedTo(`/webhooks/instagram/${ctx.a.account.id}%00`)(ctx),
  },
  {
    name: 'the account id followed by a space',
    class: 'no such account in the path',
    status: 404,
    send: (ctx) => signedTo(`/webhooks/instagram/${ctx.a.account.id}%20`)(ctx),
  },
  {
    name: 'the Instagram user id instead of the account id',
    class: 'no such account in the path',
    status: 404,
    send: signedTo(`/webhooks/instagram/${A}`),
  },
  {
    name: 'an account id of 8,000 characters',
    class: 'no such account in the path',
    status: 404,
    send: signedTo(`/webhooks/instagram/${'a'.repeat(8000)}`),
  },
  {
    name: '?account_id= with a SQL string',
    class: 'no such account in the path',
    status: 404,
    send: signedTo(`/webhooks/instagram?account_id=${encodeURIComponent("x' OR 1=1 --")}`),
  },

  // The body limit is 1 MiB, counted on the bytes after any content decoding: 413.
  {
    name: '1 MiB + 1 byte',
    class: 'body too large',
    status: 413,
    send: signed(paddedTo(MiB + 1, { object: 'instagram', entry: [] })),
  },
  {
    name: '1 MiB + 1 byte, chunked without a Content-Length',
    class: 'body too large',
    status: 413,
    send: (ctx) => {
      const body = toBytes(paddedTo(MiB + 1, { object: 'instagram', entry: [] }));
      const chunks = Array.from({ length: 17 }, (_, i) => body.subarray(i * 65536, (i + 1) * 65536));
      return rawRequest(ctx.server, {
        path: ctx.route,
        headers: {
          'Content-Type': 'application/json',
          'X-Hub-Signature-256': signBody(body, ctx.a.credentials.appSecret),
        },
        chunks,
      });
    },
  },
  {
    name: 'a gzip bomb (20 KiB inflating to 20 MiB)',
    class: 'body too large',
    status: 413,
    send: signed(gzipSync(Buffer.alloc(20 * MiB, 0x20)), { 'Content-Encoding': 'gzip' }),
  },

  // Content encodings Meta never uses.
  {
    name: 'Content-Encoding gzip on bytes that are not gzip',
    class: 'content encoding',
    status: 400,
    send: signed(VALID, { 'Content-Encoding': 'gzip' }),
  },
  {
    name: 'Content-Encoding "compress" (unsupported)',
    class: 'content encoding',
    status: 415,
    send: signed(VALID, { 'Content-Encoding': 'compress' }),
  },

  // Only GET (handshake) and POST (deliveries) exist.
  ...(['put', 'patch', 'delete'] as const).map((method): RefusedInput => ({
    name: `${method.toUpperCase()} with a signed delivery`,
    class: 'wrong method',
    status: 404,
    send: (ctx) =>
      post(
        ctx,
        ctx.route,
        VALID,
        {
          'Content-Type': 'application/json',
          'X-Hub-Signature-256': signBody(toBytes(VALID), ctx.a.credentials.appSecret),
        },
        method,
      ),
  })),
];

// ---------------------------------------------------------------------------------------------
// Part 2: inputs that are accepted, in their classes

interface KeptRawInput {
  name: string;
  body: string;
  /** Rows the SPEC says this keeps: unknown items as `other` messages, unaddressable ones as unroutable events. */
  otherMessages: number;
  unroutable: number;
}

const KEPT_RAW: KeptRawInput[] = [
  { name: 'messaging as a string', body: delivery('not a list'), otherMessages: 0, unroutable: 1 },
  { name: 'messaging as an object', body: delivery(textItem('m-obj', 'hi')), otherMessages: 0, unroutable: 1 },
  {
    name: 'messaging items that are not objects',
    body: delivery([0, 'x', null, [], true, 1.5]),
    otherMessages: 0,
    unroutable: 6,
  },
  {
    name: 'an item without a sender',
    body: delivery([{ recipient: { id: A }, timestamp: NOW, message: { mid: 'm-ns', text: 'hi' } }]),
    otherMessages: 0,
    unroutable: 1,
  },
  {
    name: 'an item whose sender id is an object',
    body: delivery([{ ...textItem('m-so', 'hi'), sender: { id: { $gt: '' } } }]),
    otherMessages: 0,
    unroutable: 1,
  },
  {
    name: 'an item of a kind that does not exist',
    body: delivery([{ ...textItem('m-k', 'hi'), message: undefined, payment: { amount: 1 } }]),
    otherMessages: 1,
    unroutable: 0,
  },
  {
    name: 'a message without a mid',
    body: delivery([{ ...textItem('x', 'hi'), message: { text: 'no mid' } }]),
    otherMessages: 1,
    unroutable: 0,
  },
  {
    name: 'a message whose mid is 256 characters',
    body: delivery([textItem('m'.repeat(256), 'hi')]),
    otherMessages: 1,
    unroutable: 0,
  },
  {
    name: 'a message whose mid is a number',
    body: delivery([{ ...textItem('x', 'hi'), message: { mid: 42, text: 'hi' } }]),
    otherMessages: 1,
    unroutable: 0,
  },
  {
    name: 'a message only on __proto__',
    body: delivery([{ ...textItem('x', 'hi'), message: undefined }]).replace(
      `"timestamp":${NOW}}`,
      `"timestamp":${NOW},"__proto__":{"message":{"mid":"m-proto","text":"hi"}}}`,
    ),
    otherMessages: 1,
    unroutable: 0,
  },
  {
    name: 'a constructor.prototype key beside a message',
    body: delivery([{ ...textItem('x', 'hi'), message: undefined, constructor: { prototype: { polluted: 'yes' } } }]),
    otherMessages: 1,
    unroutable: 0,
  },
  {
    name: 'a message nested 64 levels deep (the limit)',
    body: messageWithContent(nestedObjects(59)),
    otherMessages: 1,
    unroutable: 0,
  },
  {
    name: 'changes that are not changes',
    body: delivery(undefined, { changes: [0, { field: 5 }, 'x'] }),
    otherMessages: 0,
    unroutable: 3,
  },
  {
    name: "1,000 garbage items (Meta's largest batch)",
    body: delivery(Array(1000).fill(0)),
    otherMessages: 0,
    unroutable: 1000,
  },
  {
    name: '1,000 entries for Instagram accounts nobody registered',
    body: `{"object":"instagram","entry":${repeated('{"id":1}', 1000)}}`,
    otherMessages: 0,
    unroutable: 1000,
  },
  {
    name: 'an entry for the account with nothing in it',
    body: `{"object":"instagram","entry":[{"id":"${A}"}]}`,
    otherMessages: 0,
    unroutable: 0,
  },
  { name: 'an empty list of entries', body: '{"object":"instagram","entry":[]}', otherMessages: 0, unroutable: 0 },
];

interface VerbatimInput {
  name: string;
  text: string;
  /** What is stored when it cannot be the text itself (only for unpaired surrogates, which UTF-8 cannot hold). */
  stored?: RegExp;
  /** The customer's IGSID, when the case is about that. */
  sender?: string;
  mid?: string;
}

const VERBATIM: VerbatimInput[] = [
  { name: 'SQL that drops a table', text: "'; DROP TABLE accounts; --" },
  { name: 'SQL that deletes every message', text: "Robert'); DELETE FROM messages; --" },
  { name: 'a SQL tautology', text: "1' OR '1'='1" },
  { name: 'a MySQL comment and backslash escapes', text: "\\'; SELECT 1 /*! UNION */ -- \\\\" },
  {
    name: 'a script and an event handler',
    text: '<script>alert(document.cookie)</script><img src=x onerror=alert(1)>',
  },
  { name: 'NUL characters (\\u0000)', text: 'before\u0000after\u0000' },
  { name: 'a response-splitting attempt', text: 'hi\r\nSet-Cookie: session=stolen\r\n\r\n<html>' },
  {
    name: 'template placeholders and a prototype walk',
    text: "{{username}} {{name}} {{constructor.constructor('return process')()}}",
  },
  { name: 'format strings', text: '%s%s%s%n %d ${process.env.ADMIN_API_TOKEN} `id`' },
  { name: 'a JSON body as text', text: VALID },
  {
    name: 'right-to-left override, zero-width joiners and astral characters',
    text: 'a\u202Egnp.exe \u200D\uD83D\uDC69\u200D\uD83D\uDCBB \uD834\uDD1E',
  },
  // UTF-8 cannot hold an unpaired surrogate: the drivers store replacement characters (MariaDB one, SQLite three).
  { name: 'an unpaired surrogate', text: 'x\uD800y', stored: /^x\uFFFD+y$/ },
  { name: '900 KB of text', text: 'word '.repeat(180_000) },
  { name: 'a sender id that is SQL', text: 'hi', sender: "1' OR '1'='1" },
  { name: 'a mid with quotes, angle brackets and a NUL', text: 'hi', mid: `m'"<b>\u0000;--` },
];

interface TimeInput {
  name: string;
  /** The item's `timestamp` and the entry's `time` as sent. */
  timestamp: unknown;
  entryTime?: unknown;
  /** Stored as a text message at this time, or kept raw (`other`, at its arrival) when null. */
  storedAt: number | null;
}

const TIMES: TimeInput[] = [
  { name: 'the last millisecond of 9999', timestamp: LAST_STORABLE_MS, storedAt: LAST_STORABLE_MS },
  { name: 'the year 10000 (beyond a DATETIME), with no entry time', timestamp: LAST_STORABLE_MS + 1, storedAt: null },
  {
    name: 'the year 10000, with a valid entry time',
    timestamp: LAST_STORABLE_MS + 1,
    entryTime: NOW - 1000,
    storedAt: NOW - 1000,
  },
  { name: 'seconds that reach the year 33658', timestamp: 999_999_999_999, storedAt: null },
  { name: 'beyond any JavaScript date', timestamp: 1e300, storedAt: null },
  { name: 'a negative timestamp, with no entry time', timestamp: -1, storedAt: null },
  { name: 'a negative timestamp and a negative entry time', timestamp: -86_400_000, entryTime: -1, storedAt: null },
  { name: 'a negative timestamp, with a valid entry time', timestamp: -1, entryTime: NOW - 2000, storedAt: NOW - 2000 },
  { name: 'an ISO-8601 date string', timestamp: '2026-01-01T00:00:00Z', storedAt: Date.UTC(2026, 0, 1) },
];

// ---------------------------------------------------------------------------------------------

describe('hostile webhook input', () => {
  let t: ObservedTestApp;
  let fake: FakeGraphApi;
  let a: TestAccount;
  let b: TestAccount;
  let ctx: Context;
  let stopCapture: () => void;
  let mids = 0;

  const count = async (table: string, where = '1 = 1', params: unknown[] = []) =>
    Number(((await t.dataSource.query(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`, params)) as Row[])[0].n);

  beforeAll(async () => {
    stopCapture = captureProcessOutput();
    fake = await FakeGraphApi.start();
    t = await startObservedTestApp({ GRAPH_API_BASE_URL: fake.baseUrl, ...randomServiceSecrets() });
    await t.app.listen(0, '127.0.0.1');
    // A fallback makes "no reply queued" mean something: any real customer message gets one.
    a = await createAccountWithRandomSecrets(t.app, { igUserId: A, fallbackResponse: FALLBACK });
    b = await createAccountWithRandomSecrets(t.app, { igUserId: ACCOUNT_B_IG_USER_ID });
    ctx = { server: t.app.getHttpServer(), route: `/webhooks/instagram/${a.account.id}`, a, b };
  });

  afterAll(async () => {
    await t?.close();
    await fake?.close();
    stopCapture?.();
  });

  describe('refused: every input answers its 4xx and changes no table', () => {
    it('holds at least 50 inputs, in every class', () => {
      expect(REFUSED.length).toBeGreaterThanOrEqual(50);
      expect(new Set(REFUSED.map((c) => c.name)).size).toBe(REFUSED.length);
      expect(new Set(REFUSED.map((c) => c.class)).size).toBe(9);
    });

    it.each(REFUSED.map((c) => [c.name, c.class, c.status, c] as const))(
      '%s (%s) → %i',
      async (_name, _class, status, input) => {
        const before = await snapshotDatabase(t.dataSource);
        const res = await input.send(ctx);
        const after = await snapshotDatabase(t.dataSource);

        expect(res.status).toBe(status);
        expect(changedTables(before, after)).toEqual([]);
        expect(after.counts).toEqual(before.counts);
        // One JSON error shape, and none of the payload echoed back.
        const body = JSON.parse(res.text) as Row;
        expect(body).toEqual(
          expect.objectContaining({ statusCode: status, error: expect.any(String), requestId: expect.any(String) }),
        );
        expect(res.text.length).toBeLessThan(512);
      },
    );

    it('left Object.prototype alone', () => {
      expect(Object.prototype).not.toHaveProperty('object');
      expect(Object.prototype).not.toHaveProperty('entry');
      expect(Object.prototype).not.toHaveProperty('id');
    });
  });

  describe('accepted and kept raw: a valid envelope around garbage (SPEC: unknown events are kept, not dropped)', () => {
    it.each(KEPT_RAW.map((c) => [c.name, c] as const))('%s → 200, kept once, no reply', async (_name, input) => {
      const before = await snapshotDatabase(t.dataSource);
      const otherBefore = await count('messages', "type = 'other' AND account_id = ?", [a.account.id]);
      const res = await signed(input.body)(ctx);

      expect(res.status).toBe(200);
      expect(res.text).toBe('EVENT_RECEIVED');
      const after = await snapshotDatabase(t.dataSource);
      const delta = rowCountDelta(before, after);
      expect(delta.webhook_deliveries).toBe(1);
      expect(delta.unroutable_events ?? 0).toBe(input.unroutable);
      expect((await count('messages', "type = 'other' AND account_id = ?", [a.account.id])) - otherBefore).toBe(
        input.otherMessages,
      );
      // Garbage is never a customer's message: nothing but the unknown items is stored, nothing is answered.
      expect(delta.messages ?? 0).toBe(input.otherMessages);
      expect(await count('messages', 'account_id = ?', [b.account.id])).toBe(0);

      // The journal keeps the body byte for byte.
      const sha = createHash('sha256').update(input.body).digest('hex');
      expect(await count('webhook_deliveries', 'body_sha256 = ? AND body = ?', [sha, input.body])).toBe(1);
      expect(Object.prototype).not.toHaveProperty('polluted');
      expect(Object.prototype).not.toHaveProperty('message');
    });

    it('keeps the unknown item itself, so nothing Meta sent is lost', async () => {
      const item = { sender: { id: CUSTOMER }, recipient: { id: A }, timestamp: NOW, payment: { amount: 12345 } };
      await signed(delivery([item]))(ctx).then((res) => expect(res.status).toBe(200));
      const rows = (await t.dataSource.query("SELECT metadata FROM messages WHERE type = 'other' AND metadata LIKE ?", [
        '%12345%',
      ])) as Row[];
      expect(rows).toHaveLength(1);
      expect(JSON.parse(String(rows[0].metadata)).raw).toEqual(item);
    });
  });

  describe('accepted and stored verbatim: valid messages whose text is hostile', () => {
    it.each(VERBATIM.map((c) => [c.name, c] as const))(
      '%s → 200, stored exactly, answered by the fallback',
      async (_name, input) => {
        const mid = input.mid ?? `m-verbatim-${(mids += 1)}`;
        // A customer of its own per case: one conversation answering them all would reach its automatic-reply limit.
        const sender = input.sender ?? `${CUSTOMER}${mids}`;
        const tablesBefore = await tableNames(t.dataSource);
        const before = await snapshotDatabase(t.dataSource);
        const body = delivery([{ ...textItem(mid, input.text), sender: { id: sender } }]);
        expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MiB);

        const res = await signed(body)(ctx);

        expect(res.status).toBe(200);
        const [message] = (await t.dataSource.query(
          "SELECT id, text, sender_id, type FROM messages WHERE account_id = ? AND mid = ? AND direction = 'inbound'",
          [a.account.id, mid],
        )) as Row[];
        expect(message).toMatchObject({ sender_id: sender, type: 'text' });
        if (input.stored) expect(message.text).toMatch(input.stored);
        else expect(message.text).toBe(input.text);
        // The reply is the account's fallback, untouched by what the customer wrote.
        const replies = (await t.dataSource.query('SELECT text FROM messages WHERE reply_to_message_id = ?', [
          message.id,
        ])) as Row[];
        expect(replies).toEqual([{ text: FALLBACK }]);
        // Every table is still there, and nothing but this delivery's rows changed.
        expect(await tableNames(t.dataSource)).toEqual(tablesBefore);
        const after = await snapshotDatabase(t.dataSource);
        expect(after.checksums.accounts).toBe(before.checksums.accounts);
        expect(after.counts.messages - before.counts.messages).toBe(2);
      },
    );
  });

  describe('times out of range: never a 5xx; kept with the entry time, or kept raw', () => {
    it.each(TIMES.map((c) => [c.name, c] as const))('%s', async (_name, input) => {
      const mid = `m-time-${(mids += 1)}`;
      const entry = input.entryTime === undefined ? { time: undefined } : { time: input.entryTime };
      const body = delivery([textItem(mid, 'what time is it', input.timestamp)], entry);
      const before = await snapshotDatabase(t.dataSource);
      const sentAt = Date.now();

      const res = await signed(body)(ctx);

      expect(res.status).toBe(200);
      const delta = rowCountDelta(before, await snapshotDatabase(t.dataSource));
      expect(delta.webhook_deliveries).toBe(1);
      if (input.storedAt !== null) {
        const [message] = (await t.dataSource.query(
          "SELECT type, occurred_at FROM messages WHERE account_id = ? AND mid = ? AND direction = 'inbound'",
          [a.account.id, mid],
        )) as Row[];
        expect(message.type).toBe('text');
        expect(new Date(message.occurred_at as string).getTime()).toBe(input.storedAt);
      } else {
        // Without a usable time it is not a message the service can place: kept raw, at its arrival, unanswered.
        expect(await count('messages', 'account_id = ? AND mid = ?', [a.account.id, mid])).toBe(0);
        expect(delta.messages).toBe(1);
        const [kept] = (await t.dataSource.query(
          "SELECT occurred_at FROM messages WHERE type = 'other' AND metadata LIKE ?",
          [`%${mid}%`],
        )) as Row[];
        expect(new Date(kept.occurred_at as string).getTime()).toBeGreaterThanOrEqual(sentAt - 1000);
        expect(new Date(kept.occurred_at as string).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
      }
    });
  });

  describe('framing: what authenticates a delivery is its signature, and 1 MiB is within the limit', () => {
    it.each(['text/plain', 'application/octet-stream', 'application/x-www-form-urlencoded', 'multipart/form-data'])(
      'a signed delivery sent as %s is stored like any other',
      async (contentType) => {
        const mid = `m-type-${(mids += 1)}`;
        const res = await signed(delivery([textItem(mid, 'hi')]), { 'Content-Type': contentType })(ctx);
        expect(res.status).toBe(200);
        expect(await count('messages', 'account_id = ? AND mid = ?', [a.account.id, mid])).toBe(1);
      },
    );

    it('stores a valid delivery of exactly 1 MiB', async () => {
      const mid = `m-mib-${(mids += 1)}`;
      const body = paddedTo(MiB, JSON.parse(delivery([textItem(mid, 'exactly one mebibyte')])) as Row);
      const res = await signed(body)(ctx);
      expect(res.status).toBe(200);
      expect(await count('messages', 'account_id = ? AND mid = ?', [a.account.id, mid])).toBe(1);
      const sha = createHash('sha256').update(body).digest('hex');
      expect(await count('webhook_deliveries', 'body_sha256 = ?', [sha])).toBe(1);
    });

    it('still stores a real fixture after all of the above (the service is unharmed)', async () => {
      const res = await signed(fixtureBytes('text-message'))(ctx);
      expect(res.status).toBe(200);
      expect(await count('accounts')).toBe(2);
    });
  });

  describe('secrets', () => {
    it('never wrote a secret of this run, whole or in part, to the log, a response or the database', async () => {
      const secrets = secretsOfRun(t.env, [
        { name: 'A', credentials: a.credentials },
        { name: 'B', credentials: b.credentials },
      ]);
      expect(t.log.length).toBeGreaterThan(10_000);
      expect(t.responses.length).toBeGreaterThan(REFUSED.length);
      const haystacks = [
        { where: 'log', text: t.log.text() },
        ...responseHaystacks(t.responses),
        ...(await databaseHaystacks(t.dataSource)),
      ];
      expect(findLeaks(haystacks, secrets)).toEqual([]);
    });
  });
});
