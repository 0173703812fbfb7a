import { AsyncLocalStorage } from 'node:async_hooks';
import { resolve } from 'node:path';
import type { DataSource, QueryRunner } from 'typeorm';

/** One holder's time with the connection; closed when its work ends, so work it left running cannot slip in later. */
interface Turn {
  open: boolean;
}

/**
 * The one SQLite connection of a process, as a resource with one holder at a
 * time. TypeORM's better-sqlite3 driver runs every statement on a single
 * connection, so a statement sent while a transaction is open would run
 * inside it: rolled back with it, and seeing its uncommitted rows. Here a
 * transaction holds the connection from its BEGIN to its COMMIT or ROLLBACK,
 * and any other statement (a read too) waits for its turn, in arrival order,
 * and holds the connection for just that statement.
 *
 * Work that holds the connection must not wait for a statement started
 * outside it: that statement waits for the work in turn, and neither ends.
 */
export class SqliteConnectionGate {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly holder = new AsyncLocalStorage<Turn>();

  /** Runs `work` as the connection's only user: its statements pass at once, every other one waits until it ends. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.holds()) return work();
    const turn = this.tail.then(() => {
      const current: Turn = { open: true };
      return this.holder.run(current, work).finally(() => {
        current.open = false;
      });
    });
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  /** True inside work that holds the connection now. */
  holds(): boolean {
    return this.holder.getStore()?.open === true;
  }
}

const gates = new WeakMap<DataSource, SqliteConnectionGate>();
/** The gates of database files, shared by every DataSource of the process that opens the same file. */
const fileGates = new Map<string, SqliteConnectionGate>();

/**
 * The gate of a SQLite DataSource, put in front of its query path the first
 * time it is asked for: from then on every statement of the DataSource, from
 * a repository, a query builder or `dataSource.query`, goes through it.
 *
 * DataSources of one process on the same file share one gate. Each has a
 * connection of its own, and better-sqlite3 waits for SQLite's write lock
 * synchronously (its busy timeout): a statement of one connection waiting
 * for a transaction of another connection in the same process would stop
 * the event loop, so that transaction could never finish, and the whole
 * process would stand still for the full timeout. Another process holding
 * the lock (the CLI beside the server) finishes on its own, so there the
 * wait is short.
 */
export function sqliteConnectionGate(dataSource: DataSource): SqliteConnectionGate {
  let gate = gates.get(dataSource);
  if (!gate) {
    const file = databaseFileOf(dataSource);
    gate = (file !== null ? fileGates.get(file) : undefined) ?? new SqliteConnectionGate();
    if (file !== null) fileGates.set(file, gate);
    gates.set(dataSource, gate);
    routeQueriesThrough(dataSource, gate);
  }
  return gate;
}

/** The absolute path of the DataSource's database file; null for an in-memory database, which is its connection's own. */
function databaseFileOf(dataSource: DataSource): string | null {
  const database = dataSource.options.database;
  if (typeof database !== 'string' || database === '' || database === ':memory:') return null;
  return resolve(database);
}

/**
 * The driver hands out one query runner (a new one after a reconnect); each
 * gets its `query` wrapped once. BEGIN, COMMIT and ROLLBACK go through
 * `query` too, so a transaction's own statements pass because it holds the gate.
 */
function routeQueriesThrough(dataSource: DataSource, gate: SqliteConnectionGate): void {
  const driver = dataSource.driver;
  const createQueryRunner = driver.createQueryRunner.bind(driver);
  const gated = new WeakSet<QueryRunner>();
  driver.createQueryRunner = (mode) => {
    const runner = createQueryRunner(mode);
    if (!gated.has(runner)) {
      const query = runner.query.bind(runner);
      runner.query = ((...args: Parameters<QueryRunner['query']>) =>
        gate.exclusive(() => query(...args))) as QueryRunner['query'];
      gated.add(runner);
    }
    return runner;
  };
}
