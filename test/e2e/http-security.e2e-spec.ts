import request from 'supertest';
import { MAX_FAILED_ATTEMPTS } from '@http/admin-api/admin-auth.guard';
import { ADMIN_BODY_LIMIT } from '../../src/configure-app';
import { startTestApp, type TestApp } from '../support/test-app';

const ADMIN_CONSOLE = 'https://admin.example.com';

/** The directives of a Content-Security-Policy header, by name. */
function cspOf(header: string | undefined): Map<string, string> {
  return new Map(
    (header ?? '')
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name, values.join(' ')]),
  );
}

describe('HTTP hardening', () => {
  describe('with the defaults', () => {
    let t: TestApp;
    const server = () => t.app.getHttpServer();

    beforeAll(async () => {
      t = await startTestApp();
    });

    afterAll(() => t.close());

    it('sends security headers with a policy that lets an API answer load nothing', async () => {
      const res = await request(server()).get('/health/live').expect(200);
      expect(cspOf(res.headers['content-security-policy'])).toEqual(
        new Map([
          ['default-src', "'none'"],
          ['frame-ancestors', "'none'"],
        ]),
      );
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['x-powered-by']).toBeUndefined();
    });

    it('keeps Swagger UI working: its own scripts and styles, no inline script, no forced HTTPS', async () => {
      const page = await request(server()).get('/docs').redirects(1).expect(200);
      const csp = cspOf(page.headers['content-security-policy']);
      expect(csp.get('script-src')).toBe("'self'");
      expect(csp.get('style-src')).toContain("'unsafe-inline'");
      expect(csp.get('img-src')).toContain('data:');
      expect(csp.has('upgrade-insecure-requests')).toBe(false);

      const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attributes, body] of scripts) {
        expect(body.trim()).toBe('');
        const src = /src=["']([^"']+)["']/.exec(attributes)?.[1];
        expect(src).toBeDefined();
        const asset = await request(server()).get(new URL(src!, 'http://gateway/docs').pathname).expect(200);
        expect(asset.headers['content-type']).toMatch(/javascript/);
      }
      await request(server()).get('/docs-json').expect(200).expect('content-type', /json/);
    });

    it('answers no CORS preflight: browsers on other sites cannot call the admin API', async () => {
      const res = await request(server())
        .options('/accounts')
        .set('Origin', ADMIN_CONSOLE)
        .set('Access-Control-Request-Method', 'GET');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('counts failed logins per connection address, ignoring X-Forwarded-For from an untrusted peer', async () => {
      const fail = (forwardedFor: string) =>
        request(server()).get('/accounts').set('Authorization', 'Bearer wrong').set('X-Forwarded-For', forwardedFor);
      for (let i = 0; i < MAX_FAILED_ATTEMPTS; i++) await fail(`198.51.100.${i}`).expect(401);
      await fail('198.51.100.250').expect(429);
    });

    it(`refuses an admin JSON body over ${ADMIN_BODY_LIMIT / 1024} KiB with 413`, async () => {
      const res = await request(server())
        .post('/accounts')
        .set('Authorization', `Bearer ${t.env.ADMIN_API_TOKEN}`)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ username: 'x', displayName: 'y'.repeat(ADMIN_BODY_LIMIT) }))
        .expect(413);
      expect(res.body).toMatchObject({ statusCode: 413, error: 'payload_too_large' });
    });
  });

  describe('configured for an admin console behind an ingress', () => {
    let t: TestApp;
    const server = () => t.app.getHttpServer();

    beforeAll(async () => {
      t = await startTestApp({ CORS_ORIGINS: ADMIN_CONSOLE, TRUST_PROXY: 'loopback' });
    });

    afterAll(() => t.close());

    it('answers the preflight of a listed origin only', async () => {
      const preflight = (origin: string) =>
        request(server())
          .options('/accounts')
          .set('Origin', origin)
          .set('Access-Control-Request-Method', 'POST')
          .set('Access-Control-Request-Headers', 'authorization,content-type');
      const allowed = await preflight(ADMIN_CONSOLE).expect(204);
      expect(allowed.headers['access-control-allow-origin']).toBe(ADMIN_CONSOLE);
      expect(allowed.headers['access-control-allow-headers']).toMatch(/Authorization/);
      expect(allowed.headers['access-control-allow-credentials']).toBeUndefined();
      const other = await preflight('https://evil.example.com');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();

      const answer = await request(server()).get('/accounts').set('Origin', ADMIN_CONSOLE).expect(401);
      expect(answer.headers['access-control-allow-origin']).toBe(ADMIN_CONSOLE);
      expect(answer.headers['access-control-expose-headers']).toMatch(/X-Request-Id/);
    });

    it('counts failed logins per client address that the trusted proxy forwards', async () => {
      const fail = (forwardedFor: string) =>
        request(server()).get('/accounts').set('Authorization', 'Bearer wrong').set('X-Forwarded-For', forwardedFor);
      for (let i = 0; i < MAX_FAILED_ATTEMPTS; i++) await fail('203.0.113.7').expect(401);
      await fail('203.0.113.7').expect(429);
      await fail('203.0.113.8').expect(401);
    });
  });
});
