import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumn } from '@database';
import type { IceBreaker, PersistentMenuItem } from '../messenger-profile/messenger-profile';

@Entity('messenger_profiles')
export class MessengerProfileEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'simple-json', nullable: true })
  iceBreakers!: IceBreaker[] | null;

  @Column({ type: 'simple-json', nullable: true })
  persistentMenu!: PersistentMenuItem[] | null;

  @Column(timestampColumn())
  updatedAt!: Date;
}
