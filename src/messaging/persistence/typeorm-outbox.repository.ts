import { Injectable } from '@nestjs/common';
import { mayCallMetaSql } from '@accounts';
import type { LoginType } from '@graph-api';
import { DataSource, type EntityManager, In, type QueryDeepPartialEntity } from 'typeorm';
import { dateFromRawColumn, dialectOf, isUniqueViolation, sqlParameter, currentManager, Transactor } from '@database';
import type { Message } from '../message';
import { toMessage } from './typeorm-message.repository';
import { MessageEntity } from './message.entity';
import { type ClaimQueries, claimRows, type Lease } from './outbox-claim';
import {
  type Claim,
  type DeliveryError,
  type MarkSentResult,
  type OutboxBacklog,
  OutboxRepository,
  type SentMessage,
} from '../outbox/outbox.repository';

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

  async markSent(
    owner: string,
    message: Message,
    mid: string | null,
    at: Date,
    attemptMade = true,
  ): Promise<MarkSentResult> {
    try {
      const recorded = await this.recordOutcome(owner, message, {
        status: 'sent',
        // What was sent: an automatic reply's placeholders are filled in only now.
        text: message.text,
        mid,
        sentAt: at,
        nextAttemptAt: null,
        ...countedAttempt(attemptMade),
      });
      return recorded ? 'recorded' : 'lease_lost';
    } catch (error) {
      if (isUniqueViolation(error)) return 'mid_taken';
      throw error;
    }
  }

  async markManySent(owner: string, sent: SentMessage[]): Promise<MarkSentResult[]> {
    if (sent.length === 1) return [await this.markSent(owner, sent[0].message, sent[0].mid, sent[0].at)];
    const ids = sent.map((s) => s.message.id);
    const accounts = [...new Set(sent.map((s) => s.message.accountId))];
    const byId = (value: (s: SentMessage) => unknown) => ({
      sql: `CASE id ${sent.map(() => 'WHEN ? THEN ?').join(' ')} END`,
      parameters: sent.flatMap((s) => [s.message.id, value(s)]),
    });
    const [mid, text, sentAt] = [byId((s) => s.mid), byId((s) => s.message.text), byId((s) => s.at)];
    const list = (values: unknown[]) => values.map(() => '?').join(', ');
    const sql = `UPDATE messages SET status = 'sent', mid = ${mid.sql}, text = ${text.sql}, sent_at = ${sentAt.sql},
        next_attempt_at = NULL, attempts = attempts + 1, lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
      WHERE id IN (${list(ids)}) AND account_id IN (${list(accounts)}) AND status = 'sending' AND lease_owner = ?`;
    const parameters = [...mid.parameters, ...text.parameters, ...sentAt.parameters, new Date(), ...ids, ...accounts];
    let affected: number;
    try {
      affected = await this.affectedBy(sql, [...parameters, owner]);
    } catch (error) {
      // One of the mids is taken (its echo came first): each is recorded alone, so only that one meets it.
      if (!isUniqueViolation(error)) throw error;
      const results: MarkSentResult[] = [];
      for (const s of sent) results.push(await this.markSent(owner, s.message, s.mid, s.at));
      return results;
    }
    if (affected === sent.length) return sent.map(() => 'recorded');
    // Some leases were lost meanwhile: the rows this owner recorded carry the mid it was given.
    const recorded = await this.rows.find({ select: { id: true, mid: true }, where: { id: In(ids), status: 'sent' } });
    const recordedMid = new Map(recorded.map((row) => [row.id, row.mid]));
    return sent.map((s) => (recordedMid.get(s.message.id) === s.mid ? 'recorded' : 'lease_lost'));
  }

  /** Runs a raw write and answers how many rows it changed. */
  private async affectedBy(sql: string, parameters: unknown[]): Promise<number> {
    const syntax = dialectOf(this.dataSource.options.type) === 'mysql' ? 'values_function' : 'sqlite';
    const bound = parameters.map((value) => sqlParameter(syntax, value));
    const manager = currentManager(this.dataSource);
    const runner = manager.queryRunner ?? this.dataSource.createQueryRunner();
    try {
      return (await runner.query(sql, bound, true)).affected ?? 0;
    } finally {
      if (runner !== manager.queryRunner) await runner.release();
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

  markFailed(owner: string, message: Message, error: DeliveryError, attemptMade: boolean): Promise<boolean> {
    return this.recordOutcome(owner, message, {
      status: 'failed',
      nextAttemptAt: null,
      ...errorColumns(error),
      ...countedAttempt(attemptMade),
    });
  }

  async privateRepliesAhead(
    accountId: string,
    messageId: string,
    since: Date,
  ): Promise<{ count: number; oldestSentAt: Date | null }> {
    const row = await this.rows
      .createQueryBuilder('m')
      .select('COUNT(*)', 'count')
      .addSelect('MIN(m.sent_at)', 'oldest')
      .where("m.account_id = :accountId AND m.direction = 'outbound' AND m.comment_id IS NOT NULL", { accountId })
      .andWhere("m.type <> 'comment'")
      .andWhere("(m.sent_at >= :since OR (m.status = 'sending' AND m.id < :messageId))", { since, messageId })
      .getRawOne<{ count: number | string; oldest: unknown }>();
    return { count: Number(row?.count ?? 0), oldestSentAt: dateFromRawColumn(row?.oldest) };
  }

  async backlog(): Promise<OutboxBacklog> {
    const groups = await this.rows
      .createQueryBuilder('m')
      .select('m.status', 'status')
      .addSelect(`CASE WHEN ${mayCallMetaSql('m.account_id')} THEN 0 ELSE 1 END`, 'held')
      .addSelect('COUNT(*)', 'count')
      .where("m.direction = 'outbound' AND m.status IN ('queued', 'sending')")
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

  /** The rows this owner has just claimed, with their conversation's window start and their account's last change and login type. */
  private async leased(owner: string, ids: string[]): Promise<Claim[]> {
    if (ids.length === 0) return [];
    const { entities, raw } = await this.rows
      .createQueryBuilder('m')
      .innerJoin('conversations', 'c', 'c.id = m.conversation_id AND c.account_id = m.account_id')
      .innerJoin('accounts', 'a', 'a.id = m.account_id')
      .addSelect([
        'c.last_inbound_at AS window_start',
        'a.updated_at AS account_updated_at',
        'a.login_type AS account_login_type',
      ])
      .where('m.id IN (:...ids) AND m.lease_owner = :owner', { ids, owner })
      .orderBy('m.id', 'ASC')
      .getRawAndEntities<{
        m_id: string;
        window_start: unknown;
        account_updated_at: unknown;
        account_login_type: LoginType;
      }>();
    const extras = new Map(raw.map((row) => [row.m_id, row]));
    return entities.map((row) => {
      const extra = extras.get(row.id);
      return {
        message: toMessage(row),
        lastInboundAt: dateFromRawColumn(extra?.window_start),
        accountUpdatedAt: dateFromRawColumn(extra?.account_updated_at) ?? new Date(0),
        accountLoginType: extra?.account_login_type ?? 'instagram',
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
    .andWhere(mayCallMetaSql('m.account_id'))
    .andWhere(
      `m.id IN (SELECT MIN(h.id) FROM messages h WHERE h.direction = 'outbound' AND h.status IN ('queued', 'sending')
        GROUP BY h.conversation_id)`,
    );
}
