import { ENTITIES } from '../../src/entities';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { buildDataSourceOptions } from '@database/data-source-options';
import { runPendingMigrations } from '@database/migration-runner';
import { Transactor } from '@database/transactor';
import { insertAccountRow } from '../support/account-rows';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** SQLite's wait for its write lock, short here so that a statement that would wait for it fails quickly. */
const SHORT_BUSY_TIMEOUT_MS = 200;

// Two replicas in one process, as the e2e tests run them (on SQLite: the server and a CLI on one file).
describe('two DataSources of one process on the same database', () => {
  let db: TestDatabase;
  let first: DataSource;
  let second: DataSource;
  let firstTransactor: Transactor;
  let secondTransactor: Transactor;

  const open = async (): Promise<DataSource> => {
    const options = buildDataSourceOptions(db.url, ENTITIES);
    const shortWait = options.type === 'better-sqlite3' ? { timeout: SHORT_BUSY_TIMEOUT_MS } : {};
    return new DataSource({ ...options, ...shortWait } as DataSourceOptions).initialize();
  };

  const insertAccount = (dataSource: DataSource, username: string) => insertAccountRow(dataSource, { username });

  beforeAll(async () => {
    db = await createTestDatabase();
    first = await open();
    await runPendingMigrations(first);
    second = await open();
    // As each app does: its Transactor puts its DataSource's statements through the connection gate.
    firstTransactor = new Transactor(first);
    secondTransactor = new Transactor(second);
  });

  afterAll(async () => {
    await second.destroy();
    await first.destroy();
    await db.drop();
  });

  it('lets a write of one wait for a transaction the other holds open, rather than fail on the lock', async () => {
    let opened!: () => void;
    const isOpen = new Promise<void>((resolve) => (opened = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const transaction = firstTransactor.run(async () => {
      await insertAccount(first, 'written_in_a_transaction');
      opened();
      await released;
    });
    await isOpen;
    const beside = secondTransactor.run(() => insertAccount(second, 'written_beside_it'));
    // The process goes on meanwhile: a timer still fires while the write beside waits.
    await new Promise((resolve) => setTimeout(resolve, SHORT_BUSY_TIMEOUT_MS * 2));
    release();
    await Promise.all([transaction, beside]);

    const rows = (await second.query('SELECT username FROM accounts ORDER BY username')) as Array<{
      username: string;
    }>;
    expect(rows.map((row) => row.username)).toEqual(['written_beside_it', 'written_in_a_transaction']);
  });
});
