import { randomInt } from 'node:crypto';
import { newIgUserId } from '../support/factories';
import { ConfigService } from '@nestjs/config';
import request from 'supertest';
import { In } from 'typeorm';
import type { Environment } from '@config/environment';
import { MessageEntity } from '@messaging/persistence/message.entity';
import { DeliveryRetentionWorker } from '@retention/delivery-retention-worker';
import { RawDeliveryArchive } from '@retention/raw-delivery-archive';
import { RetentionSettings } from '@retention/retention-settings';
import { UnroutableEventEntity } from '@messaging/persistence/unroutable-event.entity';
import { WebhookDeliveryEntity } from '@messaging/persistence/webhook-delivery.entity';
import { createTestAccount, type TestAccount } from '../support/accounts';
import { eventually } from '../support/eventually';
import { customerMessage } from '../support/instagram-events';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text';
import { startTestApp, type TestApp } from '../support/test-app';
import { postWebhook } from '../support/webhook-sender';

const DAY_MS = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);

/** A customer's message posted to the shop's own route, in an entry for `igUserId` (another's: unroutable). */
const postToShop = (t: TestApp, shop: TestAccount, igUserId: string, text = 'Hello') =>
  postWebhook(
    t.app.getHttpServer(),
    `/webhooks/instagram/${shop.account.id}`,
    customerMessage({ igUserId, customer: String(randomInt(10 ** 9, 10 ** 10)), text }),
    shop.credentials.appSecret,
  ).expect(200);

interface Pace {
  intervalMs: number;
  batchSize: number;
}

/** The service with DELIVERY_RETENTION from `env` (default 30d), purging at a pace of the test's choosing. */
async function startWithRetention(env: Record<string, string>, pace: Pace): Promise<TestApp> {
  return startTestApp(env, undefined, (builder) =>
    builder.overrideProvider(RetentionSettings).useFactory({
      inject: [ConfigService],
      factory: (config: ConfigService<Environment, true>) =>
        new RetentionSettings(
          config.get('DELIVERY_RETENTION', { infer: true }),
          pace.intervalMs,
          pace.batchSize,
          10,
          0,
        ),
    }),
  );
}

describe('DELIVERY_RETENTION', () => {
  let t: TestApp;
  let shop: TestAccount;
  const deliveries = () => t.dataSource.getRepository(WebhookDeliveryEntity);
  const entries = () => t.dataSource.getRepository(UnroutableEventEntity);

  /** One delivery to the shop's route: its own message, or an entry for an account it is not (unroutable). */
  async function deliver(entryFor: 'shop' | 'stranger'): Promise<WebhookDeliveryEntity> {
    const before = new Set((await deliveries().find({ select: { id: true } })).map((row) => row.id));
    await postToShop(t, shop, entryFor === 'shop' ? shop.account.igUserId : newIgUserId());
    const stored = (await deliveries().find()).filter((row) => !before.has(row.id));
    expect(stored).toHaveLength(1);
    return stored[0];
  }

  async function age(delivery: WebhookDeliveryEntity, when: Date): Promise<void> {
    await deliveries().update({ id: delivery.id }, { receivedAt: when });
    await entries().update({ deliveryId: delivery.id }, { createdAt: when });
  }

  beforeAll(async () => {
    t = await startWithRetention({}, { intervalMs: 3_600_000, batchSize: 2 });
    shop = await createTestAccount(t.app, { igUserId: newIgUserId() });
  });

  afterAll(async () => {
    await t.close();
  });

  it('deletes deliveries and unroutable entries older than the retention, and keeps newer ones and every message', async () => {
    const old = [await deliver('shop'), await deliver('shop'), await deliver('shop'), await deliver('stranger')];
    const recent = [await deliver('shop'), await deliver('stranger')];
    for (const delivery of old) await age(delivery, daysAgo(31));
    await age(recent[0], daysAgo(29));
    const messages = await t.dataSource.getRepository(MessageEntity).countBy({ accountId: shop.account.id });
    expect(messages).toBe(4);

    const report = await t.app.get(DeliveryRetentionWorker).purgeExpired();

    expect(report).toEqual({ deliveries: 4, unroutableEntries: 1, eventDeliveries: 0 });
    expect((await deliveries().find()).map((row) => row.id).sort()).toEqual(recent.map((row) => row.id).sort());
    expect(await entries().find()).toEqual([expect.objectContaining({ deliveryId: recent[1].id })]);
    expect(await t.dataSource.getRepository(MessageEntity).countBy({ accountId: shop.account.id })).toBe(messages);
    const samples = parsePrometheusText((await request(t.app.getHttpServer()).get('/metrics').expect(200)).text);
    const purged = (table: string) => sampleValue(samples, 'gateway_retention_purged_rows_total', { table });
    expect({ deliveries: purged('webhook_deliveries'), entries: purged('unroutable_events') }).toEqual({
      deliveries: 4,
      entries: 1,
    });
  });

  it('deletes at most one batch per statement, the oldest first', async () => {
    const stored = [];
    for (let i = 0; i < 5; i++) stored.push(await deliver('shop'));
    for (const [i, delivery] of stored.entries()) await age(delivery, daysAgo(40 - i));

    expect(await t.app.get(RawDeliveryArchive).deleteDeliveriesReceivedBefore(daysAgo(30), 2)).toBe(2);

    const left = await deliveries().findBy({ id: In(stored.map((row) => row.id)) });
    expect(left.map((row) => row.id).sort()).toEqual(
      stored
        .slice(2)
        .map((row) => row.id)
        .sort(),
    );
    await t.app.get(DeliveryRetentionWorker).purgeExpired();
    expect(await deliveries().countBy({ id: In(stored.map((row) => row.id)) })).toBe(0);
  });
});

describe('DELIVERY_RETENTION in the background', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startWithRetention({ DELIVERY_RETENTION: '2d' }, { intervalMs: 50, batchSize: 200 });
  });

  afterAll(async () => {
    await t.close();
  });

  it('purges on its own while the service runs, by the DELIVERY_RETENTION configured', async () => {
    const shop = await createTestAccount(t.app, { igUserId: newIgUserId() });
    for (const text of ['first', 'second']) await postToShop(t, shop, shop.account.igUserId, text);
    const deliveries = t.dataSource.getRepository(WebhookDeliveryEntity);
    const [older, younger] = await deliveries.find({ where: { accountId: shop.account.id }, order: { id: 'ASC' } });
    await deliveries.update({ id: younger.id }, { receivedAt: daysAgo(1) });
    await deliveries.update({ id: older.id }, { receivedAt: daysAgo(3) });

    const left = await eventually(
      () => deliveries.findBy({ accountId: shop.account.id }),
      (rows) => rows.length === 1,
    );
    expect(left.map((row) => row.id)).toEqual([younger.id]);
  });
});
