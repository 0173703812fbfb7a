import { ConfigService } from '@nestjs/config';
import type { TestingModuleBuilder } from '@nestjs/testing';
import type { Environment } from '@config/environment';
import { type DeliveryTimings, EventDeliverySettings } from '@events/delivery/event-delivery-settings';

/**
 * For `startTestApp(..., configure)`: the product's event delivery settings
 * (EVENT_ENDPOINTS_ALLOW_PRIVATE from the test's environment), but polling
 * within milliseconds and retrying after a fraction of a second, so that a
 * test waits for effects rather than for the real schedule.
 */
export function fastEvents(timings: Partial<DeliveryTimings> = {}) {
  return (builder: TestingModuleBuilder): TestingModuleBuilder =>
    builder.overrideProvider(EventDeliverySettings).useFactory({
      inject: [ConfigService],
      factory: (config: ConfigService<Environment, true>) => {
        const product = EventDeliverySettings.fromEnvironment({
          EVENT_ENDPOINTS_ALLOW_PRIVATE: config.get('EVENT_ENDPOINTS_ALLOW_PRIVATE', { infer: true }),
        });
        return new EventDeliverySettings(
          {
            ...product.timings,
            retryDelaysMs: [100, 200, 300, 400, 500, 600, 700],
            pollIntervalMs: 25,
            idlePollMaxMs: 25,
            ...timings,
          },
          product.allowPrivateAddresses,
        );
      },
    });
}
