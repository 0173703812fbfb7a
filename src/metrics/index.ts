// What other modules may use of `metrics`; everything else in the folder is its own.
export { Metrics } from './metrics';
export type { RetainedTable, WebhookDeliveryResult } from './metrics';
export { MetricsModule } from './metrics.module';
