/**
 * The real service, as `src/main.ts` builds it, with the event deliveries'
 * lease shortened (EVENT_LEASE_MS, 2 s by default) so that a test can kill
 * it mid-delivery and see another instance take the delivery over within
 * seconds rather than minutes.
 */
import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import { AppModule } from '../../src/app.module';
import { parseEnvironment } from '@config/environment';
import { configureApp } from '../../src/configure-app';
import { EventDeliverySettings } from '@events/delivery/event-delivery-settings';

async function main(): Promise<void> {
  const env = parseEnvironment(process.env);
  const product = EventDeliverySettings.fromEnvironment(env);
  const settings = new EventDeliverySettings(
    { ...product.timings, leaseMs: Number(process.env.EVENT_LEASE_MS ?? 2000), pollIntervalMs: 50, idlePollMaxMs: 50 },
    product.allowPrivateAddresses,
  );
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(env)] })
    .overrideProvider(EventDeliverySettings)
    .useValue(settings)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  configureApp(app);
  await app.listen(env.PORT, '127.0.0.1');
}

main().catch((error: unknown) => {
  process.stderr.write(`event delivery service failed to start: ${String(error)}\n`);
  process.exit(1);
});
