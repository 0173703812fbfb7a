import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newId, decodeCursor, type Page, pageOf } from '@common';
import { isUniqueViolation, currentManager } from '@database';
import { ConversationEntity } from './conversation.entity';
import type { Conversation, ConversationSummary } from '../conversation';
import { ContactEntity } from '@contacts';
import { type ConversationActivity, ConversationRepository } from '../conversation.repository';

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

@Injectable()
export class TypeOrmConversationRepository extends ConversationRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  private get rows() {
    return currentManager(this.dataSource).getRepository(ConversationEntity);
  }

  async getOrStart(
    accountId: string,
    participantId: string,
    activity: ConversationActivity,
  ): Promise<{ conversation: Conversation; created: boolean }> {
    const existing = await this.getByParticipant(accountId, participantId);
    if (existing) return { conversation: existing, created: false };
    const now = new Date();
    const row: ConversationEntity = {
      id: newId(),
      accountId,
      participantId,
      lastMessageAt: activity.at,
      lastInboundAt: activity.fromParticipant ? activity.at : null,
      automationPausedUntil: null,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.rows.insert(row);
      return { conversation: toConversation(row), created: true };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Another delivery created it first; it has committed, so it is visible now.
      const winner = await this.getByParticipant(accountId, participantId);
      if (!winner) throw error;
      return { conversation: winner, created: false };
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

  async list(accountId: string, limit: number, cursor: string | null): Promise<Page<ConversationSummary>> {
    const query = this.rows
      .createQueryBuilder('c')
      .leftJoin(ContactEntity, 'ct', 'ct.account_id = c.account_id AND ct.igsid = c.participant_id')
      .addSelect(['ct.username', 'ct.name'])
      .where('c.account_id = :accountId', { accountId })
      .orderBy('c.last_message_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(limit + 1);
    if (cursor) {
      const [lastMessageAt, id] = decodeCursor(cursor, 2);
      const after = new Date(Number(lastMessageAt));
      query.andWhere('(c.last_message_at < :after OR (c.last_message_at = :after AND c.id < :id))', { after, id });
    }
    const { entities, raw } = await query.getRawAndEntities<{ ct_username: string | null; ct_name: string | null }>();
    const summaries = entities.map((row, index) => ({
      ...toConversation(row),
      participantUsername: raw[index]?.ct_username ?? null,
      participantName: raw[index]?.ct_name ?? null,
    }));
    // Every conversation is created with its first message, so last_message_at is never empty in a listing.
    return pageOf(summaries, limit, (c) => [(c.lastMessageAt ?? new Date(0)).getTime(), c.id]);
  }
}
