import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumn } from '@database';

/** One event on its way to one endpoint: the body to sign, and where its delivery stands. */
@Entity('event_deliveries')
export class EventDeliveryEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** The event's id (`webhook-id`), the same for every endpoint it goes to and on every retry. */
  @Column({ type: 'varchar', length: 36 })
  eventId!: string;

  @Column({ type: 'varchar', length: 36 })
  endpointId!: string;

  /** null only for `endpoint.test`, which is about no account. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  accountId!: string | null;

  @Column({ type: 'varchar', length: 64 })
  type!: string;

  /** The exact body that is signed and sent. */
  @Column({ type: 'text' })
  payload!: string;

  /** `pending` (leased while an attempt is under way), `delivered` or `failed`. */
  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ type: 'int' })
  attempts!: number;

  @Column(timestampColumn({ nullable: true }))
  nextAttemptAt!: Date | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  leaseOwner!: string | null;

  @Column(timestampColumn({ nullable: true }))
  leaseExpiresAt!: Date | null;

  @Column(timestampColumn({ nullable: true }))
  lastAttemptAt!: Date | null;

  @Column({ type: 'int', nullable: true })
  lastResponseStatus!: number | null;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ type: 'int', nullable: true })
  lastDurationMs!: number | null;

  @Column(timestampColumn({ nullable: true }))
  deliveredAt!: Date | null;

  /** When it was delivered or given up: retention counts from here. */
  @Column(timestampColumn({ nullable: true }))
  finishedAt!: Date | null;

  @Column(timestampColumn())
  createdAt!: Date;

  @Column(timestampColumn())
  updatedAt!: Date;
}
