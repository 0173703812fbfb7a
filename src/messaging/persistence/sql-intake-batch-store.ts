import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  dateFromRawColumn,
  insertSkippingDuplicatesSql,
  sqlParameter,
  upsertKeepingLatestSql,
  type UpsertSyntax,
  upsertSyntaxOf,
  currentManager,
} from '@database';
import { type BatchConversation, IntakeBatchStore, type ReplyRow } from '../intake/intake-batch-store';
import type { ConversationTouch, DeliveryRow, InboundRow, MentionRow, UnroutableRow } from '../intake/intake-plan';
import type { NoReplyReason } from '../replies/auto-reply-policy';

/**
 * The columns each statement binds; the rest of a row is the same for every
 * row of its kind and is written as a constant, which keeps a batch of a
 * thousand messages within SQLite's limit of bound parameters.
 */
const DELIVERY_COLUMNS = ['id', 'account_id', 'body', 'body_sha256', 'signature', 'received_at'];
const UNROUTABLE_COLUMNS = [
  'id',
  'account_id',
  'delivery_id',
  'entry_id',
  'reason',
  'payload',
  'item_key',
  'created_at',
];
const CONVERSATION_COLUMNS = [
  'id',
  'account_id',
  'participant_id',
  'last_message_at',
  'last_inbound_at',
  'automation_paused_until',
  'created_at',
  'updated_at',
];
const INBOUND_COLUMNS = [
  'id',
  'account_id',
  'conversation_id',
  'type',
  'text',
  'mid',
  'event_key',
  'sender_id',
  'recipient_id',
  'attachments',
  'metadata',
  'occurred_at',
  'is_standby',
  'source',
  'created_at',
  'updated_at',
];
const INBOUND_CONSTANTS = {
  direction: "'inbound'",
  is_echo: '0',
  part_index: '0',
  attempts: '0',
  ...nulls(['deleted_at', 'edited_at', 'edit_count', 'reaction', 'reaction_at', 'seen_at', 'no_reply_reason']),
  ...nulls(['status', 'origin']),
  ...nulls(['rule_id', 'reply_to_message_id', 'tag', 'payload', 'next_attempt_at', 'lease_owner', 'lease_expires_at']),
  ...nulls(['last_error', 'last_error_code', 'last_error_subcode', 'sent_at', 'delivered_at']),
};
const MENTION_COLUMNS = [
  'id',
  'account_id',
  'media_id',
  'comment_id',
  'mention_key',
  'mentioned_at',
  'source',
  'created_at',
];
const REPLY_COLUMNS = [
  'id',
  'account_id',
  'conversation_id',
  'type',
  'text',
  'payload',
  'attachments',
  'recipient_id',
  'origin',
  'rule_id',
  'reply_to_message_id',
  'part_index',
  'occurred_at',
  'next_attempt_at',
  'created_at',
  'updated_at',
];
const REPLY_CONSTANTS = {
  direction: "'outbound'",
  status: "'queued'",
  is_echo: '0',
  is_standby: '0',
  source: "'api'",
  attempts: '0',
  ...nulls(['mid', 'event_key', 'sender_id', 'metadata', 'deleted_at', 'edited_at', 'edit_count']),
  ...nulls(['reaction', 'reaction_at', 'seen_at', 'no_reply_reason', 'tag', 'lease_owner']),
  ...nulls(['lease_expires_at']),
  ...nulls(['last_error', 'last_error_code', 'last_error_subcode', 'sent_at', 'delivered_at']),
};

function nulls(columns: string[]): Record<string, string> {
  return Object.fromEntries(columns.map((column) => [column, 'NULL']));
}

type Row = { [column: string]: unknown };

