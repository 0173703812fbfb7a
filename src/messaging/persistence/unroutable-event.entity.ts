import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumn } from '@database';

/** A webhook entry that no account may apply: kept for an operator, never dropped. */
@Entity('unroutable_events')
export class UnroutableEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** The account of the route it arrived on; null on the shared app-level route. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  accountId!: string | null;

  @Column({ type: 'varchar', length: 36 })
  deliveryId!: string;

  @Column({ type: 'varchar', length: 64 })
  entryId!: string;

  /** The item's place in its delivery (`<entry>` or `<entry>.<event>`), unique per delivery. */
  @Column({ type: 'varchar', length: 36 })
  itemKey!: string;

  @Column({ type: 'varchar', length: 32 })
  reason!: string;

  @Column({ type: 'text' })
  payload!: string;

  @Column(timestampColumn())
  createdAt!: Date;

  /** When a replay applied it to the account it names; null until then. */
  @Column(timestampColumn({ nullable: true }))
  appliedAt!: Date | null;
}
