import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumn } from '@database';

@Entity('conversations')
export class ConversationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  /** The customer's IGSID, scoped to the account. */
  @Column({ type: 'varchar', length: 64 })
  participantId!: string;

  @Column(timestampColumn({ nullable: true }))
  lastMessageAt!: Date | null;

  /** Meta's timestamp of the participant's latest message: the 24-hour window runs from here. */
  @Column(timestampColumn({ nullable: true }))
  lastInboundAt!: Date | null;

  @Column(timestampColumn({ nullable: true }))
  automationPausedUntil!: Date | null;

  @Column(timestampColumn())
  createdAt!: Date;

  @Column(timestampColumn())
  updatedAt!: Date;
}
