import { randomBytes } from 'node:crypto';
import type { RawEnvironment } from '@config/environment';

/** A complete, valid environment for a test, with fresh secrets each time. */
export function testEnvironment(overrides: RawEnvironment = {}): RawEnvironment {
  return {
    NODE_ENV: 'test',
    APP_SECRET_KEY: randomBytes(32).toString('base64'),
    ADMIN_API_TOKEN: randomBytes(32).toString('hex'),
    PORT: '3000',
    PUBLIC_BASE_URL: 'https://gateway.test.example',
    GRAPH_API_BASE_URL: 'http://127.0.0.1:9',
    FACEBOOK_GRAPH_API_BASE_URL: 'http://127.0.0.1:9',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DB_RUN_MIGRATIONS: 'true',
    ...overrides,
  };
}
