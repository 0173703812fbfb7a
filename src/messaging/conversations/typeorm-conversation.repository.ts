import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newId } from '../../common/ids';
import { decodeCursor, type Page, pageOf } from '../../common/page';
import { isUniqueViolation } from '../../database/dialect';
import { currentManager } from '../../database/transactor';
import { ConversationEntity } from '../persistence/conversation.entity';
import type { Conversation } from './conversation';
import { ConversationRepository } from './conversation.repository';

const toConversation = (row: ConversationEntity): Conversation => ({
  id: row.id,
  accountId: row.accountId,
  participantId: row.participantId,
  lastMessageAt: row.lastMessageAt,
  lastInboundAt: row.lastInboundAt,
  automationPausedUntil: row.automationPausedUntil,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

/** Sorts conversations without activity last, as the oldest possible time. */
const EPOCH = new Date(0);

@Injectable()
export class TypeOrmConversationRepository extends ConversationRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  private get rows() {
    return currentManager(this.dataSource).getRepository(ConversationEntity);
  }

  async getOrCreate(accountId: string, participantId: string): Promise<Conversation> {
    const existing = await this.getByParticipant(accountId, participantId);
    if (existing) return existing;
    const now = new Date();
    const row: ConversationEntity = {
      id: newId(),
      accountId,
      participantId,
      lastMessageAt: null,
      lastInboundAt: null,
      automationPausedUntil: null,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.rows.insert(row);
      return toConversation(row);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Another delivery created it first; it has committed, so it is visible now.
      const winner = await this.getByParticipant(accountId, participantId);
      if (!winner) throw error;
      return winner;
    }
  }

  async getById(accountId: string, conversationId: string): Promise<Conversation | null> {
    const row = await this.rows.findOneBy({ accountId, id: conversationId });
    return row ? toConversation(row) : null;
  }

  async getByParticipant(accountId: string, participantId: string): Promise<Conversation | null> {
    const row = await this.rows.findOneBy({ accountId, participantId });
    return row ? toConversation(row) : null;
  }

  async updateLastMessageTime(
    accountId: string,
    conversationId: string,
    at: Date,
    fromParticipant: boolean,
  ): Promise<void> {
    const now = new Date();
    const later = (column: string) => `CASE WHEN ${column} IS NULL OR ${column} < :at THEN :at ELSE ${column} END`;
    await this.rows
      .createQueryBuilder()
      .update()
      .set({
        lastMessageAt: () => later('last_message_at'),
        ...(fromParticipant ? { lastInboundAt: () => later('last_inbound_at') } : {}),
        updatedAt: now,
      })
      .where('account_id = :accountId AND id = :conversationId', { accountId, conversationId })
      .setParameter('at', at)
      .execute();
  }

  async setAutomationPausedUntil(accountId: string, conversationId: string, until: Date | null): Promise<void> {
    await this.rows.update({ accountId, id: conversationId }, { automationPausedUntil: until, updatedAt: new Date() });
  }

  async list(accountId: string, limit: number, cursor: string | null): Promise<Page<Conversation>> {
    const query = this.rows
      .createQueryBuilder('c')
      .where('c.account_id = :accountId', { accountId })
      .orderBy('c.last_message_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .take(limit + 1);
    if (cursor) {
      const [lastMessageAt, id] = decodeCursor(cursor, 2);
      const after = new Date(Number(lastMessageAt));
      query.andWhere(
        '(COALESCE(c.last_message_at, :epoch) < :after OR (COALESCE(c.last_message_at, :epoch) = :after AND c.id < :id))',
        { after, id, epoch: EPOCH },
      );
    }
    const rows = await query.getMany();
    return pageOf(rows.map(toConversation), limit, (c) => [(c.lastMessageAt ?? EPOCH).getTime(), c.id]);
  }
}
