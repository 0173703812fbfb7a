import { Global, Module } from '@nestjs/common';
import { Registry } from 'prom-client';
import { Metrics } from '@metrics/metrics';

/**
 * `Metrics` for a testing module without a database (the real
 * `MetricsModule` also serves the scrape endpoint, whose gauges read the
 * database). Import it beside the module under test and read what was
 * recorded through `registry`.
 */
export function testMetricsModule(registry = new Registry()) {
  @Global()
  @Module({ providers: [{ provide: Metrics, useValue: new Metrics(registry) }], exports: [Metrics] })
  class TestMetricsModule {}
  return TestMetricsModule;
}
