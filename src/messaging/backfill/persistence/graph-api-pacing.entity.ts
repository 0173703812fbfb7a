import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumn } from '@database';

/** The earliest time the account's next Conversations API call may be made, shared by every replica. */
@Entity('graph_api_pacing')
export class GraphApiPacingEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  accountId!: string;

  @Column(timestampColumn())
  nextCallAt!: Date;
}
