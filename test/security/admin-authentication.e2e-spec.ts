/**
 * The admin API's bearer token, attacked: every way of presenting something
 * other than `Authorization: Bearer $ADMIN_API_TOKEN` is a 401 (each from its
 * own client address, so the failure throttle does not get in the way), the
 * comparison is constant-time (checked at the unit level, never by timing),
 * and the throttle blocks an address after 20 failures across every admin
 * route, after which even the right token from it answers 429.
 */
import crypto from 'node:crypto';
import type { Server } from 'node:http';
import type { ExecutionContext } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import { ADMIN_LOGIN_LIMITS, AdminAuthGuard, MAX_FAILED_ATTEMPTS } from '@http/admin-api/admin-auth.guard';
import { FailedLoginThrottle } from '@http/admin-api/failed-login-throttle';
import { DomainError } from '@common/domain-error';
import { newId } from '@common/ids';
import type { Environment } from '@config/environment';
import { isValidSignature } from '@webhooks/signature';
import type { TestAccount } from '../support/accounts';
import { changedTables, snapshotDatabase } from '../support/database-snapshot';
import { ACCOUNT_A_IG_USER_ID, fixtureBytes } from '../support/meta-fixtures';
import { captureProcessOutput, type ObservedTestApp, startObservedTestApp } from '../support/observed-app';
import { type ApiOperation, fetchApiDocument, fillPath } from '../support/openapi';
import { rawRequest } from '../support/raw-http';
import {
  createAccountWithRandomSecrets,
  databaseHaystacks,
  randomServiceSecrets,
  responseHaystacks,
  secretsOfRun,
} from '../support/secret-audit';
import { changeAt, findLeaks, randomSecret } from '../support/secret-scan';
import { signBody } from '../support/webhook-sender';

type Headers = Record<string, string>;

/** What `work` threw; undefined when it returned. */
function thrownBy(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  return undefined;
}

interface Presentation {
  name: string;
  /** Headers and query string that carry (or fail to carry) the token. */
  present: (token: string) => { headers?: Headers; query?: string };
  status: 200 | 401;
}

const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

const PRESENTATIONS: Presentation[] = [
  // Refused: 401 with `WWW-Authenticate: Bearer`.
  { name: 'no Authorization header', present: () => ({}), status: 401 },
  { name: 'an empty Authorization header', present: () => ({ headers: { Authorization: '' } }), status: 401 },
  { name: '"Bearer" without a token', present: () => ({ headers: { Authorization: 'Bearer' } }), status: 401 },
  {
    name: 'a wrong token of the same length',
    present: (t) => ({ headers: { Authorization: `Bearer ${randomSecret(t.length)}` } }),
    status: 401,
  },
  {
    name: 'the token with its first character changed',
    present: (t) => ({ headers: { Authorization: `Bearer ${changeAt(t, 0)}` } }),
    status: 401,
  },
  {
    name: 'the token with its last character changed',
    present: (t) => ({ headers: { Authorization: `Bearer ${changeAt(t, -1)}` } }),
    status: 401,
  },
  {
    name: 'the token without its last character',
    present: (t) => ({ headers: { Authorization: `Bearer ${t.slice(0, -1)}` } }),
    status: 401,
  },
  {
    name: 'the token with one character more',
    present: (t) => ({ headers: { Authorization: `Bearer ${t}x` } }),
    status: 401,
  },
  {
    name: 'the token in another case',
    present: (t) => ({
      headers: { Authorization: `Bearer ${t.toUpperCase() === t ? t.toLowerCase() : t.toUpperCase()}` },
    }),
    status: 401,
  },
  { name: 'the token twice', present: (t) => ({ headers: { Authorization: `Bearer ${t} ${t}` } }), status: 401 },
  { name: 'the token in quotes', present: (t) => ({ headers: { Authorization: `Bearer "${t}"` } }), status: 401 },
  { name: 'a colon after "Bearer"', present: (t) => ({ headers: { Authorization: `Bearer: ${t}` } }), status: 401 },
  {
    name: 'a tab between "Bearer" and the token',
    present: (t) => ({ headers: { Authorization: `Bearer\t${t}` } }),
    status: 401,
  },
  { name: 'the bare token without a scheme', present: (t) => ({ headers: { Authorization: t } }), status: 401 },
  { name: 'the "Token" scheme', present: (t) => ({ headers: { Authorization: `Token ${t}` } }), status: 401 },
  {
    name: 'Basic auth with the token as password',
    present: (t) => ({ headers: { Authorization: basic(`admin:${t}`) } }),
    status: 401,
  },
  {
    name: 'Basic auth with the token as user name',
    present: (t) => ({ headers: { Authorization: basic(`${t}:`) } }),
    status: 401,
  },
  { name: 'the token in ?access_token=', present: (t) => ({ query: `access_token=${t}` }), status: 401 },
  { name: 'the token in ?token=', present: (t) => ({ query: `token=${t}` }), status: 401 },
  { name: 'the token in X-API-Key', present: (t) => ({ headers: { 'X-API-Key': t } }), status: 401 },
  { name: 'the token in a cookie', present: (t) => ({ headers: { Cookie: `token=${t}` } }), status: 401 },
  {
    name: 'an 8 KiB bearer',
    present: () => ({ headers: { Authorization: `Bearer ${'A'.repeat(8192)}` } }),
    status: 401,
  },
  // Accepted: the scheme is case-insensitive (RFC 7235 §2.1) and followed by one or more spaces (RFC 6750 §2.1).
  { name: 'Bearer and the token', present: (t) => ({ headers: { Authorization: `Bearer ${t}` } }), status: 200 },
  { name: 'the scheme in lowercase', present: (t) => ({ headers: { Authorization: `bearer ${t}` } }), status: 200 },
  { name: 'the scheme in uppercase', present: (t) => ({ headers: { Authorization: `BEARER ${t}` } }), status: 200 },
  {
    name: 'several spaces before the token',
    present: (t) => ({ headers: { Authorization: `Bearer    ${t}` } }),
    status: 200,
  },
  { name: 'spaces after the token', present: (t) => ({ headers: { Authorization: `Bearer ${t}   ` } }), status: 200 },
];

