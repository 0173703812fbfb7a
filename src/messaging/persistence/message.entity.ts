import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumn } from '@database';
import type { Attachment } from '../message';

/**
 * One row per message in a conversation, both directions. Outbound rows are
 * also the outbox: `status`, `attempts`, `nextAttemptAt` and the lease columns
 * drive the dispatcher.
 */
@Entity('messages')
export class MessageEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'varchar', length: 36 })
  conversationId!: string;

  @Column({ type: 'varchar', length: 8 })
  direction!: string;

  @Column({ type: 'varchar', length: 24 })
  type!: string;

  @Column({ type: 'text', nullable: true })
  text!: string | null;

  /** Meta's message id; unique per account, null until an outbound message is sent. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  mid!: string | null;

  /** Deterministic id of an event that has no mid of its own (reaction, seen), unique per account. */
  @Column({ type: 'varchar', length: 96, nullable: true })
  eventKey!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  senderId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  recipientId!: string | null;

  @Column({ type: 'simple-json', nullable: true })
  attachments!: Attachment[] | null;

  /** Type-specific details (reply_to, quick reply payload, referral, raw unknown event). */
  @Column({ type: 'simple-json', nullable: true })
  metadata!: Record<string, unknown> | null;

  /** Meta's timestamp for inbound messages; the queueing time for outbound ones. */
  @Column(timestampColumn())
  occurredAt!: Date;

  @Column({ type: 'boolean' })
  isEcho!: boolean;

  @Column({ type: 'boolean' })
  isStandby!: boolean;

  @Column({ type: 'varchar', length: 16, default: 'webhook' })
  source!: string;

  @Column(timestampColumn({ nullable: true }))
  deletedAt!: Date | null;

  @Column(timestampColumn({ nullable: true }))
  editedAt!: Date | null;

  /** Meta's `num_edit` of the edit applied; with `editedAt`, what tells a stale edit from a newer one. */
  @Column({ type: 'int', nullable: true })
  editCount!: number | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  reaction!: string | null;

  /** The reaction this account put on the message (a customer's), through the Send API. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  ourReaction!: string | null;

  /** Meta's time of the reaction or unreaction applied, so a stale one does not overwrite a newer one. */
  @Column(timestampColumn({ nullable: true }))
  reactionAt!: Date | null;

  @Column(timestampColumn({ nullable: true }))
  seenAt!: Date | null;

  /** Why this customer message got no automatic reply although it could have (paused, window closed, reply limit). */
  @Column({ type: 'varchar', length: 32, nullable: true })
  noReplyReason!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  status!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  origin!: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  ruleId!: string | null;

  /** The inbound message an automatic reply answers; unique with partIndex, so each gets one reply. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  replyToMessageId!: string | null;

  /**
   * Meta's comment id, on a comment and on the replies to it; unique with the
   * account, direction and type, so each comment is stored once and gets at
   * most one private reply (outbound `text`) and one public reply (outbound `comment`).
   */
  @Column({ type: 'varchar', length: 64, nullable: true })
  commentId!: string | null;

  @Column({ type: 'int' })
  partIndex!: number;

  @Column({ type: 'varchar', length: 32, nullable: true })
  tag!: string | null;

  /** The Send API `message` object for non-text sends (templates, quick replies). */
  @Column({ type: 'simple-json', nullable: true })
  payload!: Record<string, unknown> | null;

  @Column({ type: 'int' })
  attempts!: number;

  @Column(timestampColumn({ nullable: true }))
  nextAttemptAt!: Date | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  leaseOwner!: string | null;

  @Column(timestampColumn({ nullable: true }))
  leaseExpiresAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ type: 'int', nullable: true })
  lastErrorCode!: number | null;

  @Column({ type: 'int', nullable: true })
  lastErrorSubcode!: number | null;

  @Column(timestampColumn({ nullable: true }))
  sentAt!: Date | null;

  @Column(timestampColumn({ nullable: true }))
  deliveredAt!: Date | null;

  @Column(timestampColumn())
  createdAt!: Date;

  @Column(timestampColumn())
  updatedAt!: Date;
}
