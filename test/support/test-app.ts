import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import type { DataSource } from 'typeorm';
import { DataSource as DataSourceToken } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/configure-app';
import { type Environment, parseEnvironment, type RawEnvironment } from '@config/environment';
import { checkResponsesAgainst } from './response-contract';
import { createTestDatabase, type TestDatabase } from './test-database';
import { testEnvironment } from './test-environment';

export interface TestApp {
  app: NestExpressApplication;
  env: Environment;
  database: TestDatabase;
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * The real AppModule on a fresh database of its own (or the one given, shared
 * with another instance); only Meta is replaced (by GRAPH_API_BASE_URL).
 * `configure` may override providers, e.g. timing settings that make
 * background work fast enough for a test.
 */
export async function startTestApp(
  overrides: RawEnvironment = {},
  database?: TestDatabase,
  configure: (builder: TestingModuleBuilder) => TestingModuleBuilder = (builder) => builder,
): Promise<TestApp> {
  const db = database ?? (await createTestDatabase());
  const env = parseEnvironment(testEnvironment({ DATABASE_URL: db.url, ...overrides }));
  const moduleRef = await configure(Test.createTestingModule({ imports: [AppModule.register(env)] })).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  checkResponsesAgainst(app.getHttpServer(), configureApp(app));
  await app.init();
  return {
    app,
    env,
    database: db,
    dataSource: app.get(DataSourceToken),
    close: async () => {
      await app.close();
      if (!database) await db.drop();
    },
  };
}
