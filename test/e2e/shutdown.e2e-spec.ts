import { request as httpRequest } from 'node:http';
import { signBody } from '../support/webhook-sender';
import { eventually } from '../support/eventually';
import { customerMessage, newMid } from '../support/instagram-events';
import { ACCOUNT_A_IG_USER_ID, CUSTOMER_IGSID } from '../support/meta-fixtures';
import { startServiceProcess, type ServiceProcess } from '../support/service-process';
import { startTestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { testEnvironment } from '../support/test-environment';
import { freePort } from '../support/free-port';

const STARTUP_MS = 45_000;

/** The real server process (`src/main.ts`) on a database and port of its own, with one account. */
async function startServer(database: TestDatabase, overrides: Record<string, string> = {}) {
  const port = await freePort();
  const env = testEnvironment({ DATABASE_URL: database.url, PORT: String(port), LOG_LEVEL: 'info', ...overrides });
  const service = startServiceProcess('main', env);
  await eventually(
    () => service.output(),
    (output) => output.includes('listening on port'),
    STARTUP_MS,
  );
  const appSecret = 'app-secret-of-the-shutdown-test';
  const created = await fetch(`http://127.0.0.1:${port}/accounts`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${env.ADMIN_API_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      username: 'shutdown_shop',
      igUserId: ACCOUNT_A_IG_USER_ID,
      accessToken: 'IGAA-shutdown-test-token',
      appSecret,
      verifyToken: 'verify-shutdown-test',
    }),
  });
  expect(created.status).toBe(201);
  const accountId = ((await created.json()) as { id: string }).id;
  return { service, port, accountId, appSecret };
}

/**
 * A signed webhook whose body arrives in two writes: the server holds the
 * request in flight (waiting for the rest of the body) until `finish` is
 * called, however long that takes. Resolves once the server has the request:
 * a connection is established in the kernel before the server takes it, so
 * it waits for an answer on a later connection, which the server takes after.
 */
async function slowWebhook(port: number, accountId: string, appSecret: string, body: string) {
  const bytes = Buffer.from(body, 'utf8');
  let settle: (value: { status: number; text: string } | Error) => void = () => undefined;
  const outcome = new Promise<{ status: number; text: string } | Error>((resolve) => (settle = resolve));
  const req = httpRequest(
    {
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: `/webhooks/instagram/${accountId}`,
      headers: {
        'Content-Type': 'application/json',
        'Content-Length': bytes.length,
        'X-Hub-Signature-256': signBody(bytes, appSecret),
      },
    },
    (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => settle({ status: res.statusCode ?? 0, text }));
    },
  );
  req.on('error', settle);
  const connected = new Promise((resolve) => req.on('socket', (socket) => socket.once('connect', resolve)));
  req.write(bytes.subarray(0, 10));
  await connected;
  expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
  return { outcome, finish: () => req.end(bytes.subarray(10)) };
}

/** Resolves once the server has taken the signal (and so stopped listening). */
const shutdownStarted = (service: ServiceProcess) =>
  eventually(
    () => service.output(),
    (output) => output.includes('SIGTERM received: finishing'),
  );

describe('shutting the server process down', () => {
  let database: TestDatabase;
  let service: ServiceProcess | undefined;

  beforeEach(async () => {
    database = await createTestDatabase();
  });

  afterEach(async () => {
    if (service && service.child.exitCode === null && service.child.signalCode === null) {
      service.child.kill('SIGKILL');
      await service.exited;
    }
    service = undefined;
    await database.drop();
  });

  it(
    'on SIGTERM stops accepting, answers the request in flight, keeps what it acknowledged, and exits 0',
    async () => {
      const server = await startServer(database);
      service = server.service;
      const mid = newMid();
      const body = customerMessage({ igUserId: ACCOUNT_A_IG_USER_ID, customer: CUSTOMER_IGSID, text: 'hi', mid });
      const webhook = await slowWebhook(server.port, server.accountId, server.appSecret, body);

      service.child.kill('SIGTERM');
      await shutdownStarted(service);
      await expect(fetch(`http://127.0.0.1:${server.port}/health/live`)).rejects.toThrow();
      webhook.finish();

      expect(await webhook.outcome).toEqual({ status: 200, text: 'EVENT_RECEIVED' });
      expect(await service.exited).toBe(0);
      const after = await startTestApp({}, database);
      try {
        const rows = (await after.dataSource.query('SELECT COUNT(*) AS n FROM messages WHERE mid = ?', [
          mid,
        ])) as Array<{
          n: number | string;
        }>;
        expect(Number(rows[0].n)).toBe(1);
      } finally {
        await after.close();
      }
    },
    STARTUP_MS * 2,
  );

  it(
    'exits at once on a second SIGTERM, without waiting for the request in flight',
    async () => {
      // A long grace period: only the second signal can end this process within the test's time.
      const server = await startServer(database, { SHUTDOWN_TIMEOUT: '10m' });
      service = server.service;
      const body = customerMessage({ igUserId: ACCOUNT_A_IG_USER_ID, customer: CUSTOMER_IGSID, text: 'hi' });
      const webhook = await slowWebhook(server.port, server.accountId, server.appSecret, body);

      service.child.kill('SIGTERM');
      await shutdownStarted(service);
      service.child.kill('SIGTERM');

      expect(await service.exited).toBe(143);
      expect(await webhook.outcome).toMatchObject({ code: 'ECONNRESET' });
      expect(service.output()).toContain('SIGTERM received again: exiting without waiting');
    },
    STARTUP_MS * 2,
  );

  it(
    'exits 1 when what is in flight does not finish within SHUTDOWN_TIMEOUT',
    async () => {
      const server = await startServer(database, { SHUTDOWN_TIMEOUT: '1s' });
      service = server.service;
      const body = customerMessage({ igUserId: ACCOUNT_A_IG_USER_ID, customer: CUSTOMER_IGSID, text: 'hi' });
      const webhook = await slowWebhook(server.port, server.accountId, server.appSecret, body);

      service.child.kill('SIGTERM');

      expect(await service.exited).toBe(1);
      expect(await webhook.outcome).toMatchObject({ code: 'ECONNRESET' });
      expect(service.output()).toContain('shutdown did not finish within 1000 ms');
    },
    STARTUP_MS * 2,
  );
});
