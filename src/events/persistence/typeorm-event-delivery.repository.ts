import { Injectable } from '@nestjs/common';
import { DataSource, In, LessThan, type QueryDeepPartialEntity } from 'typeorm';
import { decodeCursor, pageOf, type Page } from '@common';
import { TokenCipher } from '@crypto';
import {
  currentManager,
  dateFromRawColumn,
  dialectOf,
  insertSkippingDuplicatesSql,
  sqlParameter,
  Transactor,
} from '@database';
import type {
  AttemptRecord,
  ClaimedDelivery,
  DeliveryBacklog,
  DeliveryStatus,
  EventDelivery,
  QueuedDelivery,
} from '../event-delivery';
import { type ClaimRoom, EventDeliveryRepository, type Lease, type RetryResult } from '../event-delivery.repository';
import type { EventType } from '../event-types';
import { signingSecrets } from './endpoint-secrets';
import { EventDeliveryEntity } from './event-delivery.entity';

const QUEUED_COLUMNS = [
  'id',
  'event_id',
  'endpoint_id',
  'account_id',
  'type',
  'payload',
  'next_attempt_at',
  'created_at',
  'updated_at',
];
const QUEUED_CONSTANTS = {
  status: "'pending'",
  attempts: '0',
  ...Object.fromEntries(
    [
      'lease_owner',
      'lease_expires_at',
      'last_attempt_at',
      'last_response_status',
      'last_error',
      'last_duration_ms',
      'delivered_at',
      'finished_at',
    ].map((column) => [column, 'NULL']),
  ),
};
/** Rows per INSERT: well within SQLite's bound parameters; an intake batch's events fit in one. */
const MAX_ROWS_PER_STATEMENT = 3000;

/** Due: pending and due, and not leased (or its lease expired: the worker that held it died). */
const DUE = `d.status = 'pending' AND d.next_attempt_at <= ? AND (d.lease_expires_at IS NULL OR d.lease_expires_at < ?)`;

interface ClaimedRow {
  id: string;
  event_id: string;
  endpoint_id: string;
  type: string;
  payload: string;
  attempts: number | string;
  url: string;
  secret_ciphertext: string;
  previous_secret_ciphertext: string | null;
  previous_secret_expires_at: unknown;
}

const attemptColumns = (attempt: AttemptRecord) => ({
  lastAttemptAt: attempt.at,
  lastResponseStatus: attempt.responseStatus,
  lastError: attempt.error,
  lastDurationMs: Math.round(attempt.durationMs),
  attempts: () => 'attempts + 1',
  leaseOwner: null,
  leaseExpiresAt: null,
  updatedAt: attempt.at,
});

/** A failed delivery as new: due now, with a fresh schedule, and its last attempt still shown. */
const retriedColumns = (now: Date) => ({
  status: 'pending',
  attempts: 0,
  nextAttemptAt: now,
  finishedAt: null,
  leaseOwner: null,
  leaseExpiresAt: null,
  updatedAt: now,
});

function toEventDelivery(row: EventDeliveryEntity): EventDelivery {
  return {
    id: row.id,
    eventId: row.eventId,
    endpointId: row.endpointId,
    accountId: row.accountId,
    type: row.type as EventType,
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    lastAttemptAt: row.lastAttemptAt,
    lastResponseStatus: row.lastResponseStatus,
    lastError: row.lastError,
    lastDurationMs: row.lastDurationMs,
    nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt : null,
    deliveredAt: row.deliveredAt,
    createdAt: row.createdAt,
  };
}

/**
 * The event outbox in `event_deliveries`. A claim reads its candidates
 * without locks (ranked per endpoint, so that one endpoint's backlog never
 * crowds out the others), then takes them:
 * - MySQL/MariaDB: in a short transaction, `SELECT ... FOR UPDATE SKIP
 *   LOCKED` by id, still due, and an `UPDATE` of those; workers claiming at
 *   once skip each other's rows rather than wait for them or take them twice;
 * - SQLite: one conditional `UPDATE ... RETURNING`, which its single write
 *   lock makes the claim.
 */
