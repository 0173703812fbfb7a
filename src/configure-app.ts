import type { NestExpressApplication } from '@nestjs/platform-express';

/** HTTP set-up shared by the server and the e2e tests, so tests exercise what runs in production. */
export function configureApp(app: NestExpressApplication): void {
  app.enableShutdownHooks();
}
