import type { MigrationInterface, QueryRunner } from 'typeorm';

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

  /**
   * Plain `ADD COLUMN` and `CREATE INDEX`, as the backfill migration before
   * it: TypeORM's `addColumns` rebuilds a SQLite table from the definition it
   * read earlier in the run, which would drop the columns that migration added.
   */
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "ALTER TABLE response_rules ADD COLUMN rule_trigger varchar(16) NOT NULL DEFAULT 'message'",
    );
    await queryRunner.query('ALTER TABLE response_rules ADD COLUMN media_ids text NULL');
    await queryRunner.query('ALTER TABLE response_rules ADD COLUMN public_reply_text text NULL');
    await queryRunner.query('ALTER TABLE messages ADD COLUMN comment_id varchar(64) NULL');
    await queryRunner.query(
      'CREATE UNIQUE INDEX uq_messages_comment ON messages (account_id, comment_id, direction, type)',
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
