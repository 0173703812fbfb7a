import { createConnection } from 'mysql2/promise';
import { Transactor } from '@database/transactor';
import type { TestApp } from './test-app';

/**
 * A database that is busy with someone else's write: the intake's next
 * transaction waits until `release` is called, so deliveries sent meanwhile
 * queue behind it. On MySQL/MariaDB another connection holds
 * `LOCK TABLES webhook_deliveries WRITE` (the intake's first insert waits for
 * it); on SQLite another transaction holds the one connection, so nothing
 * else reads the database meanwhile either: a test reads nothing while it
 * holds, and sends only to accounts whose webhook secrets it has just used
 * (they are then in memory).
 */
export async function holdIntakeWrites(t: TestApp): Promise<{ release: () => Promise<void> }> {
  const held = await hold(t);
  let released: Promise<void> | null = null;
  const release = () => (released ??= held.release());
  outstanding.add(release);
  return { release };
}

/** Every hold a test did not release (it failed first), released, so the app can close. */
const outstanding = new Set<() => Promise<void>>();

export async function releaseHeldWrites(): Promise<void> {
  await Promise.all([...outstanding].map((release) => release()));
  outstanding.clear();
}

async function hold(t: TestApp): Promise<{ release: () => Promise<void> }> {
  if (t.database.dialect === 'sqlite') {
    let release!: () => void;
    let holding!: () => void;
    const started = new Promise<void>((resolve) => (holding = resolve));
    const held = t.app
      .get(Transactor)
      .run(() => {
        holding();
        return new Promise<void>((resolve) => (release = resolve));
      })
      // A test may close the database under the holding transaction: its end is not the test's subject.
      .catch(() => undefined);
    await started;
    return {
      release: async () => {
        release();
        await held;
      },
    };
  }
  const connection = await createConnection(t.database.url);
  await connection.query('LOCK TABLES webhook_deliveries WRITE');
  return {
    release: async () => {
      await connection.query('UNLOCK TABLES');
      await connection.end();
    },
  };
}
