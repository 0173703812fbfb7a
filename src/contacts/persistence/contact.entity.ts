import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumn } from '@database';

@Entity('contacts')
export class ContactEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'varchar', length: 64 })
  igsid!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  username!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  name!: string | null;

  @Column(timestampColumn({ nullable: true }))
  profileFetchedAt!: Date | null;

  /** When the profile should next be looked up; null when nothing is due. */
  @Column(timestampColumn({ nullable: true }))
  nextLookupAt!: Date | null;

  @Column({ type: 'int' })
  lookupAttempts!: number;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lastLookupError!: string | null;

  @Column(timestampColumn())
  createdAt!: Date;

  @Column(timestampColumn())
  updatedAt!: Date;
}
