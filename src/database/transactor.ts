import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { dialectOf } from './dialect';
import { type SqliteConnectionGate, sqliteConnectionGate } from './sqlite-connection-gate';

/** The transaction under way: its EntityManager, and what is to run once it has committed. */
interface ActiveTransaction {
  manager: EntityManager;
  onCommit: Array<() => void>;
}

const activeTransaction = new AsyncLocalStorage<ActiveTransaction>();

/** The transaction's EntityManager inside `Transactor.run`, the DataSource's own outside it. */
export function currentManager(dataSource: DataSource): EntityManager {
  return activeTransaction.getStore()?.manager ?? dataSource.manager;
}

const DEADLOCK_CODES = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY']);
const MAX_ATTEMPTS = 4;

function isRetryableConflict(error: unknown): boolean {
  const code =
    (error as { driverError?: { code?: string }; code?: string })?.driverError?.code ??
    (error as { code?: string })?.code;
  return typeof code === 'string' && DEADLOCK_CODES.has(code);
}

/**
 * Runs work in one database transaction that every repository joins
 * implicitly (through `currentManager`), so a service can store several
 * records atomically without passing a handle around. On MySQL it runs at
 * READ COMMITTED, so a row another transaction has just committed (the winner
 * of a unique-key race) is visible, and a deadlock victim is retried.
 *
 * SQLite has one connection per process: a transaction holds it through its
 * `SqliteConnectionGate`, so transactions run one after another, and a
 * statement outside any transaction waits until none is open rather than
 * joining (and being rolled back with) whichever one is.
 */
@Injectable()
export class Transactor {
  /** SQLite only; null on MySQL, where each transaction has a pooled connection of its own. */
  private readonly sqliteGate: SqliteConnectionGate | null;

  constructor(private readonly dataSource: DataSource) {
    this.sqliteGate = dialectOf(dataSource.options.type) === 'sqlite' ? sqliteConnectionGate(dataSource) : null;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (activeTransaction.getStore()) return work();
    if (this.sqliteGate === null) return this.runWithRetries(work);
    return this.sqliteGate.exclusive(() => this.runWithRetries(work));
  }

  /** Whether the caller runs inside a transaction (`run`). */
  inTransaction(): boolean {
    return activeTransaction.getStore() !== undefined;
  }

  /**
   * Runs `callback` once the transaction under way has committed (not if it
   * rolls back, and once however often it is retried), or at once outside
   * any transaction: for what must only follow committed rows, such as
   * waking a worker that will look for them.
   */
  afterCommit(callback: () => void): void {
    const transaction = activeTransaction.getStore();
    if (transaction) transaction.onCommit.push(callback);
    else callback();
  }

  private async runWithRetries<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const onCommit: Array<() => void> = [];
      let result: T;
      try {
        const inTransaction = (manager: EntityManager) => activeTransaction.run({ manager, onCommit }, work);
        // MySQL's connections are in READ COMMITTED from the start (`readCommittedMysql`).
        result = await this.dataSource.transaction(inTransaction);
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !isRetryableConflict(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, attempt * (5 + Math.random() * 20)));
        continue;
      }
      for (const callback of onCommit) callback();
      return result;
    }
  }
}
