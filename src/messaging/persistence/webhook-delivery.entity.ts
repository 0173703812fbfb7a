import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumn } from '@database';

/** A verified webhook body, byte for byte, kept so that nothing Meta sent is ever lost. */
@Entity('webhook_deliveries')
export class WebhookDeliveryEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** The account of the route it arrived on; null on the shared app-level route. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  accountId!: string | null;

  @Column({ type: 'text' })
  body!: string;

  /** Unique: a body Meta delivers again is kept once. */
  @Column({ type: 'varchar', length: 64 })
  bodySha256!: string;

  /** The `X-Hub-Signature-256` it was verified with, so it can be verified again (replay). */
  @Column({ type: 'varchar', length: 100, nullable: true })
  signature!: string | null;

  @Column(timestampColumn())
  receivedAt!: Date;
}
