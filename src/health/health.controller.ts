import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { type HealthCheckResult, HealthCheckService, type HealthIndicatorFunction } from '@nestjs/terminus';
import type { Response } from 'express';
import { AccountsHealthIndicator } from './accounts.health';
import { DatabaseHealthIndicator } from './database.health';
import { EventsHealthIndicator } from './events.health';
import { MessagingHealthIndicator } from './messaging.health';

@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly accounts: AccountsHealthIndicator,
    private readonly messaging: MessagingHealthIndicator,
    private readonly events: EventsHealthIndicator,
  ) {}

  @Get()
  report(@Res({ passthrough: true }) res: Response) {
    return this.run(res, [
      () => this.database.reachable(),
      () => this.accounts.report(),
      () => this.messaging.backlog(),
      () => this.events.report(),
    ]);
  }

  /** The process is up; no database call, so a database outage never restarts the pod. */
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  ready(@Res({ passthrough: true }) res: Response) {
    return this.run(res, [() => this.database.reachable(), () => this.database.migrated()]);
  }

  /** Terminus' own report, with 503 when a check is down (instead of the generic error shape). */
  private async run(res: Response, checks: HealthIndicatorFunction[]): Promise<HealthCheckResult | string | object> {
    try {
      return await this.health.check(checks);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      res.status(503);
      return error.getResponse();
    }
  }
}
