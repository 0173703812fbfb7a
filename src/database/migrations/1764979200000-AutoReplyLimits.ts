import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * An account's own limit of automatic replies per conversation (how many,
 * within how many minutes); null keeps the product's default, 5 in 10.
 */
export class AutoReplyLimits1764979200000 implements MigrationInterface {
  name = 'AutoReplyLimits1764979200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('accounts', [
      new TableColumn({ name: 'auto_reply_limit', type: 'int', isNullable: true }),
      new TableColumn({ name: 'auto_reply_limit_minutes', type: 'int', isNullable: true }),
    ]);
  }

  /**
   * Plain `DROP COLUMN` (SQLite has it since 3.35): TypeORM would rebuild the
   * table on SQLite, which the other tables' foreign keys to accounts forbid.
   */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE accounts DROP COLUMN auto_reply_limit_minutes');
    await queryRunner.query('ALTER TABLE accounts DROP COLUMN auto_reply_limit');
  }
}
