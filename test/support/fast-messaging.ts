import { ConfigService } from '@nestjs/config';
import type { TestingModuleBuilder } from '@nestjs/testing';
import type { Environment } from '@config/environment';
import { ContactLookupSettings } from '@contacts/contact-lookup-settings';
import { MessagingSettings, type OutboxSettings } from '@messaging/messaging-settings';

export interface MessagingTimings {
  outbox?: Partial<OutboxSettings>;
  contacts?: Partial<ContactLookupSettings>;
}

/**
 * For `startTestApp(..., configure)`: the product's messaging settings (with
 * OUTBOX_* from the test's environment), but polling and retrying within
 * milliseconds (after a call that got no answer too), without backing off
 * while idle (tests wait for background work to settle), so tests wait for
 * effects rather than for seconds. Token refreshes stay hourly: tests call
 * them directly.
 */
export function fastMessaging(timings: MessagingTimings = {}) {
  return (builder: TestingModuleBuilder): TestingModuleBuilder =>
    builder
      .overrideProvider(MessagingSettings)
      .useFactory({
        inject: [ConfigService],
        factory: (config: ConfigService<Environment, true>) => {
          const product = MessagingSettings.fromEnvironment({
            OUTBOX_MAX_ATTEMPTS: config.get('OUTBOX_MAX_ATTEMPTS', { infer: true }),
            OUTBOX_MAX_AGE: config.get('OUTBOX_MAX_AGE', { infer: true }),
          });
          return new MessagingSettings({
            ...product.outbox,
            pollIntervalMs: 25,
            idlePollMaxMs: 25,
            retryBaseMs: 20,
            retryMaxMs: 200,
            echoWaitMs: 0,
            ...timings.outbox,
          });
        },
      })
      .overrideProvider(ContactLookupSettings)
      .useValue(new ContactLookupSettings({ pollIntervalMs: 25, idlePollMaxMs: 25, ...timings.contacts }));
}
