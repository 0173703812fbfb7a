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

  /** `message`, `comment` or `postback` (TRIGGER is a reserved word in SQL, hence the column's name); rules stored before triggers existed are `message`. */
  @Column({ name: 'rule_trigger', type: 'varchar', length: 16 })
  trigger!: string;

  @Column({ type: 'varchar', length: 16 })
  matchType!: string;

  @Column({ type: 'simple-json' })
  keywords!: string[];

  /** Empty when the rule answers with a template (the column predates templates and is NOT NULL). */
  @Column({ type: 'text' })
  responseText!: string;

  /** A comment rule's media filter; null: comments on any media. */
  @Column({ type: 'simple-json', nullable: true })
  mediaIds!: string[] | null;

  @Column({ type: 'text', nullable: true })
  publicReplyText!: string | null;
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
