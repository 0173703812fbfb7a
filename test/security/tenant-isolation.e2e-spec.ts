/**
 * One account can never reach another's data.
 *
 * Admin API: every route the OpenAPI document lists under
 * `/accounts/{account}/...` with an id of its own (a rule, a conversation, a
 * template, a message...) is called under account A with an id that belongs
 * to account B: 404, and no table changes. The routes come from /docs-json,
 * so a route added later is covered (or fails here until this file knows how
 * to make one of B's ids for it).
 *
 * Webhooks: a delivery on account A's route, signed with A's app secret,
 * never creates or changes a row of account B, whatever entries it carries.
 */
import type { Server } from 'node:http';
import request from 'supertest';
import { signBody } from '../support/webhook-sender';
import { adminClient } from '../support/admin-client';
import type { TestAccount } from '../support/accounts';
import { accountRows, changedTables, snapshotDatabase } from '../support/database-snapshot';
import { eventually } from '../support/eventually';
import { FakeGraphApi } from '../support/fake-graph-api';
import { fastMessaging } from '../support/fast-messaging';
import {
  ACCOUNT_A_IG_USER_ID,
  ACCOUNT_B_IG_USER_ID,
  fixtureBytes,
  webhookFixtureNames,
} from '../support/meta-fixtures';
import { captureProcessOutput, type ObservedTestApp, startObservedTestApp } from '../support/observed-app';
import { type ApiDocument, type ApiOperation, fetchApiDocument, fillPath, sampleBody } from '../support/openapi';
import {
  createAccountWithRandomSecrets,
  databaseHaystacks,
  randomServiceSecrets,
  responseHaystacks,
  secretsOfRun,
} from '../support/secret-audit';
import { findLeaks } from '../support/secret-scan';
import { postWebhook } from '../support/webhook-sender';

type Row = Record<string, unknown>;

/** The same fixture, as Meta would send it for account B: every mention of A's Instagram id becomes B's. */
const forB = (name: string) =>
  Buffer.from(fixtureBytes(name).toString('utf8').split(ACCOUNT_A_IG_USER_ID).join(ACCOUNT_B_IG_USER_ID));
const entriesIn = (body: Buffer) => (JSON.parse(body.toString('utf8')) as { entry: unknown[] }).entry.length;

/** The table whose rows a path parameter names (`ruleId` → `response_rules`). */
const TABLE_OF_PARAMETER: Record<string, string> = {
  ruleId: 'response_rules',
  conversationId: 'conversations',
  templateId: 'message_templates',
  messageId: 'messages',
  jobId: 'backfill_jobs',
};

/** Waits until `read` gives the same answer twice in a row, so background work (profile lookups, the outbox) is done. */
async function settled<T>(read: () => Promise<T>): Promise<T> {
  let previous = JSON.stringify(await read());
  for (let attempt = 0; attempt < 50; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const current = await read();
    if (JSON.stringify(current) === previous) return current;
    previous = JSON.stringify(current);
  }
  throw new Error('the database did not settle within 5 seconds');
}

