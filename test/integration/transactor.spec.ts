import { ENTITIES } from '../../src/entities';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '@database/data-source-options';
import { dialectOf } from '@database/dialect';
import { runPendingMigrations } from '@database/migration-runner';
import { currentManager, Transactor } from '@database/transactor';
import { insertAccountRow } from '../support/account-rows';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('Transactor', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let transactor: Transactor;
  const insertAccount = (username: string) => insertAccountRow(dataSource, { username });
  /** Inside a transaction, through its own connection (`currentManager`); outside, through any. */
  const usernames = async () =>
    (
      (await currentManager(dataSource).query('SELECT username FROM accounts ORDER BY username')) as Array<{
        username: string;
      }>
    ).map((r) => r.username);

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await new DataSource(buildDataSourceOptions(db.url, ENTITIES)).initialize();
    await runPendingMigrations(dataSource);
    transactor = new Transactor(dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('runs what follows a commit once it has committed, and never after a rollback', async () => {
    const seen: string[][] = [];
    const look = () => void usernames().then((names) => seen.push(names));
    await transactor.run(async () => {
      await insertAccount('aftercommit');
      transactor.afterCommit(() => seen.push(['committed']));
    });
    await expect(
      transactor.run(async () => {
        await insertAccount('neverseen');
        transactor.afterCommit(look);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    transactor.afterCommit(() => seen.push(['outside a transaction']));
    expect(seen).toEqual([['committed'], ['outside a transaction']]);
    await dataSource.query("DELETE FROM accounts WHERE username = 'aftercommit'");
  });

  it('keeps concurrent transactions apart: one rolling back never takes the other’s work with it', async () => {
    let releaseFirst!: () => void;
    const firstMayFail = new Promise<void>((resolve) => (releaseFirst = resolve));
    const failing = transactor.run(async () => {
      await insertAccount('rolledback');
      await firstMayFail;
      throw new Error('this transaction fails after writing');
    });
    const succeeding = transactor.run(async () => {
      await insertAccount('committed');
    });
    setTimeout(releaseFirst, 50);
    await expect(failing).rejects.toThrow('fails after writing');
    await succeeding;
    expect(await usernames()).toEqual(['committed']);
  });

  it('reads, inside a transaction, what another committed meanwhile on MySQL (READ COMMITTED); SQLite runs them in turn', async () => {
    let committed!: () => void;
    const otherCommitted = new Promise<void>((resolve) => (committed = resolve));
    let readOnce!: () => void;
    const firstRead = new Promise<void>((resolve) => (readOnce = resolve));
    const reads: string[][] = [];
    const reading = transactor.run(async () => {
      reads.push(await usernames());
      readOnce();
      await Promise.race([otherCommitted, new Promise((resolve) => setTimeout(resolve, 300))]);
      reads.push(await usernames());
    });
    // The other transaction starts once the first has read: on SQLite it then waits for the first to end.
    const writing = firstRead.then(() => transactor.run(() => insertAccount('meanwhile'))).then(committed);
    await Promise.all([reading, writing]);
    const [before, after] = reads;
    expect(before).not.toContain('meanwhile');
    if (dialectOf(dataSource.options.type) === 'mysql') expect(after).toContain('meanwhile');
    else expect(after).not.toContain('meanwhile');
    expect(await usernames()).toContain('meanwhile');
  });
});
