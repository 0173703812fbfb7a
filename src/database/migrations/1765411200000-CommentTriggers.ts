import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * Comment-to-DM:
 * - rules get a `trigger` (column `rule_trigger`: TRIGGER is a reserved word; `message`, which every existing rule is, `comment`
 *   or `postback`), a comment rule's `media_ids` filter and its optional
 *   `public_reply_text`;
 * - messages get the `comment_id` of a comment and of the replies to it. One
 *   unique key over the account, the comment, the direction and the type
 *   keeps each comment once (inbound `comment`), and lets it have at most one
 *   private reply (outbound `text`) and one public reply (outbound
 *   `comment`), however many times Meta delivers it, and from however many
 *   replicas at once. Rows without a comment id (null) are not constrained,
 *   on either database.
 */
export class CommentTriggers1765411200000 implements MigrationInterface {
  name = 'CommentTriggers1765411200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('response_rules', [
      new TableColumn({ name: 'rule_trigger', type: 'varchar', length: '16', isNullable: false, default: "'message'" }),
      new TableColumn({ name: 'media_ids', type: 'text', isNullable: true }),
      new TableColumn({ name: 'public_reply_text', type: 'text', isNullable: true }),
    ]);
    await queryRunner.addColumns('messages', [
      new TableColumn({ name: 'comment_id', type: 'varchar', length: '64', isNullable: true }),
    ]);
    await queryRunner.createIndex(
      'messages',
      new TableIndex({
        name: 'uq_messages_comment',
        columnNames: ['account_id', 'comment_id', 'direction', 'type'],
        isUnique: true,
      }),
    );
  }

  /** Plain `DROP COLUMN` (SQLite has it since 3.35), as the earlier migrations do; the index goes first. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('messages', 'uq_messages_comment');
    await queryRunner.query('ALTER TABLE messages DROP COLUMN comment_id');
    await queryRunner.query('ALTER TABLE response_rules DROP COLUMN public_reply_text');
    await queryRunner.query('ALTER TABLE response_rules DROP COLUMN media_ids');
    await queryRunner.query('ALTER TABLE response_rules DROP COLUMN rule_trigger');
  }
}
