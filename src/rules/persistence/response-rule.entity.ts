import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumn } from '@database';

@Entity('response_rules')
export class ResponseRuleEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  matchType!: string;

  @Column({ type: 'simple-json' })
  keywords!: string[];

  /** Empty when the rule answers with a template (the column predates templates and is NOT NULL). */
  @Column({ type: 'text' })
  responseText!: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  templateName!: string | null;

  @Column({ type: 'int' })
  priority!: number;

  @Column({ type: 'boolean' })
  isActive!: boolean;

  @Column(timestampColumn())
  createdAt!: Date;

  @Column(timestampColumn())
  updatedAt!: Date;
}