describe('tenant isolation', () => {
  let t: ObservedTestApp;
  let fake: FakeGraphApi;
  let a: TestAccount;
  let b: TestAccount;
  let server: Server;
  let api: ApiDocument;
  let stopCapture: () => void;
  /** Account B's ids, by table. */
  let idsOfB: Record<string, string[]> = {};

  const routeOf = (account: TestAccount) => `/webhooks/instagram/${account.account.id}`;
  const admin = () => adminClient(t);
  const bRows = () => accountRows(t.dataSource, b.account.id);

  beforeAll(async () => {
    stopCapture = captureProcessOutput();
    fake = await FakeGraphApi.start();
    // Profile lookups and the outbox within milliseconds, so that waiting for the database to settle is short.
    const env = { GRAPH_API_BASE_URL: fake.baseUrl, ...randomServiceSecrets() };
    t = await startObservedTestApp(env, undefined, fastMessaging());
    server = t.app.getHttpServer();
    a = await createAccountWithRandomSecrets(t.app, { igUserId: ACCOUNT_A_IG_USER_ID });
    b = await createAccountWithRandomSecrets(t.app, { igUserId: ACCOUNT_B_IG_USER_ID });
    api = await fetchApiDocument(server);

    // Account B's data: a conversation with a customer's message and the account's own echo, a rule, and
    // one of everything else the API lets an operator create under an account.
    for (const name of ['text-message', 'echo-message', 'image-attachment']) {
      await postWebhook(server, routeOf(b), forB(name), b.credentials.appSecret).expect(200);
    }
    await admin()
      .post(`/accounts/${b.account.id}/rules`, {
        name: 'B only',
        matchType: 'exact',
        keywords: ['b-secret-keyword'],
        responseText: 'B’s private answer',
      })
      .expect(201);
    const createTemplate = api.operations.find((o) => o.method === 'post' && /\/templates$/.test(o.path));
    if (createTemplate) {
      const body = sampleBody(api.raw, createTemplate.bodySchema) as Row;
      await admin()
        .post(fillPath(createTemplate, { [createTemplate.params[0]]: b.account.id }), {
          ...body,
          name: 'b-template',
          text: 'b-template-text {{name}}',
        })
        .expect(201);
    }
    // A backfill of B, done before anything is compared (Meta holds no conversation of B).
    const backfill = await admin().post(`/accounts/${b.account.id}/backfill`, {}).expect(202);
    await eventually(
      async () => (await admin().get(`/accounts/${b.account.id}/backfill/${backfill.body.id}`)).body.status,
      (status) => status === 'completed',
    );
    await settled(() => snapshotDatabase(t.dataSource));
    idsOfB = await idsByTable(b.account.id);
  });

  afterAll(async () => {
    await t?.close();
    await fake?.close();
    stopCapture?.();
  });

  async function idsByTable(accountId: string): Promise<Record<string, string[]>> {
    const byTable: Record<string, string[]> = {};
    for (const table of Object.values(TABLE_OF_PARAMETER)) {
      const rows = (await t.dataSource.query(`SELECT id FROM ${table} WHERE account_id = ? ORDER BY id`, [
        accountId,
      ])) as Row[];
      byTable[table] = rows.map((row) => String(row.id));
    }
    return byTable;
  }

  /** The operations under `/accounts/{account}/` that take ids of their own. */
  const scopedOperations = () =>
    api.operations.filter((o) => o.secured && o.path.startsWith('/accounts/{') && o.params.length >= 2);

  function send(operation: ApiOperation, path: string) {
    const body = sampleBody(api.raw, operation.bodySchema);
    const req = request(server)[operation.method](path).set('Authorization', `Bearer ${t.env.ADMIN_API_TOKEN}`);
    return body === undefined ? req : req.send(body as object);
  }

  describe('admin routes under /accounts/{id}/', () => {
    it('lists the scoped routes from the OpenAPI document, and has an id of B for each of their parameters', () => {
      const operations = scopedOperations();
      expect(operations.map((o) => `${o.method} ${o.path}`)).toEqual(
        expect.arrayContaining([
          'get /accounts/{accountId}/rules/{ruleId}',
          'put /accounts/{accountId}/rules/{ruleId}',
          'delete /accounts/{accountId}/rules/{ruleId}',
          'post /accounts/{accountId}/conversations/{conversationId}/pause',
          'post /accounts/{accountId}/conversations/{conversationId}/resume',
        ]),
      );
      for (const operation of operations) {
        for (const name of operation.params.slice(1)) {
          // A new kind of id: teach TABLE_OF_PARAMETER where account B's ids of that kind live.
          expect({ route: operation.path, parameter: name, known: name in TABLE_OF_PARAMETER }).toEqual({
            route: operation.path,
            parameter: name,
            known: true,
          });
          expect({ route: operation.path, parameter: name, idsOfB: idsOfB[TABLE_OF_PARAMETER[name]] }).toEqual({
            route: operation.path,
            parameter: name,
            idsOfB: [expect.any(String), ...idsOfB[TABLE_OF_PARAMETER[name]].slice(1)],
          });
        }
      }
    });

    it('answers 404 under account A for every id of account B, and changes nothing', async () => {
      const operations = scopedOperations();
      expect(operations.length).toBeGreaterThanOrEqual(5);
      let calls = 0;
      for (const operation of operations) {
        const [accountParam, ...idParams] = operation.params;
        // Every id of B of the kind the route's last parameter names (the others: B's first of their kind).
        const last = idParams[idParams.length - 1];
        for (const id of idsOfB[TABLE_OF_PARAMETER[last]]) {
          const values = Object.fromEntries(idParams.map((name) => [name, idsOfB[TABLE_OF_PARAMETER[name]][0]]));
          values[last] = id;
          const route = `${operation.method.toUpperCase()} ${operation.path} with ${last} ${id}`;
          const before = await snapshotDatabase(t.dataSource);

          const res = await send(operation, fillPath(operation, { [accountParam]: a.account.id, ...values }));

          calls += 1;
          expect({ route, status: res.status }).toEqual({ route, status: 404 });
          expect(res.body).toEqual(
            expect.objectContaining({ statusCode: 404, error: expect.stringMatching(/not_found$/) }),
          );
          expect({ route, changed: changedTables(before, await snapshotDatabase(t.dataSource)) }).toEqual({
            route,
            changed: [],
          });
        }
      }
      expect(calls).toBeGreaterThanOrEqual(operations.length);
    });

    it('shows B’s rows under B with the same ids (so the 404 under A is the scoping, not a bad id)', async () => {
      for (const operation of scopedOperations().filter((o) => o.method === 'get')) {
        const [accountParam, ...idParams] = operation.params;
        const values = Object.fromEntries(idParams.map((name) => [name, idsOfB[TABLE_OF_PARAMETER[name]][0]]));
        const res = await send(operation, fillPath(operation, { [accountParam]: b.account.id, ...values }));
        expect({ route: operation.path, status: res.status }).toEqual({ route: operation.path, status: 200 });
      }
    });

    it('never shows a row of B in a list of A', async () => {
      const lists = api.operations.filter(
        (o) => o.secured && o.method === 'get' && o.path.startsWith('/accounts/{') && o.params.length === 1,
      );
      expect(lists.length).toBeGreaterThanOrEqual(2);
      const allIdsOfB = Object.values(idsOfB).flat();
      expect(allIdsOfB.length).toBeGreaterThanOrEqual(4);
      for (const operation of lists) {
        const res = await send(operation, fillPath(operation, { [operation.params[0]]: a.account.id }));
        expect({ route: operation.path, status: res.status }).toEqual({ route: operation.path, status: 200 });
        const leaked = allIdsOfB.filter((id) => res.text.includes(id));
        expect({ route: operation.path, leaked }).toEqual({ route: operation.path, leaked: [] });
        expect(res.text).not.toContain('b-secret-keyword');
      }
    });

    it('changes no row of B through any route of A, with its documented example body', async () => {
      const before = await bRows();
      // Everything under an account (not the account itself, which an operator may of course change).
      const routes = api.operations.filter((o) => o.secured && /^\/accounts\/\{[^}]+\}\/./.test(o.path));
      expect(routes.length).toBeGreaterThanOrEqual(8);
      for (const operation of routes) {
        // Ids of A's own kind that do not exist: whatever A's routes do, they may only do it to A.
        await send(operation, fillPath(operation, Object.fromEntries(operation.params.map((n) => [n, a.account.id]))));
      }
      expect(await settled(bRows)).toEqual(before);
    });
  });

  describe('sending from account A', () => {
    const A_CUSTOMER = '5550001000000001';
    const messagesRoute = () => `/accounts/${a.account.id}/messages`;
    const requestsWithTokenOf = (account: TestAccount) =>
      fake.requests.filter((r) => r.headers.authorization === `Bearer ${account.credentials.accessToken}`).length;

    beforeAll(async () => {
      const now = Date.now();
      const body = JSON.stringify({
        object: 'instagram',
        entry: [
          {
            id: ACCOUNT_A_IG_USER_ID,
            time: now,
            messaging: [
              {
                sender: { id: A_CUSTOMER },
                recipient: { id: ACCOUNT_A_IG_USER_ID },
                timestamp: now,
                message: { mid: 'm-a-customer', text: 'hello A' },
              },
            ],
          },
        ],
      });
      await postWebhook(server, routeOf(a), body, a.credentials.appSecret).expect(200);
      await t.dataSource.query('UPDATE contacts SET username = ? WHERE account_id = ?', ['b.customer', b.account.id]);
      await settled(() => snapshotDatabase(t.dataSource));
    });

    it.each([
      ['B’s customer by IGSID (B’s window is open, A has none)', { recipientId: '1029384756102938', text: 'hi' }, 422],
      [
        'B’s customer by IGSID with the HUMAN_AGENT tag',
        { recipientId: '1029384756102938', text: 'hi', tag: 'HUMAN_AGENT' },
        422,
      ],
      ['B’s contact by username', { recipientUsername: 'b.customer', text: 'hi' }, 422],
      ['B’s template to A’s own customer', { recipientId: A_CUSTOMER, templateName: 'b-template', params: {} }, 404],
    ])('refuses to send %s, queueing nothing and calling Meta with no token', async (_name, body, status) => {
      const before = await snapshotDatabase(t.dataSource);
      const bRequests = requestsWithTokenOf(b);
      const sends = fake.requestsTo('POST', fake.path('/me/messages')).length;

      const res = await admin().post(messagesRoute(), body);

      expect(res.status).toBe(status);
      expect(res.text).not.toContain('b-template-text');
      expect(changedTables(before, await snapshotDatabase(t.dataSource))).toEqual([]);
      expect(requestsWithTokenOf(b)).toBe(bRequests);
      expect(fake.requestsTo('POST', fake.path('/me/messages')).length).toBe(sends);
    });
  });

  describe('webhooks on account A’s route', () => {
    const names = webhookFixtureNames();

    it.each(names)('%s, with its entries for B and signed by A: kept as A’s unroutable, B untouched', async (name) => {
      const body = forB(name);
      const before = await bRows();
      const unroutableBefore = await t.dataSource.query('SELECT COUNT(*) AS n FROM unroutable_events');

      await postWebhook(server, routeOf(a), body, a.credentials.appSecret).expect(200);

      expect(await bRows()).toEqual(before);
      const rows = (await t.dataSource.query(
        'SELECT account_id, entry_id, reason FROM unroutable_events ORDER BY id DESC LIMIT ?',
        [entriesIn(body)],
      )) as Row[];
      expect(rows).toHaveLength(entriesIn(body));
      for (const row of rows) {
        expect(row).toEqual({ account_id: a.account.id, entry_id: ACCOUNT_B_IG_USER_ID, reason: 'foreign_entry' });
      }
      const unroutableAfter = await t.dataSource.query('SELECT COUNT(*) AS n FROM unroutable_events');
      expect(Number((unroutableAfter as Row[])[0].n) - Number((unroutableBefore as Row[])[0].n)).toBe(entriesIn(body));
    });

    it('applies A’s own edits, deletions, reactions, receipts and echoes of B’s message ids to A only', async () => {
      const before = await bRows();
      for (const name of ['deleted-message', 'message-edit', 'reaction', 'unreaction', 'seen', 'echo-message']) {
        await postWebhook(server, routeOf(a), fixtureBytes(name), a.credentials.appSecret).expect(200);
      }
      expect(await settled(bRows)).toEqual(before);
      const [{ n }] = (await t.dataSource.query('SELECT COUNT(*) AS n FROM messages WHERE account_id = ?', [
        a.account.id,
      ])) as Row[];
      expect(Number(n)).toBeGreaterThan(0);
    });

    it('does the same on the ?account_id= form of A’s route', async () => {
      const before = await bRows();
      await postWebhook(
        server,
        `/webhooks/instagram?account_id=${a.account.id}`,
        forB('text-message'),
        a.credentials.appSecret,
      ).expect(200);
      expect(await bRows()).toEqual(before);
    });

    it.each([
      ['the shared route', '/webhooks/instagram'],
      ['account_id given twice (A, then B)', '/webhooks/instagram?account_id=A&account_id=B'],
      ['account_id given as a list', '/webhooks/instagram?account_id[]=A'],
    ])('refuses B’s entries signed by A on %s with 403, changing nothing', async (_name, template) => {
      const path = template.replace('=A', `=${a.account.id}`).replace('=B', `=${b.account.id}`);
      const before = await snapshotDatabase(t.dataSource);
      const body = forB('text-message');
      const res = await request(server)
        .post(path)
        .set('Content-Type', 'application/json')
        .set('X-Hub-Signature-256', signBody(body, a.credentials.appSecret))
        .serialize((data: unknown) => data as string)
        .send(body);
      expect(res.status).toBe(403);
      expect(changedTables(before, await snapshotDatabase(t.dataSource))).toEqual([]);
    });
  });

  describe('secrets', () => {
    it('never wrote a secret of this run, whole or in part, to the log, a response or the database', async () => {
      const secrets = secretsOfRun(t.env, [
        { name: 'A', credentials: a.credentials },
        { name: 'B', credentials: b.credentials },
      ]);
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
