/**
 * `npm run openapi`: writes the admin API's OpenAPI document to openapi.json,
 * the same document the service serves at /docs-json (a test fails when the
 * two differ). The app is built in preview mode: its routes and DTOs are
 * read, and nothing is started, so no database or secret is needed.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module';
import { parseEnvironment } from '@config/environment';
import { createOpenApiDocument } from '@openapi/openapi-document';

const OPENAPI_FILE = join(__dirname, '..', 'openapi.json');

async function writeOpenApiDocument(): Promise<void> {
  // Read by the modules' set-up only; preview mode connects nothing and encrypts nothing.
  const placeholders = parseEnvironment({
    NODE_ENV: 'test',
    APP_SECRET_KEY: '0'.repeat(64),
    ADMIN_API_TOKEN: 'openapi-document-placeholder-admin-token',
    DATABASE_URL: 'sqlite::memory:',
    LOG_LEVEL: 'silent',
  });
  const app = await NestFactory.create(AppModule.register(placeholders), { preview: true, logger: false });
  writeFileSync(OPENAPI_FILE, `${JSON.stringify(createOpenApiDocument(app), null, 2)}\n`);
  await app.close();
}

writeOpenApiDocument().catch((error: unknown) => {
  process.stderr.write(`openapi.json was not written: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