/** `(<table>.account_id = ? AND <table>.<column> IN (?, ...)) OR ...`: index-friendly on both databases, unlike a row-value IN. */
function perAccountIn(
  table: string,
  column: string,
  keys: Array<{ accountId: string; value: string }>,
): [string, unknown[]] {
  const byAccount = new Map<string, string[]>();
  for (const { accountId, value } of keys) byAccount.set(accountId, [...(byAccount.get(accountId) ?? []), value]);
  const clauses: string[] = [];
  const parameters: unknown[] = [];
  for (const [accountId, values] of byAccount) {
    clauses.push(`(${table}.account_id = ? AND ${table}.${column} IN (${values.map(() => '?').join(', ')}))`);
    parameters.push(accountId, ...values);
  }
  return [clauses.join(' OR '), parameters];
}

/** The intake's statements as hand-written SQL through the transaction's query runner. */
@Injectable()
export class SqlIntakeBatchStore extends IntakeBatchStore {
  private syntaxKnown: UpsertSyntax | null = null;

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  /** Known once connected: MySQL and MariaDB are told apart by the server's version. */
  private get syntax(): UpsertSyntax {
    this.syntaxKnown ??= upsertSyntaxOf(
      this.dataSource.options.type,
      (this.dataSource.driver as { version?: string }).version,
    );
    return this.syntaxKnown;
  }

  private async run<T = Row[]>(sql: string, parameters: unknown[]): Promise<T> {
    const syntax = this.syntax;
    return (await currentManager(this.dataSource).query(
      sql,
      parameters.map((value) => sqlParameter(syntax, value)),
    )) as T;
  }

  private insertSkippingDuplicates(
    table: string,
    columns: string[],
    constants: Record<string, string>,
    rows: unknown[][],
  ): Promise<unknown> {
    const sql = insertSkippingDuplicatesSql(this.syntax, table, columns, rows.length, constants);
    return this.run(sql, rows.flat());
  }

  async recordDeliveries(deliveries: DeliveryRow[], unroutable: UnroutableRow[], now: Date): Promise<void> {
    if (deliveries.length === 0) return;
    await this.insertSkippingDuplicates(
      'webhook_deliveries',
      DELIVERY_COLUMNS,
      {},
      deliveries.map((d) => [d.id, d.accountId, d.body, d.bodySha256, d.signature, d.receivedAt]),
    );
    if (unroutable.length === 0) return;
    // A body seen before keeps its first row: unroutable items point to that one.
    const digests = deliveries.map((d) => d.bodySha256);
    const stored = await this.run<Array<{ id: string; body_sha256: string }>>(
      `SELECT id, body_sha256 FROM webhook_deliveries WHERE body_sha256 IN (${digests.map(() => '?').join(', ')})`,
      digests,
    );
    const deliveryIdOf = new Map(stored.map((row) => [row.body_sha256, row.id]));
    await this.insertSkippingDuplicates(
      'unroutable_events',
      UNROUTABLE_COLUMNS,
      {},
      unroutable.map((u) => [
        u.id,
        u.accountId,
        deliveryIdOf.get(u.bodySha256),
        u.entryId,
        u.reason,
        u.payload,
        u.itemKey,
        now,
      ]),
    );
  }

