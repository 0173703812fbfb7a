import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumn } from '@database';

/** A backfill job, its cursor and counts; `activeAccountId` (unique) is set while it is queued or running. */
@Entity('backfill_jobs')
export class BackfillJobEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  /** The account while the job is queued or running, null once it has ended: one job per account at a time. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  activeAccountId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column(timestampColumn())
  since!: Date;

  /** `BackfillCursor` as JSON; null before the first page. */
  @Column({ type: 'text', nullable: true })
  cursor!: string | null;

  @Column({ type: 'int' })
  conversationsScanned!: number;

  @Column({ type: 'int' })
  messagesAdded!: number;

  @Column({ type: 'int' })
  messagesUnavailable!: number;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  leaseOwner!: string | null;

  @Column(timestampColumn({ nullable: true }))
  leaseExpiresAt!: Date | null;

  @Column(timestampColumn())
  createdAt!: Date;

  @Column(timestampColumn())
  updatedAt!: Date;

  @Column(timestampColumn({ nullable: true }))
  finishedAt!: Date | null;
}
