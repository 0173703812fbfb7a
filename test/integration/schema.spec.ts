import { ENTITIES } from '../../src/entities';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions, MIGRATIONS } from '@database/data-source-options';
import { isUniqueViolation } from '@database/dialect';
import { runPendingMigrations, whileHoldingMigrationLock } from '@database/migration-runner';
import { newId } from '@common/ids';
import { insertAccountRow } from '../support/account-rows';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** Two DataSources on one fresh database, as two replicas starting together. */
async function twoReplicasOnAFreshDatabase(): Promise<{ db: TestDatabase; replicas: DataSource[] }> {
  const db = await createTestDatabase();
  const replicas = await Promise.all(
    [1, 2].map(() => new DataSource(buildDataSourceOptions(db.url, ENTITIES)).initialize()),
  );
  return { db, replicas };
}

describe('schema migrations, applied by replicas starting together', () => {
  it('are applied once, all of them', async () => {
    const { db, replicas } = await twoReplicasOnAFreshDatabase();
    try {
      const applied = await Promise.all(replicas.map((replica) => runPendingMigrations(replica)));
      expect(applied.flat()).toEqual(MIGRATIONS.map((migration) => migration.name));
      expect(await replicas[0].showMigrations()).toBe(false);
    } finally {
      await Promise.all(replicas.map((replica) => replica.destroy()));
      await db.drop();
    }
  });

  it('are not held back by a migration under way on another database of the same server', async () => {
    const [busy, idle] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    const [migrating, starting] = await Promise.all(
      [busy, idle].map((db) => new DataSource(buildDataSourceOptions(db.url, ENTITIES)).initialize()),
    );
    try {
      // While the other database's migrations hold its lock, this one migrates at once (not after 300 s).
      const applied = await whileHoldingMigrationLock(migrating, () => runPendingMigrations(starting));
      expect(applied).toEqual(MIGRATIONS.map((migration) => migration.name));
    } finally {
      await Promise.all([migrating.destroy(), starting.destroy()]);
      await Promise.all([busy.drop(), idle.drop()]);
    }
  });
});