  async touchConversations(
    touches: ConversationTouch[],
    now: Date,
    repliesSince: Date | null,
  ): Promise<BatchConversation[]> {
    if (touches.length === 0) return [];
    const sql = upsertKeepingLatestSql(this.syntax, 'conversations', CONVERSATION_COLUMNS, touches.length, {
      conflictColumns: ['account_id', 'participant_id'],
      latestColumns: ['last_message_at', 'last_inbound_at'],
      touchedColumns: ['updated_at'],
    });
    await this.run(
      sql,
      touches.flatMap((t) => [t.id, t.accountId, t.participantId, t.lastActivityAt, t.lastActivityAt, null, now, now]),
    );
    const [where, parameters] = perAccountIn(
      'c',
      'participant_id',
      touches.map((t) => ({ accountId: t.accountId, value: t.participantId })),
    );
    // One row per conversation and automatic reply since `repliesSince`: the read the reply cap needs, without a statement of its own.
    const replies =
      repliesSince === null
        ? ''
        : `LEFT JOIN messages m ON m.conversation_id = c.id AND m.direction = 'outbound'
             AND m.origin IN ('rule', 'fallback') AND m.part_index = 0 AND m.occurred_at >= ?`;
    const rows = await this.run<
      Array<{
        id: string;
        account_id: string;
        participant_id: string;
        automation_paused_until: unknown;
        auto_replied_at?: unknown;
      }>
    >(
      `SELECT c.id, c.account_id, c.participant_id, c.automation_paused_until${
        repliesSince === null ? '' : ', m.occurred_at AS auto_replied_at'
      } FROM conversations c ${replies} WHERE ${where}`,
      repliesSince === null ? parameters : [repliesSince, ...parameters],
    );
    const conversations = new Map<string, BatchConversation>();
    for (const row of rows) {
      const conversation = conversations.get(row.id) ?? {
        id: row.id,
        accountId: row.account_id,
        participantId: row.participant_id,
        automationPausedUntil: dateFromRawColumn(row.automation_paused_until),
        autoRepliedAt: [],
      };
      conversations.set(row.id, conversation);
      const repliedAt = dateFromRawColumn(row.auto_replied_at);
      if (repliedAt) conversation.autoRepliedAt.push(repliedAt);
    }
    return [...conversations.values()];
  }

  async insertInbound(rows: Array<InboundRow & { conversationId: string }>, now: Date): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    await this.insertSkippingDuplicates(
      'messages',
      INBOUND_COLUMNS,
      INBOUND_CONSTANTS,
      rows.map((r) => [
        r.id,
        r.accountId,
        r.conversationId,
        r.type,
        r.text,
        r.mid,
        r.eventKey,
        r.senderId,
        r.recipientId,
        r.attachments,
        r.metadata,
        r.occurredAt,
        r.isStandby,
        r.source,
        now,
        now,
      ]),
    );
    return this.insertedOf('messages', rows);
  }

  async insertMentions(rows: MentionRow[], now: Date): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    await this.insertSkippingDuplicates(
      'mentions',
      MENTION_COLUMNS,
      {},
      rows.map((r) => [r.id, r.accountId, r.mediaId, r.commentId, r.mentionKey, r.mentionedAt, r.source, now]),
    );
    return this.insertedOf('mentions', rows);
  }

  /** Ids are new to this batch: those found are the rows it inserted, the others lost to a stored unique key. */
  private async insertedOf(table: string, rows: Array<{ id: string }>): Promise<Set<string>> {
    const ids = rows.map((r) => r.id);
    const inserted = await this.run<Array<{ id: string }>>(
      `SELECT id FROM ${table} WHERE id IN (${ids.map(() => '?').join(', ')})`,
      ids,
    );
    return new Set(inserted.map((row) => row.id));
  }

  async recordNoReplyReasons(reasons: Map<string, NoReplyReason>): Promise<void> {
    if (reasons.size === 0) return;
    const ids = [...reasons.keys()].sort();
    await this.run(
      `UPDATE messages SET no_reply_reason = CASE id ${ids.map(() => 'WHEN ? THEN ?').join(' ')} END
       WHERE id IN (${ids.map(() => '?').join(', ')})`,
      [...ids.flatMap((id) => [id, reasons.get(id)]), ...ids],
    );
  }

  async queueReplies(replies: ReplyRow[], now: Date): Promise<void> {
    if (replies.length === 0) return;
    await this.insertSkippingDuplicates(
      'messages',
      REPLY_COLUMNS,
      REPLY_CONSTANTS,
      replies.map((r) => [
        r.id,
        r.accountId,
        r.conversationId,
        r.type,
        r.text,
        r.payload,
        r.attachments,
        r.recipientId,
        r.origin,
        r.ruleId,
        r.replyToMessageId,
        r.partIndex,
        now,
        now,
        now,
        now,
      ]),
    );
  }
}
