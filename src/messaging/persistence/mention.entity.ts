import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumn } from '@database';
import type { MessageSource } from '../message';

/** Where the account was @mentioned; unique per account by `mentionKey`. */
@Entity('mentions')
export class MentionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'varchar', length: 64 })
  mediaId!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  commentId!: string | null;

  /** `comment:<id>`, or `media:<id>` for a caption: what a redelivery is recognised by. */
  @Column({ type: 'varchar', length: 80 })
  mentionKey!: string;

  @Column(timestampColumn())
  mentionedAt!: Date;

  @Column({ type: 'varchar', length: 16 })
  source!: MessageSource;

  @Column(timestampColumn())
  createdAt!: Date;
}
