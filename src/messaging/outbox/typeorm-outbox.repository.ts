import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In, type QueryDeepPartialEntity } from 'typeorm';
import { dateFromRawColumn, isUniqueViolation } from '../../database/dialect';
import { currentManager, Transactor } from '../../database/transactor';
import type { Message } from '../messages/message';
import { toMessage } from '../messages/typeorm-message.repository';
import { MessageEntity } from '../persistence/message.entity';
import { type ClaimQueries, claimRows, type Lease } from './outbox-claim';
import {
  type Claim,
  type DeliveryError,
  type MarkSentResult,
  type OutboxBacklog,
  OutboxRepository,
} from './outbox.repository';

/** Outcome columns that every recorded result resets: the lease ends with it. */
const LEASE_RELEASED = { leaseOwner: null, leaseExpiresAt: null } as const;

const errorColumns = (error: DeliveryError) => ({
  lastError: error.message,
  lastErrorCode: error.code,
  lastErrorSubcode: error.subcode,
});

const countedAttempt = (attemptMade: boolean) => (attemptMade ? { attempts: () => 'attempts + 1' } : {});

/**
 * The outbox on the `messages` table. Claims read across accounts (the
 * dispatcher serves them all); every write names the message's account and
 * holds only while the caller still owns the lease.
 */
@Injectable()
export class TypeOrmOutboxRepository extends OutboxRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactor: Transactor,
  ) {
    super();
  }

  private get rows() {
    return currentManager(this.dataSource).getRepository(MessageEntity);
  }

  async claimDue(owner: string, limit: number, now: Date, leaseUntil: Date): Promise<Claim[]> {
    return this.claim({ owner, until: leaseUntil, now }, (manager) =>
      claimable(manager, now).orderBy('m.next_attempt_at', 'ASC').addOrderBy('m.id', 'ASC').limit(limit),
    );
  }

  async claimMessage(
    owner: string,
    accountId: string,
    messageId: string,
    now: Date,
    leaseUntil: Date,
  ): Promise<Claim | null> {
    const claimed = await this.claim({ owner, until: leaseUntil, now }, (manager) =>
      claimable(manager, now).andWhere('m.account_id = :accountId AND m.id = :messageId', { accountId, messageId }),
    );
    return claimed[0] ?? null;
  }

  async markSent(owner: string, message: Message, mid: string | null, at: Date): Promise<MarkSentResult> {
    try {
      const recorded = await this.recordOutcome(owner, message, {
        status: 'sent',
        mid,
        sentAt: at,
        nextAttemptAt: null,
        ...countedAttempt(true),
      });
      return recorded ? 'recorded' : 'lease_lost';
    } catch (error) {
      if (isUniqueViolation(error)) return 'mid_taken';
      throw error;
    }
  }

  async retryLater(
    owner: string,
    message: Message,
    at: Date,
    error: DeliveryError,
    attemptMade: boolean,
  ): Promise<void> {
    await this.recordOutcome(owner, message, {
      status: 'queued',
      nextAttemptAt: at,
      ...errorColumns(error),
      ...countedAttempt(attemptMade),
    });
  }

  async markFailed(owner: string, message: Message, error: DeliveryError, attemptMade: boolean): Promise<void> {
    await this.recordOutcome(owner, message, {
      status: 'failed',
      nextAttemptAt: null,
      ...errorColumns(error),
      ...countedAttempt(attemptMade),
    });
  }

  async backlog(): Promise<OutboxBacklog> {
    const groups = await this.rows
      .createQueryBuilder('m')
      .innerJoin('accounts', 'a', 'a.id = m.account_id')
      .select('m.status', 'status')
      .addSelect("CASE WHEN a.is_active = :active AND a.token_status <> 'invalid' THEN 0 ELSE 1 END", 'held')
      .addSelect('COUNT(*)', 'count')
      .where("m.direction = 'outbound' AND m.status IN ('queued', 'sending')")
      .setParameter('active', true)
      .groupBy('m.status')
      .addGroupBy('held')
      .getRawMany<{ status: string; held: number | string; count: number | string }>();
    const oldest = await this.rows.findOne({
      select: { id: true, createdAt: true },
      where: { direction: 'outbound', status: In(['queued', 'sending']) },
      order: { createdAt: 'ASC' },
    });
    const backlog: OutboxBacklog = { queued: 0, sending: 0, held: 0, oldestQueuedAt: oldest?.createdAt ?? null };
    for (const group of groups) {
      const count = Number(group.count);
      if (group.status === 'sending') backlog.sending += count;
      else backlog.queued += count;
      if (Number(group.held) === 1 && group.status === 'queued') backlog.held += count;
    }
    return backlog;
  }

  private async claim(lease: Lease, candidates: ClaimQueries['candidates']): Promise<Claim[]> {
    const due = (manager: EntityManager) => dueRows(manager, lease.now);
    return this.leased(lease.owner, await claimRows(this.dataSource, this.transactor, { candidates, due }, lease));
  }

  /** The rows this owner has just claimed, with their conversation's window start and their account's last change. */
  private async leased(owner: string, ids: string[]): Promise<Claim[]> {
    if (ids.length === 0) return [];
    const { entities, raw } = await this.rows
      .createQueryBuilder('m')
      .innerJoin('conversations', 'c', 'c.id = m.conversation_id AND c.account_id = m.account_id')
      .innerJoin('accounts', 'a', 'a.id = m.account_id')
      .addSelect(['c.last_inbound_at AS window_start', 'a.updated_at AS account_updated_at'])
      .where('m.id IN (:...ids) AND m.lease_owner = :owner', { ids, owner })
      .orderBy('m.id', 'ASC')
      .getRawAndEntities<{ m_id: string; window_start: unknown; account_updated_at: unknown }>();
    const extras = new Map(raw.map((row) => [row.m_id, row]));
    return entities.map((row) => {
      const extra = extras.get(row.id);
      return {
        message: toMessage(row),
        lastInboundAt: dateFromRawColumn(extra?.window_start),
        accountUpdatedAt: dateFromRawColumn(extra?.account_updated_at) ?? new Date(0),
      };
    });
  }

  /** Writes an outcome only while `owner` still holds the message's lease; false when it no longer does. */
  private async recordOutcome(owner: string, message: Message, changes: Record<string, unknown>): Promise<boolean> {
    const result = await this.rows.update(
      { id: message.id, accountId: message.accountId, status: 'sending', leaseOwner: owner },
      { ...changes, ...LEASE_RELEASED, updatedAt: new Date() } as QueryDeepPartialEntity<MessageEntity>,
    );
    return (result.affected ?? 0) > 0;
  }
}

