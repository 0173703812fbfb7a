import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { normalizeIp, ThrottlerStorageService } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import type { Environment } from '../../config/environment';
import { constantTimeEquals } from '../constant-time';
import { DomainError } from '../domain-error';

export const MAX_FAILED_ATTEMPTS = 20;
const FAILURE_WINDOW_MS = 60_000;
const THROTTLER_NAME = 'admin-auth';

/**
 * `Authorization: Bearer $ADMIN_API_TOKEN`, nothing else (a token in the
 * query string would end up in access logs). Only failures are counted, per
 * client address: after `MAX_FAILED_ATTEMPTS` within a minute, further
 * failures from that address answer 429 for a minute. A valid token is never
 * throttled, so a noisy neighbour behind the same address cannot lock the
 * operators out, and 20 guesses a minute at a 32+ character token get nowhere.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  private readonly logger = new Logger(AdminAuthGuard.name);
  private readonly adminToken: string;

  constructor(
    config: ConfigService<Environment, true>,
    private readonly failures: ThrottlerStorageService,
  ) {
    this.adminToken = config.get('ADMIN_API_TOKEN', { infer: true });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const presented = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '')?.[1];
    if (presented !== undefined && constantTimeEquals(presented, this.adminToken)) return true;

    const response = http.getResponse<Response>();
    const address = normalizeIp(request.ip ?? 'unknown');
    const { isBlocked, totalHits, timeToBlockExpire } = await this.failures.increment(
      `${THROTTLER_NAME}:${address}`,
      FAILURE_WINDOW_MS,
      MAX_FAILED_ATTEMPTS,
      FAILURE_WINDOW_MS,
      THROTTLER_NAME,
    );
    if (isBlocked) {
      if (totalHits === MAX_FAILED_ATTEMPTS + 1) {
        this.logger.warn({ address }, `admin API blocked for this address after ${MAX_FAILED_ATTEMPTS} failed logins`);
      }
      response.setHeader('Retry-After', String(Math.max(1, timeToBlockExpire)));
      throw new DomainError('too_many_requests', 'too many failed authentication attempts; try again later');
    }
    response.setHeader('WWW-Authenticate', 'Bearer realm="admin"');
    throw new DomainError('unauthorized', 'missing or invalid admin token (Authorization: Bearer <ADMIN_API_TOKEN>)');
  }
}
