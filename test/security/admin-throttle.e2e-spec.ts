/**
 * The throttle of failed admin logins as a guesser meets it: once an address
 * is blocked, its requests are refused before the token is compared, so even
 * a right guess learns nothing; the memory it keeps stays bounded however
 * many addresses a client invents through X-Forwarded-For; and an operator
 * who lets clients choose that header (TRUST_PROXY=true) is warned at start.
 */
import crypto, { randomBytes } from 'node:crypto';
import type { ExecutionContext } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import request from 'supertest';
import { ADMIN_LOGIN_LIMITS, AdminAuthGuard, MAX_FAILED_ATTEMPTS } from '@http/admin-api/admin-auth.guard';
import { FailedLoginThrottle } from '@http/admin-api/failed-login-throttle';
import type { Environment } from '@config/environment';
import { type ObservedTestApp, startObservedTestApp } from '../support/observed-app';

const TOKEN = randomBytes(32).toString('hex');

function guardWith(throttle: FailedLoginThrottle): AdminAuthGuard {
  return new AdminAuthGuard({ get: () => TOKEN } as unknown as ConfigService<Environment, true>, throttle);
}

function requestFrom(ip: string, authorization: string): ExecutionContext {
  return {
    switchToHttp: () => ({
      getRequest: () => ({ headers: { authorization }, ip }),
      getResponse: () => ({ setHeader: () => undefined }),
    }),
  } as unknown as ExecutionContext;
}

/** The code of the error the guard refused with; null when it let the request through. */
function refusalOf(guard: AdminAuthGuard, context: ExecutionContext): string | null {
  try {
    guard.canActivate(context);
    return null;
  } catch (error) {
    return (error as { code: string }).code;
  }
}

describe('the throttle of failed admin logins', () => {
  let t: ObservedTestApp;

  beforeAll(async () => {
    t = await startObservedTestApp({ TRUST_PROXY: 'true' });
  });

  afterAll(async () => {
    await t.close();
  });

  it('warns at start that TRUST_PROXY=true lets clients choose the address the throttle counts', () => {
    const warnings = t.log
      .text()
      .split('\n')
      .filter((line) => line.includes('TRUST_PROXY=true'))
      .map((line) => JSON.parse(line) as { level: number });
    expect(warnings).toHaveLength(1);
    expect(warnings[0].level).toBe(40);
  });

  it('refuses a blocked address before comparing its token, the right one included', () => {
    const guard = guardWith(new FailedLoginThrottle(ADMIN_LOGIN_LIMITS));
    for (let i = 0; i < MAX_FAILED_ATTEMPTS; i++) {
      expect(refusalOf(guard, requestFrom('198.51.100.9', 'Bearer wrong'))).toBe('unauthorized');
    }
    expect(refusalOf(guard, requestFrom('198.51.100.9', 'Bearer wrong'))).toBe('too_many_requests');

    const compare = jest.spyOn(crypto, 'timingSafeEqual');
    try {
      expect(refusalOf(guard, requestFrom('198.51.100.9', `Bearer ${TOKEN}`))).toBe('too_many_requests');
      expect(compare).not.toHaveBeenCalled();
      expect(refusalOf(guard, requestFrom('198.51.100.10', `Bearer ${TOKEN}`))).toBeNull();
    } finally {
      compare.mockRestore();
    }
  });

  it('keeps a record per invented X-Forwarded-For address, but never more than its cap', async () => {
    const throttle = t.app.get(FailedLoginThrottle, { strict: false });
    const before = throttle.size;
    for (let i = 0; i < 50; i++) {
      await request(t.app.getHttpServer())
        .get('/accounts')
        .set('Authorization', 'Bearer wrong')
        .set('X-Forwarded-For', `192.0.2.${i}`)
        .expect(401);
    }
    expect(throttle.size).toBe(before + 50);

    // The same guard, fed more invented addresses than the cap, in process (HTTP would only be slower).
    const flooded = new FailedLoginThrottle(ADMIN_LOGIN_LIMITS);
    const guard = guardWith(flooded);
    for (let i = 0; i < ADMIN_LOGIN_LIMITS.maxAddresses + 500; i++) {
      refusalOf(guard, requestFrom(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, 'Bearer wrong'));
    }
    expect(flooded.size).toBe(ADMIN_LOGIN_LIMITS.maxAddresses);
  });
});