@Injectable()
export class TypeOrmEventDeliveryRepository extends EventDeliveryRepository {
  private readonly mysql: boolean;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactor: Transactor,
    private readonly cipher: TokenCipher,
  ) {
    super();
    this.mysql = dialectOf(dataSource.options.type) === 'mysql';
  }

  private get rows() {
    return currentManager(this.dataSource).getRepository(EventDeliveryEntity);
  }

  private async run<T>(sql: string, parameters: unknown[]): Promise<T> {
    const syntax = this.mysql ? 'values_function' : 'sqlite';
    return (await currentManager(this.dataSource).query(
      sql,
      parameters.map((value) => sqlParameter(syntax, value)),
    )) as T;
  }

  async queue(deliveries: QueuedDelivery[], now: Date): Promise<void> {
    for (let start = 0; start < deliveries.length; start += MAX_ROWS_PER_STATEMENT) {
      const chunk = deliveries.slice(start, start + MAX_ROWS_PER_STATEMENT);
      const sql = insertSkippingDuplicatesSql(
        this.mysql ? 'values_function' : 'sqlite',
        'event_deliveries',
        QUEUED_COLUMNS,
        chunk.length,
        QUEUED_CONSTANTS,
      );
      await this.run(
        sql,
        chunk.flatMap((d) => [d.id, d.eventId, d.endpointId, d.accountId, d.type, d.payload, now, now, now]),
      );
    }
  }

  async claimDue(lease: Lease, room: ClaimRoom): Promise<ClaimedDelivery[]> {
    if (room.total <= 0) return [];
    const ids = await this.candidates(lease.now, room);
    if (ids.length === 0) return [];
    const claimed = this.mysql ? await this.lockAndLease(ids, lease) : await this.leaseInOneStatement(ids, lease);
    return this.leased(claimed, lease);
  }

  /** The due deliveries to claim, earliest first, each endpoint within its room. */
  private async candidates(now: Date, room: ClaimRoom): Promise<string[]> {
    const { full } = room;
    const skipFull = full.length > 0 ? `AND d.endpoint_id NOT IN (${full.map(() => '?').join(', ')})` : '';
    const rows = await this.run<Array<{ id: string; endpoint_id: string; place: number | string }>>(
      `SELECT id, endpoint_id, place FROM (
         SELECT d.id, d.endpoint_id, d.next_attempt_at,
           ROW_NUMBER() OVER (PARTITION BY d.endpoint_id ORDER BY d.next_attempt_at, d.id) AS place
         FROM event_deliveries d INNER JOIN event_endpoints e ON e.id = d.endpoint_id AND e.enabled = 1
         WHERE ${DUE} ${skipFull}
       ) ranked WHERE place <= ? ORDER BY next_attempt_at, id LIMIT ?`,
      [now, now, ...full, room.maxPerEndpoint, room.total],
    );
    return rows
      .filter((row) => Number(row.place) <= room.roomOf(row.endpoint_id))
      .slice(0, room.total)
      .map((row) => row.id);
  }

  private lockAndLease(ids: string[], lease: Lease): Promise<string[]> {
    return this.transactor.run(async () => {
      const locked = await this.run<Array<{ id: string }>>(
        `SELECT d.id FROM event_deliveries d WHERE d.id IN (${ids.map(() => '?').join(', ')}) AND ${DUE}
         FOR UPDATE SKIP LOCKED`,
        [...ids, lease.now, lease.now],
      );
      const lockedIds = locked.map((row) => row.id);
      if (lockedIds.length > 0) {
        await this.rows.update(
          { id: In(lockedIds) },
          { leaseOwner: lease.owner, leaseExpiresAt: lease.until, updatedAt: lease.now },
        );
      }
      return lockedIds;
    });
  }

  private async leaseInOneStatement(ids: string[], lease: Lease): Promise<string[]> {
    const rows = await this.run<Array<{ id: string }>>(
      `UPDATE event_deliveries AS d SET lease_owner = ?, lease_expires_at = ?, updated_at = ?
       WHERE d.id IN (${ids.map(() => '?').join(', ')}) AND ${DUE} RETURNING id`,
      [lease.owner, lease.until, lease.now, ...ids, lease.now, lease.now],
    );
    return rows.map((row) => row.id);
  }

  /** The deliveries this owner has just claimed, with their endpoint's URL and the secrets that sign now. */
  private async leased(ids: string[], lease: Lease): Promise<ClaimedDelivery[]> {
    if (ids.length === 0) return [];
    const rows = await this.run<ClaimedRow[]>(
      `SELECT d.id, d.event_id, d.endpoint_id, d.type, d.payload, d.attempts, e.url, e.secret_ciphertext,
         e.previous_secret_ciphertext, e.previous_secret_expires_at
       FROM event_deliveries d INNER JOIN event_endpoints e ON e.id = d.endpoint_id
       WHERE d.id IN (${ids.map(() => '?').join(', ')}) AND d.lease_owner = ?
       ORDER BY d.id`,
      [...ids, lease.owner],
    );
    return rows.map((row) => ({
      id: row.id,
      eventId: row.event_id,
      endpointId: row.endpoint_id,
      type: row.type as EventType,
      payload: row.payload,
      attempts: Number(row.attempts),
      url: row.url,
      secrets: signingSecrets(
        this.cipher,
        {
          id: row.endpoint_id,
          secretCiphertext: row.secret_ciphertext,
          previousSecretCiphertext: row.previous_secret_ciphertext,
          previousSecretExpiresAt: dateFromRawColumn(row.previous_secret_expires_at),
        },
        lease.now,
      ),
    }));
  }

  async markManyDelivered(
    owner: string,
    delivered: ReadonlyArray<{ id: string; attempt: AttemptRecord }>,
  ): Promise<void> {
    if (delivered.length === 0) return;
    const byId = (value: (attempt: AttemptRecord) => unknown) => ({
      sql: `CASE id ${delivered.map(() => 'WHEN ? THEN ?').join(' ')} END`,
      parameters: delivered.flatMap(({ id, attempt }) => [id, value(attempt)]),
    });
    const [at, status, duration] = [
      byId((attempt) => attempt.at),
      byId((attempt) => attempt.responseStatus),
      byId((attempt) => Math.round(attempt.durationMs)),
    ];
    const ids = delivered.map(({ id }) => id);
    await this.run(
      `UPDATE event_deliveries SET status = 'delivered', attempts = attempts + 1, last_attempt_at = ${at.sql},
         delivered_at = ${at.sql}, finished_at = ${at.sql}, last_response_status = ${status.sql},
         last_duration_ms = ${duration.sql}, last_error = NULL, next_attempt_at = NULL, lease_owner = NULL,
         lease_expires_at = NULL, updated_at = ${at.sql}
       WHERE id IN (${ids.map(() => '?').join(', ')}) AND status = 'pending' AND lease_owner = ?`,
      [
        ...at.parameters,
        ...at.parameters,
        ...at.parameters,
        ...status.parameters,
        ...duration.parameters,
        ...at.parameters,
        ...ids,
        owner,
      ],
    );
  }

  retryLater(owner: string, id: string, at: Date, attempt: AttemptRecord): Promise<boolean> {
    return this.recordAttempt(owner, id, { ...attemptColumns(attempt), nextAttemptAt: at });
  }

  markFailed(owner: string, id: string, attempt: AttemptRecord): Promise<boolean> {
    return this.recordAttempt(owner, id, {
      ...attemptColumns(attempt),
      status: 'failed',
      nextAttemptAt: null,
      finishedAt: attempt.at,
    });
  }

  /** Written only while `owner` still holds the lease: false when another worker has the delivery now. */
  private async recordAttempt(owner: string, id: string, changes: Record<string, unknown>): Promise<boolean> {
    const result = await this.rows.update(
      { id, status: 'pending', leaseOwner: owner },
      changes as QueryDeepPartialEntity<EventDeliveryEntity>,
    );
    return (result.affected ?? 0) > 0;
  }

  async list(endpointId: string, limit: number, cursor: string | null): Promise<Page<EventDelivery>> {
    const before = cursor === null ? null : String(decodeCursor(cursor, 1)[0]);
    const rows = await this.rows.find({
      where: before === null ? { endpointId } : { endpointId, id: LessThan(before) },
      order: { id: 'DESC' },
      take: limit + 1,
    });
    return pageOf(rows.map(toEventDelivery), limit, (delivery) => [delivery.id]);
  }

  async get(endpointId: string, deliveryId: string): Promise<EventDelivery | null> {
    const row = await this.rows.findOne({ where: { id: deliveryId, endpointId } });
    return row ? toEventDelivery(row) : null;
  }

  async retry(endpointId: string, deliveryId: string, now: Date): Promise<RetryResult> {
    const result = await this.rows.update({ id: deliveryId, endpointId, status: 'failed' }, retriedColumns(now));
    if (result.affected) return 'retried';
    return (await this.rows.existsBy({ id: deliveryId, endpointId })) ? 'not_failed' : 'not_found';
  }

  async retryFailed(endpointId: string, now: Date): Promise<number> {
    const result = await this.rows.update({ endpointId, status: 'failed' }, retriedColumns(now));
    return result.affected ?? 0;
  }

  async failPending(endpointId: string, reason: string, now: Date): Promise<number> {
    const result = await this.rows
      .createQueryBuilder()
      .update(EventDeliveryEntity)
      .set({ status: 'failed', lastError: reason, nextAttemptAt: null, finishedAt: now, updatedAt: now })
      .where("endpoint_id = :endpointId AND status = 'pending'", { endpointId })
      .execute();
    return result.affected ?? 0;
  }

  async backlog(): Promise<DeliveryBacklog> {
    const groups = await this.run<Array<{ status: string; count: number | string; oldest: unknown }>>(
      `SELECT status, COUNT(*) AS count, MIN(created_at) AS oldest FROM event_deliveries
       WHERE status IN ('pending', 'failed') GROUP BY status`,
      [],
    );
    const of = (status: string) => groups.find((group) => group.status === status);
    return {
      pending: Number(of('pending')?.count ?? 0),
      failed: Number(of('failed')?.count ?? 0),
      oldestPendingAt: dateFromRawColumn(of('pending')?.oldest),
    };
  }
}
