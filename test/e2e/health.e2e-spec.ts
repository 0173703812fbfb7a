import { randomInt } from 'node:crypto';
import request from 'supertest';
import { createTestAccount } from '../support/accounts';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text';
import { startTestApp, type TestApp } from '../support/test-app';

describe('health', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('reports the database up', async () => {
    const res = await request(t.app.getHttpServer()).get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.info.database.status).toBe('up');
  });

  it('is ready once migrations are applied', async () => {
    const res = await request(t.app.getHttpServer()).get('/health/ready').expect(200);
    expect(res.body.info.migrations.status).toBe('up');
  });

  it('serves the figures of /health and /metrics a few seconds old, however often they are asked for', async () => {
    const server = t.app.getHttpServer();
    const activeAccounts = async () => (await request(server).get('/health').expect(200)).body.info.accounts.active;
    const unknownTokens = async () =>
      sampleValue(
        parsePrometheusText((await request(server).get('/metrics').expect(200)).text),
        'gateway_account_tokens',
        {
          days_left: 'unknown',
        },
      );
    const before = { health: await activeAccounts(), metrics: await unknownTokens() };

    await createTestAccount(t.app, { igUserId: `17841${randomInt(10 ** 9, 10 ** 10)}` });

    expect({ health: await activeAccounts(), metrics: await unknownTokens() }).toEqual(before);
  });

  it('answers live without the database, and 503 on /health and /health/ready when it is gone', async () => {
    await t.dataSource.destroy();
    try {
      await request(t.app.getHttpServer()).get('/health/live').expect(200, { status: 'ok' });
      const res = await request(t.app.getHttpServer()).get('/health').expect(503);
      expect(res.body.error.database.status).toBe('down');
      await request(t.app.getHttpServer()).get('/health/ready').expect(503);
    } finally {
      await t.dataSource.initialize();
    }
    await request(t.app.getHttpServer()).get('/health').expect(200);
  });
});
