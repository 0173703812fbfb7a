import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, MoreThanOrEqual, type QueryDeepPartialEntity } from 'typeorm';
import { newId, decodeCursor, type Page, pageOf } from '@common';
import { isUniqueViolation, currentManager } from '@database';
import { MessageEntity } from './message.entity';
import type {
  EditOutcome,
  Message,
  MessageEdit,
  MessageDirection,
  MessageOrigin,
  MessageSource,
  MessageType,
  NewInboundMessage,
  NewOutboundMessage,
  OutboundStatus,
} from '../message';
import { MessageRepository } from '../message.repository';
import type { NoReplyReason } from '../replies/auto-reply-policy';

export const toMessage = (row: MessageEntity): Message => ({
  id: row.id,
  accountId: row.accountId,
  conversationId: row.conversationId,
  direction: row.direction as MessageDirection,
  type: row.type as MessageType,
  text: row.text,
  mid: row.mid,
  senderId: row.senderId,
  recipientId: row.recipientId,
  attachments: row.attachments ?? [],
  metadata: row.metadata,
  timestamp: row.occurredAt,
  isEcho: row.isEcho,
  isStandby: row.isStandby,
  source: row.source as MessageSource,
  deletedAt: row.deletedAt,
  editedAt: row.editedAt,
  reaction: row.reaction,
  ourReaction: row.ourReaction,
  seenAt: row.seenAt,
  noReplyReason: row.noReplyReason as NoReplyReason | null,
  status: row.status as OutboundStatus | null,
  origin: row.origin as MessageOrigin | null,
  ruleId: row.ruleId,
  replyToMessageId: row.replyToMessageId,
  commentId: row.commentId,
  partIndex: row.partIndex,
  tag: row.tag,
  payload: row.payload,
  attempts: row.attempts,
  nextAttemptAt: row.nextAttemptAt,
  lastError: row.lastError,
  lastErrorCode: row.lastErrorCode,
  lastErrorSubcode: row.lastErrorSubcode,
  sentAt: row.sentAt,
  deliveredAt: row.deliveredAt,
  createdAt: row.createdAt,
});

/** A complete row with every optional column empty, so inserts never depend on database defaults. */
function blankRow(
  now: Date,
): Omit<MessageEntity, 'id' | 'accountId' | 'conversationId' | 'direction' | 'type' | 'occurredAt'> {
  return {
    text: null,
    mid: null,
    eventKey: null,
    senderId: null,
    recipientId: null,
    attachments: null,
    metadata: null,
    isEcho: false,
    isStandby: false,
    source: 'webhook',
    deletedAt: null,
    editedAt: null,
    editCount: null,
    reaction: null,
    ourReaction: null,
    reactionAt: null,
    seenAt: null,
    noReplyReason: null,
    status: null,
    origin: null,
    ruleId: null,
    replyToMessageId: null,
    commentId: null,
    partIndex: 0,
    tag: null,
    payload: null,
    attempts: 0,
    nextAttemptAt: null,
    leaseOwner: null,
    leaseExpiresAt: null,
    lastError: null,
    lastErrorCode: null,
    lastErrorSubcode: null,
    sentAt: null,
    deliveredAt: null,
    createdAt: now,
    updatedAt: now,
  };
}

