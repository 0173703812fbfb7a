import request from 'supertest';
import { AccountRepository } from '@accounts/account.repository';
import { createTestAccount, type TestAccount } from '../support/accounts';
import { adminClient } from '../support/admin-client';
import { FakeGraphApi } from '../support/fake-graph-api';
import { customerMessage, newMid } from '../support/instagram-events';
import { ACCOUNT_A_IG_USER_ID, ACCOUNT_B_IG_USER_ID, CUSTOMER_IGSID } from '../support/meta-fixtures';
import { parsePrometheusText, type Sample, sampleValue } from '../support/prometheus-text';
import { startTestApp, type TestApp } from '../support/test-app';
import { postWebhook } from '../support/webhook-sender';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

describe('GET /metrics', () => {
  let fake: FakeGraphApi;
  let t: TestApp;
  let a: TestAccount;
  let b: TestAccount;

  const scrape = async (app: TestApp = t): Promise<Sample[]> => {
    const res = await request(app.app.getHttpServer()).get('/metrics').expect(200);
    return parsePrometheusText(res.text);
  };
  const deliveries = (samples: Sample[], result: string) =>
    sampleValue(samples, 'gateway_webhook_deliveries_total', { result });
  const post = (path: string, body: string, secret: string | null) =>
    postWebhook(t.app.getHttpServer(), path, body, secret);
  const messageTo = (account: TestAccount, text = 'hello', mid = newMid()) =>
    customerMessage({ igUserId: account.account.igUserId, customer: CUSTOMER_IGSID, text, mid });

  beforeAll(async () => {
    fake = await FakeGraphApi.start();
  });

  beforeEach(async () => {
    t = await startTestApp({ GRAPH_API_BASE_URL: fake.baseUrl });
    a = await createTestAccount(t.app, { igUserId: ACCOUNT_A_IG_USER_ID });
    b = await createTestAccount(t.app, { igUserId: ACCOUNT_B_IG_USER_ID });
  });

  afterEach(async () => {
    await t.close();
    fake.reset();
  });

  afterAll(() => fake.close());

  it('answers without the admin token in Prometheus text format, with the process metrics', async () => {
    const res = await request(t.app.getHttpServer()).get('/metrics').expect(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const names = new Set(parsePrometheusText(res.text).map((s) => s.name));
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(names).toContain(name);
    }
  });

  it('counts webhook deliveries by result and their events by type', async () => {
    const route = `/webhooks/instagram/${a.account.id}`;
    const first = messageTo(a);
    await post(route, first, a.credentials.appSecret).expect(200);
    await post(route, first, a.credentials.appSecret).expect(200);
    await post(route, messageTo(b), a.credentials.appSecret).expect(200);
    await post(route, messageTo(a), b.credentials.appSecret).expect(403);
    await post('/webhooks/instagram/0190a5d2-0000-7000-8000-000000000000', first, a.credentials.appSecret).expect(404);
    await post('/webhooks/instagram', 'not json', a.credentials.appSecret).expect(400);

    const samples = await scrape();
    expect({
      accepted: deliveries(samples, 'accepted'),
      duplicate: deliveries(samples, 'duplicate'),
      unroutable: deliveries(samples, 'unroutable'),
      bad_signature: deliveries(samples, 'bad_signature'),
      unknown_account: deliveries(samples, 'unknown_account'),
      invalid_payload: deliveries(samples, 'invalid_payload'),
      error: deliveries(samples, 'error'),
    }).toEqual({
      accepted: 1,
      duplicate: 1,
      unroutable: 1,
      bad_signature: 1,
      unknown_account: 1,
      invalid_payload: 1,
      error: 0,
    });
    // Both stored deliveries addressed to account A carried one message each; the foreign entry applied none.
    expect(sampleValue(samples, 'gateway_webhook_events_total', { type: 'message' })).toBe(2);
  });

  it('times every webhook delivery’s answer by status, and not the subscription checks', async () => {
    const route = `/webhooks/instagram/${a.account.id}`;
    await post(route, messageTo(a), a.credentials.appSecret).expect(200);
    await post(route, messageTo(a), a.credentials.appSecret).expect(200);
    await post(route, messageTo(a), b.credentials.appSecret).expect(403);
    await post('/webhooks/instagram', 'not json', a.credentials.appSecret).expect(400);
    await request(t.app.getHttpServer())
      .get(route)
      .query({ 'hub.mode': 'subscribe', 'hub.verify_token': a.credentials.verifyToken, 'hub.challenge': '42' })
      .expect(200);

    const samples = await scrape();
    const answered = (status: string) =>
      sampleValue(samples, 'gateway_webhook_answer_duration_seconds_count', { status });
    expect({ ok: answered('200'), forbidden: answered('403'), bad: answered('400') }).toEqual({
      ok: 2,
      forbidden: 1,
      bad: 1,
    });
    const okSeconds = sampleValue(samples, 'gateway_webhook_answer_duration_seconds_sum', { status: '200' });
    expect(okSeconds).toBeGreaterThan(0);
    // Everything answered falls in some bucket: the +Inf bucket counts them all.
    expect(sampleValue(samples, 'gateway_webhook_answer_duration_seconds_bucket', { status: '200', le: '+Inf' })).toBe(
      2,
    );
  });

  it('counts automatic replies by rule, with no IGSID, mid or text in any label', async () => {
    const rule = await adminClient(t)
      .post(`/accounts/${a.account.id}/rules`, {
        name: 'Shipping',
        matchType: 'word',
        keywords: ['ship'],
        responseText: 'We ship worldwide.',
      })
      .expect(201);
    const mid = newMid();
    await post(
      `/webhooks/instagram/${a.account.id}`,
      messageTo(a, 'Do you ship to Berlin?', mid),
      a.credentials.appSecret,
    ).expect(200);

    const samples = await scrape();
    expect(sampleValue(samples, 'gateway_rule_hits_total', { rule_id: rule.body.id as string })).toBe(1);
    expect(sampleValue(samples, 'gateway_auto_replies_total', { source: 'rule' })).toBe(1);
    const labelValues = samples.flatMap((s) => Object.values(s.labels)).join('\n');
    for (const privateValue of [CUSTOMER_IGSID, mid, 'Berlin']) expect(labelValues).not.toContain(privateValue);
  });

  it('reports the outbox backlog and the age of its oldest message, read from the database at scrape time', async () => {
    // A held queue (the account's token is invalid) stays queued, so nothing sends it away during the test.
    await t.app.get(AccountRepository).update(a.account.id, { tokenStatus: 'invalid', fallbackResponse: 'Thanks!' });
    for (const text of ['one', 'two']) {
      await post(`/webhooks/instagram/${a.account.id}`, messageTo(a, text), a.credentials.appSecret).expect(200);
    }
    const anHourAgo = new Date(Date.now() - HOUR_MS).toISOString().replace('T', ' ').replace('Z', '');
    await t.dataSource.query("UPDATE messages SET created_at = ? WHERE status = 'queued'", [anHourAgo]);

    const samples = await scrape();
    expect(sampleValue(samples, 'gateway_outbox_queued_messages')).toBe(2);
    const age = sampleValue(samples, 'gateway_outbox_oldest_queued_age_seconds');
    expect(age).toBeGreaterThanOrEqual(3600);
    expect(age).toBeLessThan(2 * 3600);
    expect(sampleValue(samples, 'gateway_auto_replies_total', { source: 'fallback' })).toBe(2);
  });

  it('reports the active accounts’ tokens by days left, and the invalid ones', async () => {
    const accounts = t.app.get(AccountRepository);
    await accounts.update(a.account.id, { tokenExpiresAt: new Date(Date.now() + 3 * DAY_MS) });
    await accounts.update(b.account.id, { tokenStatus: 'invalid', tokenExpiresAt: new Date(Date.now() - DAY_MS) });
    const c = await createTestAccount(t.app, { igUserId: '17841400000000003' });
    await accounts.update(c.account.id, { tokenExpiresAt: new Date(Date.now() + 50 * DAY_MS) });
    const inactive = await createTestAccount(t.app, { igUserId: '17841400000000004' });
    await accounts.deactivate(inactive.account.id);

    const samples = await scrape();
    const bucket = (days_left: string) => sampleValue(samples, 'gateway_account_tokens', { days_left });
    expect({
      expired: bucket('expired'),
      lt_1d: bucket('lt_1d'),
      lt_7d: bucket('lt_7d'),
      lt_30d: bucket('lt_30d'),
      gte_30d: bucket('gte_30d'),
      unknown: bucket('unknown'),
    }).toEqual({ expired: 1, lt_1d: 0, lt_7d: 1, lt_30d: 0, gte_30d: 1, unknown: 0 });
    expect(sampleValue(samples, 'gateway_account_tokens_invalid')).toBe(1);
  });

  it('times Graph API calls by operation and outcome', async () => {
    await adminClient(t).post(`/accounts/${a.account.id}/subscribe`).expect(200);
    const samples = await scrape();
    expect(
      sampleValue(samples, 'gateway_graph_api_request_duration_seconds_count', {
        operation: 'POST /me/subscribed_apps',
        outcome: 'ok',
      }),
    ).toBe(1);
  });

  it('keeps the metrics of each application instance apart', async () => {
    await post(`/webhooks/instagram/${a.account.id}`, messageTo(a), a.credentials.appSecret).expect(200);
    const other = await startTestApp({}, t.database);
    try {
      expect(deliveries(await scrape(other), 'accepted')).toBe(0);
      expect(deliveries(await scrape(), 'accepted')).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('still serves the process metrics when the database is down', async () => {
    await t.dataSource.destroy();
    try {
      const samples = await scrape();
      expect(samples.some((s) => s.name === 'process_cpu_user_seconds_total')).toBe(true);
      expect(samples.some((s) => s.name === 'gateway_outbox_queued_messages')).toBe(false);
    } finally {
      await t.dataSource.initialize();
    }
  });
});
