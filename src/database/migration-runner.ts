import type { DataSource } from 'typeorm';
import { dialectOf } from './dialect';
import { sqliteConnectionGate } from './sqlite-connection-gate';

/**
 * The lock is the database's own, not the server's: gateways sharing a MySQL
 * server, each with a database of its own, migrate without waiting for each
 * other. A lock name is at most 64 characters, so the database name is hashed.
 */
const MYSQL_LOCK_NAME = "CONCAT('instagram_dm_gateway_migrations_', LEFT(SHA1(DATABASE()), 24))";
const MYSQL_LOCK_WAIT_SECONDS = 300;

/**
 * Applies pending migrations. On MySQL, replicas starting together serialise
 * on a named lock, so one migrates and the others find nothing left to do.
 * SQLite has no named locks: a CLI started beside the server may race it,
 * and the loser's migration transaction rolls back, so it simply tries again
 * and then finds the work done. There the migrations hold the process's one
 * connection, so no other statement lands inside their transactions.
 */
export async function runPendingMigrations(dataSource: DataSource): Promise<string[]> {
  if (dialectOf(dataSource.options.type) !== 'mysql') return runOnSqlite(dataSource);
  return whileHoldingMigrationLock(dataSource, async () =>
    (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name),
  );
}

/** Runs `work` while this database's migration lock is held (MySQL; on SQLite it just runs it). */
export async function whileHoldingMigrationLock<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  if (dialectOf(dataSource.options.type) !== 'mysql') return work();
  const lockRunner = dataSource.createQueryRunner();
  try {
    const [row] = (await lockRunner.query(`SELECT GET_LOCK(${MYSQL_LOCK_NAME}, ?) AS acquired`, [
      MYSQL_LOCK_WAIT_SECONDS,
    ])) as Array<{ acquired: number | string | null }>;
    if (Number(row?.acquired) !== 1) {
      throw new Error(`could not take the migration lock within ${MYSQL_LOCK_WAIT_SECONDS} s`);
    }
    try {
      return await work();
    } finally {
      await lockRunner.query(`SELECT RELEASE_LOCK(${MYSQL_LOCK_NAME})`);
    }
  } finally {
    await lockRunner.release();
  }
}

async function runOnSqlite(dataSource: DataSource, attemptsLeft = 5): Promise<string[]> {
  try {
    const applied = await sqliteConnectionGate(dataSource).exclusive(() =>
      dataSource.runMigrations({ transaction: 'each' }),
    );
    return applied.map((m) => m.name);
  } catch (error) {
    if (attemptsLeft <= 1) throw error;
    await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200));
    return runOnSqlite(dataSource, attemptsLeft - 1);
  }
}