@Injectable()
export class TypeOrmMessageRepository extends MessageRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  private get rows() {
    return currentManager(this.dataSource).getRepository(MessageEntity);
  }

  /** Inserts, or answers null when a unique key says the row already exists. */
  private async insertUnlessDuplicate(row: MessageEntity): Promise<Message | null> {
    try {
      // JSON columns hold free-form objects, which TypeORM's deep-partial type cannot express.
      await this.rows.insert(row as QueryDeepPartialEntity<MessageEntity>);
      return toMessage(row);
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  async create(message: NewInboundMessage): Promise<Message | null> {
    const now = new Date();
    return this.insertUnlessDuplicate({
      ...blankRow(now),
      id: newId(),
      accountId: message.accountId,
      conversationId: message.conversationId,
      direction: message.direction,
      type: message.type,
      text: message.text,
      mid: message.mid ?? null,
      eventKey: message.eventKey ?? null,
      commentId: message.commentId ?? null,
      senderId: message.senderId ?? null,
      recipientId: message.recipientId ?? null,
      attachments: message.attachments && message.attachments.length > 0 ? message.attachments : null,
      metadata: message.metadata ?? null,
      occurredAt: message.timestamp,
      isEcho: message.isEcho ?? false,
      isStandby: message.isStandby ?? false,
      deletedAt: message.deletedAt ?? null,
      editedAt: message.editedAt ?? null,
      editCount: message.editCount ?? null,
      origin: message.origin ?? null,
      status: message.status ?? null,
      source: message.source ?? 'webhook',
    });
  }

  async enqueue(message: NewOutboundMessage): Promise<Message | null> {
    const now = new Date();
    return this.insertUnlessDuplicate({
      ...blankRow(now),
      id: newId(),
      accountId: message.accountId,
      conversationId: message.conversationId,
      direction: 'outbound',
      type: message.type,
      text: message.text,
      recipientId: message.recipientId,
      occurredAt: now,
      status: 'queued',
      source: 'api',
      origin: message.origin,
      ruleId: message.ruleId ?? null,
      replyToMessageId: message.replyToMessageId ?? null,
      partIndex: message.partIndex ?? 0,
      tag: message.tag ?? null,
      payload: message.payload ?? null,
      commentId: message.commentId ?? null,
      attachments: message.attachments && message.attachments.length > 0 ? message.attachments : null,
      metadata: message.metadata ?? null,
      nextAttemptAt: now,
    });
  }

  async getById(accountId: string, messageId: string): Promise<Message | null> {
    const row = await this.rows.findOneBy({ accountId, id: messageId });
    return row ? toMessage(row) : null;
  }

  async getByMid(accountId: string, mid: string): Promise<Message | null> {
    const row = await this.rows.findOneBy({ accountId, mid });
    return row ? toMessage(row) : null;
  }

  async storedMids(accountId: string, mids: string[]): Promise<Set<string>> {
    if (mids.length === 0) return new Set();
    const rows = await this.rows.find({ select: { mid: true }, where: { accountId, mid: In(mids) } });
    return new Set(rows.flatMap((row) => (row.mid === null ? [] : [row.mid])));
  }

  async getConversationHistory(
    accountId: string,
    conversationId: string,
    limit: number,
    cursor: string | null,
  ): Promise<Page<Message>> {
    const query = this.rows
      .createQueryBuilder('m')
      .where('m.account_id = :accountId AND m.conversation_id = :conversationId', { accountId, conversationId })
      .orderBy('m.occurred_at', 'ASC')
      .addOrderBy('m.id', 'ASC')
      .take(limit + 1);
    if (cursor) {
      const [occurredAt, id] = decodeCursor(cursor, 2);
      const after = new Date(Number(occurredAt));
      query.andWhere('(m.occurred_at > :after OR (m.occurred_at = :after AND m.id > :id))', { after, id });
    }
    const rows = await query.getMany();
    return pageOf(rows.map(toMessage), limit, (m) => [m.timestamp.getTime(), m.id]);
  }

  private async updateByMid(accountId: string, mid: string, changes: Partial<MessageEntity>): Promise<boolean> {
    const result = await this.rows.update({ accountId, mid }, {
      ...changes,
      updatedAt: new Date(),
    } as QueryDeepPartialEntity<MessageEntity>);
    return (result.affected ?? 0) > 0;
  }

  markDeleted(accountId: string, mid: string, at: Date): Promise<boolean> {
    return this.updateByMid(accountId, mid, { deletedAt: at });
  }

  async applyEdit(accountId: string, mid: string, edit: MessageEdit): Promise<EditOutcome> {
    // Newer by Meta's time, then by its edit count: a late copy of an earlier edit changes nothing.
    const result = await this.rows
      .createQueryBuilder()
      .update()
      .set({ text: edit.text, editedAt: edit.at, editCount: edit.editCount, updatedAt: new Date() })
      .where('account_id = :accountId AND mid = :mid', { accountId, mid })
      .andWhere(
        '(edited_at IS NULL OR edited_at < :at OR (edited_at = :at AND (edit_count IS NULL OR edit_count < :count)))',
        { at: edit.at, count: edit.editCount ?? 0 },
      )
      .execute();
    if ((result.affected ?? 0) > 0) return 'applied';
    return (await this.rows.existsBy({ accountId, mid })) ? 'stale' : 'no_message';
  }

  async setReaction(accountId: string, mid: string, reaction: string | null, at: Date): Promise<boolean> {
    const result = await this.rows
      .createQueryBuilder()
      .update()
      .set({ reaction, reactionAt: at, updatedAt: new Date() })
      .where('account_id = :accountId AND mid = :mid', { accountId, mid })
      .andWhere('(reaction_at IS NULL OR reaction_at <= :at)', { at })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  async setOurReaction(accountId: string, messageId: string, reaction: string | null): Promise<boolean> {
    const result = await this.rows.update(
      { accountId, id: messageId },
      { ourReaction: reaction, updatedAt: new Date() },
    );
    return (result.affected ?? 0) > 0;
  }

  async markSeen(accountId: string, mid: string, at: Date): Promise<boolean> {
    const result = await this.rows.update({ accountId, mid, seenAt: IsNull() }, { seenAt: at, updatedAt: new Date() });
    return (result.affected ?? 0) > 0;
  }

  async markDelivered(accountId: string, mid: string, at: Date): Promise<boolean> {
    const result = await this.rows.update(
      { accountId, mid, direction: 'outbound' },
      { status: 'delivered', deliveredAt: at, updatedAt: new Date() },
    );
    return (result.affected ?? 0) > 0;
  }

  async deleteAppEcho(accountId: string, messageId: string): Promise<boolean> {
    const result = await this.rows.delete({ accountId, id: messageId, origin: 'app', isEcho: true });
    return (result.affected ?? 0) > 0;
  }

  async findAppEcho(accountId: string, conversationId: string, text: string, since: Date): Promise<Message | null> {
    const row = await this.rows.findOne({
      where: {
        accountId,
        conversationId,
        origin: 'app',
        isEcho: true,
        isStandby: false,
        text,
        occurredAt: MoreThanOrEqual(since),
      },
      order: { occurredAt: 'ASC', id: 'ASC' },
    });
    return row ? toMessage(row) : null;
  }

  async lastAppMessageStoredAt(accountId: string, conversationId: string): Promise<Date | null> {
    const row = await this.rows.findOne({
      select: { id: true, createdAt: true },
      where: { accountId, conversationId, origin: 'app', isStandby: false },
      order: { createdAt: 'DESC' },
    });
    return row?.createdAt ?? null;
  }
}