describe('admin API authentication', () => {
  let t: ObservedTestApp;
  let a: TestAccount;
  let server: Server;
  let operations: ApiOperation[];
  let stopCapture: () => void;
  /** Each client of this file connects from a loopback address of its own (127.0.0.2, 127.0.0.3, ...). */
  let clients = 0;
  const nextClient = () => {
    clients += 1;
    return `127.0.${Math.floor(clients / 250)}.${(clients % 250) + 2}`;
  };

  beforeAll(async () => {
    stopCapture = captureProcessOutput();
    t = await startObservedTestApp(randomServiceSecrets());
    await t.app.listen(0, '127.0.0.1');
    server = t.app.getHttpServer();
    a = await createAccountWithRandomSecrets(t.app, { igUserId: ACCOUNT_A_IG_USER_ID });
    operations = (await fetchApiDocument(server)).operations.filter((o) => o.secured);
  });

  afterAll(async () => {
    await t?.close();
    stopCapture?.();
  });

  /** A request to an admin route (ids made up where the route has some), from `client`. */
  function call(operation: ApiOperation, client: string, headers: Headers = {}, query = '') {
    const ids = Object.fromEntries(operation.params.map((name) => [name, newId()]));
    const path = `${fillPath(operation, ids)}${query ? `?${query}` : ''}`;
    return rawRequest(server, { method: operation.method.toUpperCase(), path, headers, localAddress: client });
  }

  describe('ways of presenting the token', () => {
    it('covers every way listed, refused and accepted', () => {
      expect(PRESENTATIONS.filter((p) => p.status === 401).length).toBeGreaterThanOrEqual(20);
      expect(PRESENTATIONS.filter((p) => p.status === 200).length).toBeGreaterThanOrEqual(4);
    });

    it.each(PRESENTATIONS.map((p) => [p.name, p.status, p] as const))(
      '%s → %i',
      async (_name, status, presentation) => {
        const { headers = {}, query = '' } = presentation.present(t.env.ADMIN_API_TOKEN);
        const list = operations.find((o) => o.method === 'get' && o.path === '/accounts') as ApiOperation;
        const res = await call(list, nextClient(), headers, query);

        expect(res.status).toBe(status);
        if (status === 401) {
          expect(JSON.parse(res.text)).toEqual({
            statusCode: 401,
            error: 'unauthorized',
            message: expect.any(String),
            requestId: expect.any(String),
          });
          expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
          expect(res.text).not.toContain(a.account.id);
        } else {
          expect(JSON.parse(res.text).items.map((item: { id: string }) => item.id)).toEqual([a.account.id]);
        }
      },
    );

    it('refuses a wrong token on every admin route the API documents, changing nothing', async () => {
      expect(operations.length).toBeGreaterThanOrEqual(15);
      const before = await snapshotDatabase(t.dataSource);
      for (const operation of operations) {
        const res = await call(operation, nextClient(), {
          Authorization: `Bearer ${changeAt(t.env.ADMIN_API_TOKEN, 0)}`,
        });
        expect({ route: `${operation.method} ${operation.path}`, status: res.status }).toEqual({
          route: `${operation.method} ${operation.path}`,
          status: 401,
        });
      }
      expect(changedTables(before, await snapshotDatabase(t.dataSource))).toEqual([]);
    });
  });

  describe('the comparison of secrets is constant-time', () => {
    const TOKEN = randomSecret(48);
    let compare: jest.SpyInstance;

    beforeEach(() => {
      compare = jest.spyOn(crypto, 'timingSafeEqual');
    });

    afterEach(() => compare.mockRestore());

    const guard = () =>
      new AdminAuthGuard(
        { get: () => TOKEN } as unknown as ConfigService<Environment, true>,
        new FailedLoginThrottle(ADMIN_LOGIN_LIMITS),
      );
    const contextFor = (authorization: string) =>
      ({
        switchToHttp: () => ({
          getRequest: () => ({ headers: { authorization }, ip: '10.0.0.1' }),
          getResponse: () => ({ setHeader: () => undefined }),
        }),
      }) as unknown as ExecutionContext;

    /** Every comparison went through one timingSafeEqual of equal-length inputs: no early exit on the first difference. */
    const expectOneConstantTimeComparison = () => {
      expect(compare).toHaveBeenCalledTimes(1);
      const [left, right] = compare.mock.calls[0] as [Buffer, Buffer];
      expect(left.length).toBe(right.length);
    };

    it.each([
      ['its first character', changeAt(TOKEN, 0)],
      ['its last character', changeAt(TOKEN, -1)],
      ['its length (one character short)', TOKEN.slice(0, -1)],
      ['its length (much longer)', TOKEN.repeat(3)],
    ])('the admin guard refuses a token differing in %s, through the same comparison', async (_where, presented) => {
      const refusal = thrownBy(() => guard().canActivate(contextFor(`Bearer ${presented}`)));
      expect(refusal).toBeInstanceOf(DomainError);
      expect(refusal).toMatchObject({ code: 'unauthorized' });
      expectOneConstantTimeComparison();
    });

    it('the admin guard accepts the token through that same comparison', async () => {
      expect(guard().canActivate(contextFor(`Bearer ${TOKEN}`))).toBe(true);
      expectOneConstantTimeComparison();
    });

    it.each([
      ['first', 0],
      ['last', 63],
    ])('the webhook signature check refuses a digest differing in its %s hex digit, in one comparison', (_where, i) => {
      const body = fixtureBytes('text-message');
      const digest = signBody(body, TOKEN).slice('sha256='.length);
      const wrong = `${digest.slice(0, i)}${digest[i] === '0' ? '1' : '0'}${digest.slice(i + 1)}`;
      expect(isValidSignature(body, `sha256=${wrong}`, TOKEN)).toBe(false);
      expectOneConstantTimeComparison();
      compare.mockClear();
      expect(isValidSignature(body, `sha256=${digest}`, TOKEN)).toBe(true);
      expectOneConstantTimeComparison();
    });
  });

  describe('throttling of failed logins', () => {
    it(`blocks an address after ${MAX_FAILED_ATTEMPTS} failures on any admin routes, the right token too`, async () => {
      const client = nextClient();
      const wrong = { Authorization: `Bearer ${changeAt(t.env.ADMIN_API_TOKEN, 5)}` };
      const right = { Authorization: `Bearer ${t.env.ADMIN_API_TOKEN}` };
      const listAccounts = operations.find((o) => o.method === 'get' && o.path === '/accounts') as ApiOperation;
      // The failures are spread over the routes of every module: they all count in one place.
      const routes = operations.filter((o) => o.path !== '/accounts');
      for (let i = 0; i < MAX_FAILED_ATTEMPTS; i++) {
        expect((await call(routes[i % routes.length], client, wrong)).status).toBe(401);
      }

      const blocked = await call(listAccounts, client, wrong);
      expect(blocked.status).toBe(429);
      expect(JSON.parse(blocked.text)).toMatchObject({ statusCode: 429, error: 'too_many_requests' });
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);
      // Any failure stays blocked, whatever it claims to be forwarded for.
      expect((await call(routes[0], client, {})).status).toBe(429);
      expect((await call(listAccounts, client, { ...wrong, 'X-Forwarded-For': '203.0.113.7' })).status).toBe(429);

      // A blocked address is refused before its token is looked at: a guess that is right learns nothing.
      expect((await call(listAccounts, client, right)).status).toBe(429);
      // Other clients are not affected.
      expect((await call(listAccounts, nextClient(), right)).status).toBe(200);
      expect((await call(listAccounts, nextClient(), wrong)).status).toBe(401);
      // Meta's deliveries and health checks from that address do not use the admin token and go on working.
      const body = fixtureBytes('text-message');
      const delivery = await rawRequest(server, {
        path: `/webhooks/instagram/${a.account.id}`,
        headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signBody(body, a.credentials.appSecret) },
        chunks: [body],
        localAddress: client,
      });
      expect(delivery.status).toBe(200);
      expect((await rawRequest(server, { method: 'GET', path: '/health/live', localAddress: client })).status).toBe(
        200,
      );
    });
  });

  describe('secrets', () => {
    it('never wrote a secret of this run, whole or in part, to the log, a response or the database', async () => {
      const secrets = secretsOfRun(t.env, [{ name: 'A', credentials: a.credentials }]);
      expect(t.log.length).toBeGreaterThan(10_000);
      const haystacks = [
        { where: 'log', text: t.log.text() },
        ...responseHaystacks(t.responses),
        ...(await databaseHaystacks(t.dataSource)),
      ];
      expect(findLeaks(haystacks, secrets)).toEqual([]);
    });
  });
});
