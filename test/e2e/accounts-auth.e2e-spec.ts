import request from 'supertest';
import { MAX_FAILED_ATTEMPTS } from '@http/admin-api/admin-auth.guard';
import { newId } from '@common/ids';
import { startTestApp, type TestApp } from '../support/test-app';

const ACCOUNT_ROUTES: Array<[method: 'get' | 'post' | 'put' | 'delete', path: string]> = [
  ['post', '/accounts'],
  ['get', '/accounts'],
  ['get', `/accounts/${newId()}`],
  ['put', `/accounts/${newId()}`],
  ['delete', `/accounts/${newId()}`],
  ['post', `/accounts/${newId()}/subscribe`],
];

describe('admin API authentication', () => {
  let t: TestApp;
  const server = () => t.app.getHttpServer();

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(() => t.close());

  it.each(ACCOUNT_ROUTES)('%s %s answers 401 in the standard error shape without the token', async (method, path) => {
    const res = await request(server())[method](path).send({}).expect(401);
    expect(res.body).toEqual({
      statusCode: 401,
      error: 'unauthorized',
      message: expect.any(String),
      requestId: expect.any(String),
    });
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('refuses a wrong token, another scheme, and the token in the query string', async () => {
    const token = t.env.ADMIN_API_TOKEN;
    const attempts = [
      request(server()).get('/accounts').set('Authorization', `Bearer ${token}x`),
      request(server())
        .get('/accounts')
        .set('Authorization', `Bearer ${token.slice(0, -1)}`),
      request(server())
        .get('/accounts')
        .set('Authorization', `Basic ${Buffer.from(`admin:${token}`).toString('base64')}`),
      request(server()).get('/accounts').set('Authorization', token),
      request(server()).get(`/accounts?access_token=${token}`),
      request(server()).get(`/accounts?token=${token}`),
    ];
    for (const attempt of attempts) await attempt.expect(401);
  });

  it('does not create anything for an unauthenticated request', async () => {
    const body = { username: 'sneaky', igUserId: '1', accessToken: 'a', appSecret: 'b', verifyToken: 'c' };
    await request(server()).post('/accounts').send(body).expect(401);
    const list = await request(server())
      .get('/accounts')
      .set('Authorization', `Bearer ${t.env.ADMIN_API_TOKEN}`)
      .expect(200);
    expect(list.body).toEqual({ items: [], nextCursor: null });
  });

  it('leaves health checks and the API documentation open', async () => {
    await request(server()).get('/health/live').expect(200);
    await request(server()).get('/docs-json').expect(200);
  });

  it('documents every account route with the bearer scheme and its error answers', async () => {
    const document = (await request(server()).get('/docs-json').expect(200)).body;
    const operations: Array<[string, string]> = [
      ['/accounts', 'post'],
      ['/accounts', 'get'],
      ['/accounts/{accountId}', 'get'],
      ['/accounts/{accountId}', 'put'],
      ['/accounts/{accountId}', 'delete'],
      ['/accounts/{accountId}/subscribe', 'post'],
    ];
    for (const [path, method] of operations) {
      const operation = document.paths[path][method];
      expect(operation.security).toEqual([{ 'admin-token': [] }]);
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '429']));
      expect(operation.responses['401']).toEqual({ $ref: '#/components/responses/unauthorized' });
    }
    const unauthorized = document.components.responses.unauthorized.content['application/json'].schema;
    expect(unauthorized.allOf[0].$ref).toBe('#/components/schemas/ErrorResponseDto');
    expect(unauthorized.allOf[1].properties.error.enum).toEqual(['unauthorized']);
    expect(Object.keys(document.paths['/accounts'].post.responses)).toEqual(
      expect.arrayContaining(['201', '400', '409', '422']),
    );
    expect(Object.keys(document.paths['/accounts/{accountId}'].get.responses)).toEqual(
      expect.arrayContaining(['200', '404']),
    );
    expect(document.components.schemas.CreateAccountDto.required).toEqual(
      expect.arrayContaining(['username', 'igUserId', 'accessToken', 'appSecret', 'verifyToken']),
    );
    for (const secret of ['accessToken', 'appSecret', 'verifyToken']) {
      expect(document.components.schemas.AccountResponseDto.properties).not.toHaveProperty(secret);
    }
  });
});

describe('admin API throttling of failed logins', () => {
  let t: TestApp;
  const server = () => t.app.getHttpServer();
  const valid = () => request(server()).get('/accounts').set('Authorization', `Bearer ${t.env.ADMIN_API_TOKEN}`);
  const wrong = () => request(server()).get('/accounts').set('Authorization', 'Bearer wrong-token');

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(() => t.close());

  it(`answers 429 after ${MAX_FAILED_ATTEMPTS} failures within a minute, counting failures only`, async () => {
    // Successful calls do not count towards the limit.
    for (let i = 0; i < 30; i++) await valid().expect(200);
    for (let i = 0; i < MAX_FAILED_ATTEMPTS; i++) await wrong().expect(401);

    const blocked = await wrong().expect(429);
    expect(blocked.body).toMatchObject({ statusCode: 429, error: 'too_many_requests', requestId: expect.any(String) });
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);
    await request(server()).post('/accounts').send({}).expect(429);

    // While blocked, the address learns nothing: the right token answers 429 too.
    await valid().expect(429);
  });
});
