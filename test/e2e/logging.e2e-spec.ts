import request from 'supertest';
import { createTestAccount, type TestAccount } from '../support/accounts';
import { adminClient } from '../support/admin-client';
import { customerMessage } from '../support/instagram-events';
import { ACCOUNT_A_IG_USER_ID, CUSTOMER_IGSID } from '../support/meta-fixtures';
import { type ObservedTestApp, startObservedTestApp } from '../support/observed-app';
import { postWebhook } from '../support/webhook-sender';

type LogLine = { level: number; msg?: string; accountId?: string; req?: { id?: string }; [key: string]: unknown };

const INFO = 30;
/** A word of the customer's message that no rule has as a keyword, so no log line may repeat it at info. */
const PRIVATE_WORD = 'Zanzibar';

describe('log lines', () => {
  let t: ObservedTestApp;
  let a: TestAccount;
  const lines = (): LogLine[] =>
    t.log
      .text()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
  const ofRequest = (id: string) => lines().filter((line) => line.req?.id === id);

  beforeAll(async () => {
    t = await startObservedTestApp({ LOG_LEVEL: 'info' });
    a = await createTestAccount(t.app, { igUserId: ACCOUNT_A_IG_USER_ID });
    await adminClient(t)
      .post(`/accounts/${a.account.id}/rules`, {
        name: 'Shipping',
        matchType: 'word',
        keywords: ['ship'],
        responseText: 'We ship worldwide.',
      })
      .expect(201);
  });

  afterAll(() => t.close());

  it('are JSON with the request id, the account id on the line closing a webhook request, and no message text', async () => {
    const body = customerMessage({
      igUserId: ACCOUNT_A_IG_USER_ID,
      customer: CUSTOMER_IGSID,
      text: `Do you ship to ${PRIVATE_WORD}?`,
    });
    await postWebhook(t.app.getHttpServer(), `/webhooks/instagram/${a.account.id}`, body, a.credentials.appSecret)
      .set('X-Request-Id', 'log-test-webhook')
      .expect(200);

    const requestLines = ofRequest('log-test-webhook');
    // The reply is decided in the intake's batch, outside the request, and the line names the request it belongs to.
    const decision = lines().find((line) => line.context === 'IntakeWriter' && line.requestId === 'log-test-webhook');
    expect(decision).toMatchObject({ accountId: a.account.id, msg: expect.stringContaining('keyword "ship"') });
    expect(decision?.req).toBeUndefined();
    expect(requestLines.at(-1)).toMatchObject({
      msg: 'request completed',
      accountId: a.account.id,
      res: { statusCode: 200 },
    });
    // The message text stays out of every line at info and above (the matched keyword is fine).
    expect(JSON.stringify(lines().filter((line) => line.level >= INFO))).not.toContain(PRIVATE_WORD);
  });

  it('name the account of an admin request on its closing line', async () => {
    await request(t.app.getHttpServer())
      .get(`/accounts/${a.account.id}/rules`)
      .set('Authorization', `Bearer ${t.env.ADMIN_API_TOKEN}`)
      .set('X-Request-Id', 'log-test-admin')
      .expect(200);
    expect(ofRequest('log-test-admin').at(-1)).toMatchObject({ msg: 'request completed', accountId: a.account.id });
  });

  it('do not fail a request whose query has a parameter name with a malformed percent-escape', async () => {
    const server = t.app.getHttpServer();
    await request(server).get('/health/live?%ZZ=1').expect(200, { status: 'ok' });
    await request(server).get('/metrics?%ZZ=1').expect(200);
    await request(server).get(`/webhooks/instagram/${a.account.id}?%ZZ=1`).expect(403);
    const listed = await request(server)
      .get('/accounts?%ZZ=secret-value')
      .set('Authorization', `Bearer ${t.env.ADMIN_API_TOKEN}`)
      .set('X-Request-Id', 'log-test-malformed-query')
      .expect(400);
    expect(listed.body).toMatchObject({ error: 'validation_failed', fields: { '%ZZ': expect.any(String) } });
    const closing = ofRequest('log-test-malformed-query').at(-1);
    expect(closing).toMatchObject({ req: { url: '/accounts?%ZZ=[Redacted]' }, res: { statusCode: 400 } });
    expect(t.log.text()).not.toContain('secret-value');
  });
});
