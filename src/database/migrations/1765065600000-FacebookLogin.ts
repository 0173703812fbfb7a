import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * How each account is connected to Meta: `login_type` (`instagram`, which
 * every existing account is, or `facebook`) and, for Facebook Login, the
 * `page_id` of the Page linked to the Instagram account. A Page is linked to
 * one Instagram account, so no two accounts share one (several nulls are
 * allowed on both databases).
 */
export class FacebookLogin1765065600000 implements MigrationInterface {
  name = 'FacebookLogin1765065600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('accounts', [
      new TableColumn({ name: 'login_type', type: 'varchar', length: '16', isNullable: false, default: "'instagram'" }),
      new TableColumn({ name: 'page_id', type: 'varchar', length: '32', isNullable: true }),
    ]);
    await queryRunner.createIndex(
      'accounts',
      new TableIndex({ name: 'uq_accounts_page_id', columnNames: ['page_id'], isUnique: true }),
    );
  }

  /**
   * Plain `DROP COLUMN` (SQLite has it since 3.35): TypeORM would rebuild the
   * table on SQLite, which the other tables' foreign keys to accounts forbid.
   * The index goes first: SQLite drops no indexed column.
   */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('accounts', 'uq_accounts_page_id');
    await queryRunner.query('ALTER TABLE accounts DROP COLUMN page_id');
    await queryRunner.query('ALTER TABLE accounts DROP COLUMN login_type');
  }
}
