import { join } from 'node:path';
import request from 'supertest';
import { EventDeliveryEntity } from '@events/persistence/event-delivery.entity';
import { eventually } from '../support/eventually';
import { EventReceiver } from '../support/event-receiver';
import { fastEvents } from '../support/fast-events';
import { freePort } from '../support/free-port';
import { type ServiceProcess, startServiceProcess } from '../support/service-process';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { testEnvironment } from '../support/test-environment';

const LEASE_MS = 2000;

/**
 * A worker killed with `kill -9` while an endpoint is holding its request:
 * nothing recorded the attempt, so once the lease has expired another
 * instance delivers the event again, with the same webhook-id. At least
 * once: the receiver saw it twice, and tells the two apart by that id.
 */
describe('an event delivery whose worker dies mid-delivery', () => {
  let db: TestDatabase;
  let receiver: EventReceiver;
  let service: ServiceProcess | null = null;
  let successor: TestApp | null = null;

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await EventReceiver.start();
  });

  afterAll(async () => {
    service?.child.kill('SIGKILL');
    await successor?.close();
    await receiver.close();
    await db.drop();
  });

  it('is delivered again by another instance once its lease expires, and is not lost', async () => {
    const port = await freePort();
    const env = testEnvironment({
      DATABASE_URL: db.url,
      PORT: String(port),
      EVENT_ENDPOINTS_ALLOW_PRIVATE: 'true',
      LOG_LEVEL: 'silent',
    });
    service = startServiceProcess(
      { script: join(__dirname, '..', 'support', 'event-delivery-service.ts') },
      {
        ...env,
        EVENT_LEASE_MS: String(LEASE_MS),
      },
    );
    const base = `http://127.0.0.1:${port}`;
    await eventually(
      () =>
        request(base)
          .get('/health/live')
          .then((res) => res.status)
          .catch(() => 0),
      (status) => status === 200,
      60_000,
    );
    const auth = `Bearer ${env.ADMIN_API_TOKEN}`;
    const created = await request(base)
      .post('/event-endpoints')
      .set('Authorization', auth)
      .send({ url: receiver.url('/crm'), events: ['*'] })
      .expect(201);
    receiver.trust('/crm', created.body.secret);
    receiver.answerAlways({ hang: true });
    await request(base).post(`/event-endpoints/${created.body.id}/test`).set('Authorization', auth).expect(202);
    const [first] = await eventually(
      () => receiver.at('/crm'),
      (received) => received.length === 1,
    );

    service.child.kill('SIGKILL');
    expect(await service.exited).toBeNull();
    service = null;
    receiver.releaseHanging();
    receiver.answerAlways(null);

    successor = await startTestApp(env, db, fastEvents());
    const [, again] = await eventually(
      () => receiver.at('/crm'),
      (received) => received.length === 2,
      15_000,
    );
    expect(again.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(again.body).toBe(first.body);
    expect(again.verifiedBy).toEqual([created.body.secret]);
    const [delivery] = await eventually(
      () => successor!.dataSource.getRepository(EventDeliveryEntity).find(),
      (rows) => rows.length === 1 && rows[0].status === 'delivered',
    );
    // The killed attempt was never recorded: the one that succeeded is its first.
    expect(delivery.attempts).toBe(1);
    // Two service processes started one after the other, and a lease to run out: a busy machine needs a while.
  }, 150_000);
});
