import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumn } from '@database';

@Entity('event_endpoints')
export class EventEndpointEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 2000 })
  url!: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description!: string | null;

  /** JSON list of event names, or `["*"]`. */
  @Column({ type: 'text' })
  events!: string;

  /** JSON list of account ids; null: every account. */
  @Column({ type: 'text', nullable: true })
  accountIds!: string | null;

  @Column({ type: 'boolean' })
  enabled!: boolean;

  @Column({ type: 'varchar', length: 500, nullable: true })
  disabledReason!: string | null;

  @Column({ type: 'text' })
  secretCiphertext!: string;

  @Column({ type: 'text', nullable: true })
  previousSecretCiphertext!: string | null;

  @Column(timestampColumn({ nullable: true }))
  previousSecretExpiresAt!: Date | null;

  @Column(timestampColumn({ nullable: true }))
  lastSuccessAt!: Date | null;

  @Column(timestampColumn({ nullable: true }))
  failingSince!: Date | null;

  @Column(timestampColumn())
  createdAt!: Date;

  @Column(timestampColumn())
  updatedAt!: Date;
}
