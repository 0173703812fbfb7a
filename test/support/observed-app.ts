import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { Logger, PARAMS_PROVIDER_TOKEN } from 'nestjs-pino';
import { DataSource as DataSourceToken } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/configure-app';
import { parseEnvironment, type RawEnvironment } from '@config/environment';
import { buildLoggerOptions } from '@logging/logger-options';
import type { TestApp } from './test-app';
import { onEachResponse } from './response-capture';
import { checkResponsesAgainst } from './response-contract';
import { createTestDatabase, type TestDatabase } from './test-database';
import { testEnvironment } from './test-environment';

/** Everything the service wrote while a test file ran. */
export class CapturedOutput {
  private readonly chunks: string[] = [];

  append(chunk: unknown): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
  }

  text(): string {
    return this.chunks.join('');
  }

  get length(): number {
    return this.chunks.reduce((total, chunk) => total + chunk.length, 0);
  }
}

/** One answer the service gave, as the client received it. */
export interface RecordedResponse {
  method: string;
  url: string;
  statusCode: number;
  headers: string;
  body: string;
}

/** A test app whose log output and HTTP answers are all kept, to be searched afterwards. */
export interface ObservedTestApp extends TestApp {
  log: CapturedOutput;
  responses: RecordedResponse[];
}

/**
 * nestjs-pino builds one root logger per module registry (one per jest test
 * file), from the parameters of the first app that starts. So every app of a
 * file that uses this helper logs into this one capture; a file must not start
 * an app through `startTestApp` before this one.
 */
const fileLog = new CapturedOutput();

/**
 * Like `startTestApp`, but the service logs at `trace` into memory (through
 * the production logger options, redaction included) instead of nowhere, and
 * every response the HTTP server writes is recorded. Pair with
 * `captureProcessOutput` to also keep anything written around the logger.
 */
export async function startObservedTestApp(
  overrides: RawEnvironment = {},
  database?: TestDatabase,
  /** Further provider overrides (e.g. faster background work). */
  customize: (builder: TestingModuleBuilder) => TestingModuleBuilder = (builder) => builder,
): Promise<ObservedTestApp> {
  const db = database ?? (await createTestDatabase());
  const env = parseEnvironment(testEnvironment({ DATABASE_URL: db.url, LOG_LEVEL: 'trace', ...overrides }));
  const options = buildLoggerOptions(env);
  const destination = new Writable({
    write(chunk, _encoding, done) {
      fileLog.append(chunk);
      done();
    },
  });
  const moduleRef = await customize(
    Test.createTestingModule({ imports: [AppModule.register(env)] })
      .overrideProvider(PARAMS_PROVIDER_TOKEN)
      .useValue({ ...options, pinoHttp: [options.pinoHttp, destination] }),
  ).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  checkResponsesAgainst(app.getHttpServer(), configureApp(app));
  await app.init();
  const responses: RecordedResponse[] = [];
  recordResponses(app.getHttpServer() as Server, responses);
  return {
    app,
    env,
    database: db,
    dataSource: app.get(DataSourceToken),
    log: fileLog,
    responses,
    close: async () => {
      await app.close();
      if (!database) await db.drop();
    },
  };
}

/** Keeps a copy of every answer the server writes (status, headers and body), whichever client asked. */
function recordResponses(server: Server, responses: RecordedResponse[]): void {
  onEachResponse(server, ({ method, url, statusCode, headers, body }) =>
    responses.push({ method, url, statusCode, headers: JSON.stringify(headers), body: body.toString('utf8') }),
  );
}

/**
 * Also keeps whatever reaches stdout, stderr or the console while a file runs
 * (anything that bypasses the logger). Returns the function that stops it.
 */
export function captureProcessOutput(log: CapturedOutput = fileLog): () => void {
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write.bind(stream));
  streams.forEach((stream, i) => {
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      log.append(chunk);
      return (originals[i] as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
  });
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const spies = methods.map((method) =>
    jest
      .spyOn(console, method)
      .mockImplementation((...args: unknown[]) => log.append(`${args.map(String).join(' ')}\n`)),
  );
  return () => {
    streams.forEach((stream, i) => (stream.write = originals[i] as typeof stream.write));
    spies.forEach((spy) => spy.mockRestore());
  };
}
