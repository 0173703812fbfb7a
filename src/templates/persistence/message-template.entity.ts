import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumn } from '@database';
import type { MediaAttachment, QuickReply, TemplateButton, TemplateElement } from '../message-template';

@Entity('message_templates')
export class MessageTemplateEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'text' })
  text!: string;

  @Column({ type: 'simple-json', nullable: true })
  quickReplies!: QuickReply[] | null;

  @Column({ type: 'simple-json', nullable: true })
  elements!: TemplateElement[] | null;

  @Column({ type: 'simple-json', nullable: true })
  buttons!: TemplateButton[] | null;

  @Column({ type: 'simple-json', nullable: true })
  attachments!: MediaAttachment[] | null;

  @Column(timestampColumn())
  createdAt!: Date;

  @Column(timestampColumn())
  updatedAt!: Date;
}
