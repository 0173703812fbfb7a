import { setTimeout as sleep } from 'node:timers/promises';
import type { Transactor } from '@database/transactor';

/** The longest `during` is given to finish while the transaction is still open, if it can. */
const OPEN_FOR_MS = 1000;
const FAILURE = 'the transaction fails after writing';

/**
 * Runs `during` from outside a transaction that writes, stays open, and then
 * fails. `during` may finish while the transaction is open (on MySQL, on a
 * connection of its own) or only after its rollback (SQLite's one
 * connection); either way it must not be part of it. Answers what `during`
 * answered.
 */
export async function whileATransactionFails<T>(
  transactor: Transactor,
  write: () => Promise<unknown>,
  during: () => Promise<T>,
): Promise<T> {
  let opened!: () => void;
  const open = new Promise<void>((resolve) => (opened = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const failing = transactor.run(async () => {
    await write();
    opened();
    await released;
    throw new Error(FAILURE);
  });
  await open;
  // Started here, outside the transaction's async context, as a concurrent request would be.
  const outcome = during();
  const openTime = new AbortController();
  await Promise.race([
    outcome.catch(() => undefined),
    sleep(OPEN_FOR_MS, undefined, { signal: openTime.signal }).catch(() => undefined),
  ]);
  openTime.abort();
  release();
  await failing.catch((error: unknown) => {
    if (!(error instanceof Error) || error.message !== FAILURE) throw error;
  });
  return outcome;
}