/** Each test works on rows of its own, so the tests hold in any order. */
describe('the schema', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const now = new Date('2026-11-27T10:00:00.123Z');

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await new DataSource(buildDataSourceOptions(db.url, ENTITIES)).initialize();
    await runPendingMigrations(dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  let accounts = 0;
  /** A new account with one conversation. */
  const anAccountWithAConversation = async () => {
    accounts += 1;
    const accountId = newId();
    await insertAccount(accountId, `shop_${accounts}`, `1784150000000${String(accounts).padStart(4, '0')}`);
    const conversationId = newId();
    await insertConversation(conversationId, accountId, '1029384756102938');
    return { accountId, conversationId };
  };

  const insertAccount = (id: string, username: string, igUserId: string, fields: Record<string, unknown> = {}) =>
    insertAccountRow(dataSource, { createdAt: now, updatedAt: now, ...fields, id, username, igUserId });

  const insertConversation = (id: string, accountId: string, participantId: string) =>
    dataSource.getRepository('ConversationEntity').insert({
      id,
      accountId,
      participantId,
      createdAt: now,
      updatedAt: now,
    });

  const insertMessage = (fields: Record<string, unknown>) =>
    dataSource.getRepository('MessageEntity').insert({
      id: newId(),
      direction: 'inbound',
      type: 'text',
      occurredAt: now,
      isEcho: false,
      isStandby: false,
      partIndex: 0,
      attempts: 0,
      createdAt: now,
      updatedAt: now,
      ...fields,
    });

  const expectUniqueViolation = async (write: Promise<unknown>) => {
    const error = await write.then(
      () => null,
      (e: unknown) => e,
    );
    expect(isUniqueViolation(error)).toBe(true);
  };

  it('enforces the unique keys the guarantees rest on', async () => {
    const accountA = newId();
    const accountB = newId();
    await insertAccount(accountA, 'unique_a', '17841400000000001');
    await insertAccount(accountB, 'unique_b', '17841400000000002');
    await expectUniqueViolation(insertAccount(newId(), 'unique_a', '1'));
    await expectUniqueViolation(insertAccount(newId(), 'unique_c', '17841400000000001'));

    const conversationA = newId();
    await insertConversation(conversationA, accountA, '1029384756102938');
    await expectUniqueViolation(insertConversation(newId(), accountA, '1029384756102938'));
    const conversationB = newId();
    await insertConversation(conversationB, accountB, '1029384756102938');

    const base = { accountId: accountA, conversationId: conversationA };
    const inbound = newId();
    await dataSource.getRepository('MessageEntity').insert({
      ...(await Promise.resolve(base)),
      id: inbound,
      mid: 'mid-1',
      direction: 'inbound',
      type: 'text',
      occurredAt: now,
      isEcho: false,
      isStandby: false,
      partIndex: 0,
      attempts: 0,
      createdAt: now,
      updatedAt: now,
    });
    await expectUniqueViolation(insertMessage({ ...base, mid: 'mid-1' }));
    await insertMessage({ accountId: accountB, conversationId: conversationB, mid: 'mid-1' });

    await insertMessage({ ...base, type: 'reaction', eventKey: 'reaction:abc' });
    await expectUniqueViolation(insertMessage({ ...base, type: 'reaction', eventKey: 'reaction:abc' }));

    await insertMessage({ ...base, direction: 'outbound', replyToMessageId: inbound, origin: 'rule' });
    await expectUniqueViolation(
      insertMessage({ ...base, direction: 'outbound', replyToMessageId: inbound, origin: 'rule' }),
    );
    await insertMessage({ ...base, direction: 'outbound', replyToMessageId: inbound, partIndex: 1, origin: 'rule' });

    // Outbound messages have no mid until sent: many may wait at once.
    await insertMessage({ ...base, direction: 'outbound', origin: 'operator' });
    await insertMessage({ ...base, direction: 'outbound', origin: 'operator' });
  });

  it('connects accounts through Instagram Login unless told otherwise, and gives a Page to one account only', async () => {
    await insertAccount(newId(), 'shop_told_nothing', '17841400000000006');
    const [existing] = (await dataSource.query('SELECT login_type, page_id FROM accounts WHERE username = ?', [
      'shop_told_nothing',
    ])) as Array<{ login_type: string; page_id: string | null }>;
    expect(existing).toEqual({ login_type: 'instagram', page_id: null });
    const viaPage = (username: string, igUserId: string, pageId: string) =>
      insertAccount(newId(), username, igUserId, { loginType: 'facebook', pageId });
    await viaPage('shop_page', '17841400000000003', '102938475610293');
    await expectUniqueViolation(viaPage('shop_page_2', '17841400000000004', '102938475610293'));
    // Accounts without a Page (Instagram Login) are many.
    await insertAccount(newId(), 'shop_d', '17841400000000005');
  });

  it('tells mids apart by case, as Meta does', async () => {
    const { accountId, conversationId } = await anAccountWithAConversation();
    for (const mid of ['aBcDeF', 'AbCdEf']) await insertMessage({ accountId, conversationId, mid });
    for (const eventKey of ['seen:aBc', 'seen:AbC']) await insertMessage({ accountId, conversationId, eventKey });
    const stored = (await dataSource.query('SELECT mid, event_key FROM messages WHERE account_id = ?', [
      accountId,
    ])) as Array<{ mid: string | null; event_key: string | null }>;
    expect(stored.map((row) => row.mid ?? row.event_key).sort()).toEqual(['AbCdEf', 'aBcDeF', 'seen:AbC', 'seen:aBc']);
  });

  it('keeps millisecond timestamps in UTC', async () => {
    const { accountId } = await anAccountWithAConversation();
    const [row] = await dataSource.getRepository('AccountEntity').find({ where: { id: accountId } });
    expect((row as { createdAt: Date }).createdAt.toISOString()).toBe(now.toISOString());
  });

  it('stores a 1 MiB webhook body', async () => {
    const body = 'x'.repeat(1024 * 1024);
    const id = newId();
    await dataSource
      .getRepository('WebhookDeliveryEntity')
      .insert({ id, accountId: null, body, bodySha256: 'f'.repeat(64), receivedAt: now });
    const [row] = await dataSource.getRepository('WebhookDeliveryEntity').find({ where: { id } });
    expect((row as { body: string }).body.length).toBe(body.length);
  });

  it('reverts cleanly', async () => {
    await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await dataSource.showMigrations()).toBe(true);
    await runPendingMigrations(dataSource);
    expect(await dataSource.showMigrations()).toBe(false);
  });
});
