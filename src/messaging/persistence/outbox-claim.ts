import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { dialectOf, currentManager, type Transactor } from '@database';
import { MessageEntity } from './message.entity';

export interface Lease {
  owner: string;
  until: Date;
  now: Date;
}

/** A query over `messages m`. */
type MessageQuery = (manager: EntityManager) => SelectQueryBuilder<MessageEntity>;

export interface ClaimQueries {
  /** The messages to claim, best first, limited: every condition, as a plain read. */
  candidates: MessageQuery;
  /** The part of the conditions another dispatcher's claim can change: the message is due (queued, or its lease expired). */
  due: MessageQuery;
}

/**
 * Takes the lease of the messages `candidates` selects and answers their ids.
 * This is the one place the dialects differ for the outbox:
 * - MySQL/MariaDB (10.6+): the candidates are read without locks; then, in a
 *   short transaction, `SELECT ... FOR UPDATE SKIP LOCKED` by primary key,
 *   still due, and `UPDATE` by id. Replicas claiming at the same moment skip
 *   each other's rows instead of waiting for them or taking them twice, and
 *   nothing but those message rows is ever locked (not the accounts, not the
 *   rows the ordering check reads).
 * - SQLite: one `UPDATE ... WHERE id IN (candidates) RETURNING id`, which
 *   SQLite runs under its single write lock: the statement is the claim.
 */
export async function claimRows(
  dataSource: DataSource,
  transactor: Transactor,
  queries: ClaimQueries,
  lease: Lease,
): Promise<string[]> {
  const leased = { status: 'sending', leaseOwner: lease.owner, leaseExpiresAt: lease.until, updatedAt: lease.now };
  if (dialectOf(dataSource.options.type) === 'mysql') {
    const candidates = await queries
      .candidates(currentManager(dataSource))
      .select('m.id', 'id')
      .getRawMany<{ id: string }>();
    if (candidates.length === 0) return [];
    return transactor.run(async () => {
      const manager = currentManager(dataSource);
      const locked = await queries
        .due(manager)
        .select('m.id', 'id')
        .andWhere('m.id IN (:...ids)', { ids: candidates.map((row) => row.id) })
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getRawMany<{ id: string }>();
      const ids = locked.map((row) => row.id);
      if (ids.length > 0) {
        await manager.createQueryBuilder().update(MessageEntity).set(leased).whereInIds(ids).execute();
      }
      return ids;
    });
  }
  const manager = currentManager(dataSource);
  const chosen = queries.candidates(manager).select('m.id');
  const [sql, parameters] = manager
    .createQueryBuilder()
    .update(MessageEntity)
    .set(leased)
    .where(`id IN (${chosen.getQuery()})`)
    .setParameters(chosen.getParameters())
    .getQueryAndParameters();
  const rows = (await manager.query(`${sql} RETURNING id`, parameters)) as Array<{ id: string }>;
  return rows.map((row) => row.id);
}
