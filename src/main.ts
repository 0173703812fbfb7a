import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { configureApp } from './configure-app';
import { loadEnvironmentOrExit } from '@config';
import { boundHeapGrowth, exitGracefullyOnSignals } from '@lifecycle';

const LISTEN_BACKLOG = 4096;

async function bootstrap(): Promise<void> {
  boundHeapGrowth();
  const environment = loadEnvironmentOrExit();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(environment), {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  configureApp(app);
  await app.init();
  // Bursts of webhooks open connections faster than one event loop accepts them: a longer queue of
  // pending connections (the kernel caps it at net.core.somaxconn) keeps them from being dropped and retried.
  await new Promise<void>((resolve) =>
    app.getHttpServer().listen({ port: environment.PORT, backlog: LISTEN_BACKLOG }, resolve),
  );
  exitGracefullyOnSignals(app, environment.SHUTDOWN_TIMEOUT);
  app
    .get(Logger)
    .log(`listening on port ${environment.PORT}; admin API documented at ${environment.PUBLIC_BASE_URL}/docs`);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`the service failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
