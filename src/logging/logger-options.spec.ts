import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { pinoHttp, type Options } from 'pino-http';
import { parseEnvironment } from '@config/environment';
import { buildLoggerOptions, redactUrl, requestUrlForLog } from './logger-options';

const env = parseEnvironment({
  NODE_ENV: 'production',
  APP_SECRET_KEY: randomBytes(32).toString('hex'),
  ADMIN_API_TOKEN: randomBytes(32).toString('hex'),
  LOG_LEVEL: 'info',
});

/** The service's logger, built from its options as nestjs-pino builds it, writing parsed lines into `lines`. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pinoHttp(buildLoggerOptions(env).pinoHttp as Options, destination).logger, lines };
}

describe('logger options', () => {
  it('redacts credentials at the top of a log object and two levels down', () => {
    const { logger, lines } = capturingLogger();
    logger.info(
      {
        accessToken: 'top-secret-token',
        account: { appSecret: 'nested-app-secret', credentials: { verifyToken: 'deep-verify-token' } },
        accessTokenCiphertext: 'v1:key:ciphertext',
      },
      'something happened',
    );
    const text = JSON.stringify(lines);
    for (const secret of ['top-secret-token', 'nested-app-secret', 'deep-verify-token', 'v1:key:ciphertext']) {
      expect(text).not.toContain(secret);
    }
    expect(lines[0]).toMatchObject({ accessToken: '[Redacted]', msg: 'something happened' });
  });

  it("keeps a failed query's SQL and the HTTP client's request out of an error line", () => {
    const { logger, lines } = capturingLogger();
    const error = Object.assign(new Error('Duplicate entry'), {
      sql: "INSERT INTO messages (text) VALUES ('hello, my phone is +49-private-number')",
      parameters: ['hello, my phone is +49-private-number'],
      driverError: { sql: "INSERT ... 'hello, my phone is +49-private-number'" },
      config: { headers: { Authorization: 'Bearer IGAA-header-token' } },
    });
    logger.error({ err: error }, 'request failed');
    const text = JSON.stringify(lines);
    // A phrase no timestamp, pid or stack line can contain by chance.
    expect(text).not.toContain('private-number');
    expect(text).not.toContain('IGAA-header-token');
    expect(lines[0]).toMatchObject({ err: { message: 'Duplicate entry' } });
  });

  it('strips access tokens from URLs in messages and error texts', () => {
    const { logger, lines } = capturingLogger();
    logger.warn('GET https://graph.instagram.com/refresh_access_token?grant_type=x&access_token=IGAA-in-message');
    logger.error({ err: new Error('failed: /me?access_token=IGAA-in-error') }, 'call failed');
    const text = JSON.stringify(lines);
    expect(text).not.toContain('IGAA-in-message');
    expect(text).not.toContain('IGAA-in-error');
    expect(lines[0].msg).toContain('access_token=[Redacted]');
  });
});

describe('redactUrl', () => {
  it('drops the value of every secret query parameter and keeps the rest', () => {
    expect(redactUrl('/webhooks/instagram?hub.mode=subscribe&hub.verify_token=v3r1fy&hub.challenge=42')).toBe(
      '/webhooks/instagram?hub.mode=subscribe&hub.verify_token=[Redacted]&hub.challenge=42',
    );
    expect(redactUrl('/x?access_token=abc#frag')).toBe('/x?access_token=[Redacted]#frag');
  });
});

describe('requestUrlForLog', () => {
  it('keeps the path and harmless parameters, and hides every other value', () => {
    expect(requestUrlForLog('/accounts?limit=5&cursor=abc')).toBe('/accounts?limit=5&cursor=abc');
    expect(requestUrlForLog('/webhooks/instagram?hub.mode=subscribe&hub.verify_token=v3r1fy&hub.challenge=42')).toBe(
      '/webhooks/instagram?hub.mode=subscribe&hub.verify_token=[Redacted]&hub.challenge=42',
    );
    expect(requestUrlForLog('/x?api_key=s3cr3t&key=k3y&flag')).toBe('/x?api_key=[Redacted]&key=[Redacted]&flag');
    expect(requestUrlForLog('/health')).toBe('/health');
  });

  it('logs a parameter whose name has a malformed percent-escape, hiding its value', () => {
    expect(requestUrlForLog('/health/live?%ZZ=1&limit=5&%E0%A4%A=x&flag%')).toBe(
      '/health/live?%ZZ=[Redacted]&limit=5&%E0%A4%A=[Redacted]&flag%',
    );
  });
});
