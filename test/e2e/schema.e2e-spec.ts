import { ENTITIES } from '../../src/entities';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions, MIGRATIONS } from '@database/data-source-options';
import { isUniqueViolation } from '@database/dialect';
import { runPendingMigrations } from '@database/migration-runner';
import { newId } from '@common/ids';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('schema migrations', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const now = new Date('2026-11-27T10:00:00.123Z');

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await new DataSource(buildDataSourceOptions(db.url, ENTITIES)).initialize();
  });

  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('applies once even when two replicas start together', async () => {
    const other = await new DataSource(buildDataSourceOptions(db.url, ENTITIES)).initialize();
    try {
      const [a, b] = await Promise.all([runPendingMigrations(dataSource), runPendingMigrations(other)]);
      expect([...a, ...b]).toEqual(MIGRATIONS.map((migration) => migration.name));
    } finally {
      await other.destroy();
    }
    expect(await dataSource.showMigrations()).toBe(false);
  });

  const insertAccount = (id: string, username: string, igUserId: string, fields: Record<string, unknown> = {}) =>
    dataSource.getRepository('AccountEntity').insert({
      id,
      username,
      igUserId,
      ...fields,
      accessTokenCiphertext: 'c',
      appSecretCiphertext: 'c',
      verifyTokenCiphertext: 'c',
      isActive: true,
      tokenStatus: 'unknown',
      rulesVersion: 0,
      createdAt: now,
      updatedAt: now,
    });

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
    await insertAccount(accountA, 'shop_a', '17841400000000001');
    await insertAccount(accountB, 'shop_b', '17841400000000002');
    await expectUniqueViolation(insertAccount(newId(), 'shop_a', '1'));
    await expectUniqueViolation(insertAccount(newId(), 'shop_c', '17841400000000001'));

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
    const [existing] = (await dataSource.query('SELECT login_type, page_id FROM accounts WHERE username = ?', [
      'shop_a',
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
    const [account] = (await dataSource.query('SELECT id FROM accounts WHERE username = ?', ['shop_a'])) as Array<{
      id: string;
    }>;
    const [conversation] = (await dataSource.query('SELECT id FROM conversations WHERE account_id = ?', [
      account.id,
    ])) as Array<{ id: string }>;
    await insertMessage({ accountId: account.id, conversationId: conversation.id, mid: 'aBcDeF' });
    await insertMessage({ accountId: account.id, conversationId: conversation.id, mid: 'AbCdEf' });
    await insertMessage({ accountId: account.id, conversationId: conversation.id, eventKey: 'seen:aBc' });
    await insertMessage({ accountId: account.id, conversationId: conversation.id, eventKey: 'seen:AbC' });
  });

  it('keeps millisecond timestamps in UTC', async () => {
    const [row] = await dataSource.getRepository('AccountEntity').find({ where: { username: 'shop_a' } });
    expect((row as { createdAt: Date }).createdAt.toISOString()).toBe(now.toISOString());
  });

  it('stores a 1 MiB webhook body', async () => {
    const body = 'x'.repeat(1024 * 1024);
    await dataSource
      .getRepository('WebhookDeliveryEntity')
      .insert({ id: newId(), accountId: null, body, bodySha256: '0'.repeat(64), receivedAt: now });
    const [row] = await dataSource.getRepository('WebhookDeliveryEntity').find();
    expect((row as { body: string }).body.length).toBe(body.length);
  });

  it('reverts cleanly', async () => {
    await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await dataSource.showMigrations()).toBe(true);
    await runPendingMigrations(dataSource);
    expect(await dataSource.showMigrations()).toBe(false);
  });
});