/** Outbound rows due now: queued and due, or sending under a lease that has expired (its dispatcher died). */
function dueRows(manager: EntityManager, now: Date) {
  return manager
    .getRepository(MessageEntity)
    .createQueryBuilder('m')
    .where("m.direction = 'outbound'")
    .andWhere(
      "((m.status = 'queued' AND m.next_attempt_at <= :now) OR (m.status = 'sending' AND m.lease_expires_at < :now))",
      { now },
    );
}

/**
 * Due rows that may be sent now: of an account that may send (active, token
 * not invalid), and first of their conversation's queue (the lowest id of its
 * queued or sending messages; ids are time-ordered UUIDv7), so parts and
 * messages leave in the order they were queued. The head of each queue is
 * found in one grouped pass over the outbox rather than a lookup per row.
 */
function claimable(manager: EntityManager, now: Date) {
  return dueRows(manager, now)
    .andWhere(
      "EXISTS (SELECT 1 FROM accounts a WHERE a.id = m.account_id AND a.is_active = :active AND a.token_status <> 'invalid')",
      { active: true },
    )
    .andWhere(
      `m.id IN (SELECT MIN(h.id) FROM messages h WHERE h.direction = 'outbound' AND h.status IN ('queued', 'sending')
        GROUP BY h.conversation_id)`,
    );
}
