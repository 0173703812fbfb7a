import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { normalizeIp } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import type { Environment } from '@config';
import { constantTimeEquals, DomainError } from '@common';
import { FailedLoginThrottle, type ThrottleLimits } from './failed-login-throttle';

export const MAX_FAILED_ATTEMPTS = 20;
const MINUTE_MS = 60_000;

/**
 * 20 failures a minute per address, then a minute blocked; 20 guesses a
 * minute at a 32+ character token get nowhere. At most 10 000 addresses are
 * remembered (about a megabyte), however many clients make up.
 */
export const ADMIN_LOGIN_LIMITS: ThrottleLimits = {
  maxFailures: MAX_FAILED_ATTEMPTS,
  windowMs: MINUTE_MS,
  blockMs: MINUTE_MS,
  maxAddresses: 10_000,
};

/**
 * `Authorization: Bearer $ADMIN_API_TOKEN`, nothing else (a token in the
 * query string would end up in access logs). Failures are counted per client
 * address: after `MAX_FAILED_ATTEMPTS` within a minute the address is blocked
 * for a minute, and while it is, every request from it answers 429 before its
 * token is even looked at, the right one included: otherwise a guesser would
 * go on at full speed and learn from a 200 that it has found the token.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  private readonly logger = new Logger(AdminAuthGuard.name);
  private readonly adminToken: string;

  constructor(
    config: ConfigService<Environment, true>,
    private readonly throttle: FailedLoginThrottle,
  ) {
    this.adminToken = config.get('ADMIN_API_TOKEN', { infer: true });
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const address = normalizeIp(request.ip ?? 'unknown');
    const now = Date.now();

    const blockedForMs = this.throttle.blockedFor(address, now);
    if (blockedForMs > 0) throw tooManyFailures(response, blockedForMs);

    const presented = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '')?.[1];
    if (presented !== undefined && constantTimeEquals(presented, this.adminToken)) return true;

    const verdict = this.throttle.recordFailure(address, now);
    if (verdict.blockedForMs > 0) {
      if (verdict.justBlocked) {
        this.logger.warn({ address }, `admin API blocked for this address after ${MAX_FAILED_ATTEMPTS} failed logins`);
      }
      throw tooManyFailures(response, verdict.blockedForMs);
    }
    response.setHeader('WWW-Authenticate', 'Bearer realm="admin"');
    throw new DomainError('unauthorized', 'missing or invalid admin token (Authorization: Bearer <ADMIN_API_TOKEN>)');
  }
}

function tooManyFailures(response: Response, blockedForMs: number): DomainError {
  response.setHeader('Retry-After', String(Math.max(1, Math.ceil(blockedForMs / 1000))));
  return new DomainError('too_many_requests', 'too many failed authentication attempts; try again later');
}
