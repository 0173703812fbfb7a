/**
 * The real service, as `src/main.ts` builds it, with the outbox's timings
 * shortened so that lease expiries and retries happen within a test's time:
 * a 3-second lease instead of a minute, retries from 50 ms. It starts and
 * stops as `src/main.ts` does, graceful shutdown included.
 */
import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import { AppModule } from '../../../src/app.module';
import { parseEnvironment } from '@config/environment';
import { configureApp } from '../../../src/configure-app';
import { exitGracefullyOnSignals } from '@lifecycle/graceful-shutdown';
import { MessagingSettings } from '@messaging/messaging-settings';

async function main(): Promise<void> {
  const env = parseEnvironment(process.env);
  const defaults = MessagingSettings.fromEnvironment(env);
  const settings = new MessagingSettings({
    ...defaults.outbox,
    pollIntervalMs: 200,
    idlePollMaxMs: 1000,
    leaseMs: Number(process.env.RELIABILITY_LEASE_MS ?? 3000),
    retryBaseMs: 50,
    retryMaxMs: 1000,
    echoWaitMs: 500,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(env)] })
    .overrideProvider(MessagingSettings)
    .useValue(settings)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  configureApp(app);
  await app.listen(env.PORT, '127.0.0.1');
  exitGracefullyOnSignals(app, env.SHUTDOWN_TIMEOUT);
}

main().catch((error: unknown) => {
  process.stderr.write(`reliability service failed to start: ${String(error)}\n`);
  process.exit(1);
});
