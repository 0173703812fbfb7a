import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { column, time, uuid, varchar } from './table-columns';

/**
 * Mentions of an account (`mentions` webhooks), which name a media and a
 * comment but no person, and so belong to no conversation: a table of their
 * own, one row per account and comment (or caption), however often Meta
 * delivers it.
 */
export class Mentions1765497600000 implements MigrationInterface {
  name = 'Mentions1765497600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'mentions',
        columns: [
          column('id', 'varchar', { length: '36', isPrimary: true }),
          uuid('account_id'),
          varchar('media_id', 64),
          varchar('comment_id', 64, true),
          varchar('mention_key', 80),
          time('mentioned_at'),
          varchar('source', 16),
          time('created_at'),
        ],
        uniques: [{ name: 'uq_mentions_account_key', columnNames: ['account_id', 'mention_key'] }],
        indices: [{ name: 'ix_mentions_account', columnNames: ['account_id', 'id'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('mentions');
  }
}
