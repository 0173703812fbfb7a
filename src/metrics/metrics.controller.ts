import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { DatabaseGauges } from './database-gauges';

/** Prometheus' scrape target; like the health checks, it needs no admin token. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly registry: Registry,
    private readonly databaseGauges: DatabaseGauges,
  ) {}

  @Get()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  async scrape(): Promise<string> {
    const [service, database] = await Promise.all([this.registry.metrics(), this.databaseGauges.metrics()]);
    return service + database;
  }
}
