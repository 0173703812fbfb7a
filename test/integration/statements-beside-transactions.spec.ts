import { ENTITIES } from '../../src/entities';
import { newIgUserId } from '../support/factories';
import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { newId } from '@common/ids';
import { buildDataSourceOptions } from '@database/data-source-options';
import { runPendingMigrations } from '@database/migration-runner';
import { currentManager, Transactor } from '@database/transactor';
import { MessageEntity } from '@messaging/persistence/message.entity';
import { TypeOrmOutboxRepository } from '@messaging/persistence/typeorm-outbox.repository';
import { createTestAccount } from '../support/accounts';
import { adminClient } from '../support/admin-client';
import { whileATransactionFails } from '../support/failing-transaction';
import { startTestApp, type TestApp } from '../support/test-app';
import { insertAccountRow } from '../support/account-rows';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const LEASE_MS = 60_000;

// On SQLite every statement of the process shares one connection: these fail
// when a statement outside a transaction runs inside whichever one is open.
describe('a request beside a transaction that rolls back', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('keeps the account that DELETE /accounts/:id deactivated meanwhile inactive', async () => {
    const { account } = await createTestAccount(t.app, { igUserId: newIgUserId() });
    const bystander = await createTestAccount(t.app, { igUserId: newIgUserId() });
    const admin = adminClient(t);

    const response = await whileATransactionFails(
      t.app.get(Transactor),
      () =>
        currentManager(t.dataSource).query('UPDATE accounts SET display_name = ? WHERE id = ?', [
          'renamed in the failing transaction',
          bystander.account.id,
        ]),
      async () => await admin.delete(`/accounts/${account.id}`),
    );

    expect(response.status).toBe(204);
    expect((await admin.get(`/accounts/${account.id}`).expect(200)).body).toMatchObject({ isActive: false });
    expect((await admin.get(`/accounts/${bystander.account.id}`).expect(200)).body).toMatchObject({
      displayName: null,
    });
  });
});

describe('the outbox beside a transaction that rolls back', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let transactor: Transactor;
  let outbox: TypeOrmOutboxRepository;

  const insertAccount = async (): Promise<string> => {
    const id = newId();
    await insertAccountRow(dataSource, { id, tokenStatus: 'valid' });
    return id;
  };

  const insertConversation = async (accountId: string): Promise<string> => {
    const id = newId();
    const now = new Date();
    await currentManager(dataSource)
      .getRepository('ConversationEntity')
      .insert({
        id,
        accountId,
        participantId: String(randomInt(10 ** 9, 10 ** 10)),
        lastMessageAt: now,
        lastInboundAt: now,
        createdAt: now,
        updatedAt: now,
      });
    return id;
  };

  /** An operator's message, due since a second ago. */
  const insertQueuedMessage = async (accountId: string, conversationId: string): Promise<string> => {
    const id = newId();
    const now = new Date();
    await currentManager(dataSource)
      .getRepository(MessageEntity)
      .insert({
        id,
        accountId,
        conversationId,
        direction: 'outbound',
        type: 'text',
        text: 'Your order has shipped.',
        recipientId: '1029384756',
        occurredAt: now,
        isEcho: false,
        isStandby: false,
        status: 'queued',
        origin: 'operator',
        partIndex: 0,
        attempts: 0,
        nextAttemptAt: new Date(now.getTime() - 1000),
        createdAt: now,
        updatedAt: now,
      });
    return id;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await new DataSource(buildDataSourceOptions(db.url, ENTITIES)).initialize();
    await runPendingMigrations(dataSource);
    transactor = new Transactor(dataSource);
    outbox = new TypeOrmOutboxRepository(dataSource, transactor);
  });

  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('never leases a message that an open transaction has not committed', async () => {
    const accountId = await insertAccount();
    const conversationId = await insertConversation(accountId);
    const now = new Date();

    const claims = await whileATransactionFails(
      transactor,
      () => insertQueuedMessage(accountId, conversationId),
      () => outbox.claimDue('another-dispatcher', 10, now, new Date(now.getTime() + LEASE_MS)),
    );

    expect(claims).toEqual([]);
    expect(await dataSource.getRepository(MessageEntity).countBy({ accountId })).toBe(0);
  });

  it('keeps a message marked sent during the transaction sent: it is never sent twice', async () => {
    const accountId = await insertAccount();
    const conversationId = await insertConversation(accountId);
    const messageId = await insertQueuedMessage(accountId, conversationId);
    const now = new Date();
    const claim = await outbox.claimMessage(
      'dispatcher',
      accountId,
      messageId,
      now,
      new Date(now.getTime() + LEASE_MS),
    );
    expect(claim).not.toBeNull();

    const result = await whileATransactionFails(
      transactor,
      () => insertConversation(accountId),
      () => outbox.markSent('dispatcher', claim!.message, 'mid-of-the-one-send', new Date()),
    );

    expect(result).toBe('recorded');
    expect(await dataSource.getRepository(MessageEntity).findOneByOrFail({ id: messageId })).toMatchObject({
      status: 'sent',
      mid: 'mid-of-the-one-send',
      leaseOwner: null,
    });
  });
});
