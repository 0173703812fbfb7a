import { Global, Module } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { DatabaseGauges } from './database-gauges';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';

/**
 * How often the event loop's lag is sampled. prom-client's default, 10 ms,
 * wakes an idle process 100 times a second: most of its idle CPU.
 */
const EVENT_LOOP_SAMPLE_MS = 100;

/**
 * The metrics of one application instance, in a registry of its own rather
 * than prom-client's global one, so that several instances in one process
 * (the e2e tests) never collide. Global: any module may inject `Metrics`.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: Registry,
      useFactory: () => {
        const registry = new Registry();
        collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
        return registry;
      },
    },
    Metrics,
    DatabaseGauges,
  ],
  exports: [Metrics],
})
export class MetricsModule {}
