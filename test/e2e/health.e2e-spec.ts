import request from 'supertest';
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
