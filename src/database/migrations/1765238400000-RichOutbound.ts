import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableForeignKey } from 'typeorm';

/**
 * Rich outbound messages:
 * - `messages.our_reaction`: the reaction the account put on a customer's message (null: none);
 * - `message_templates.buttons` and `.attachments`: a button template's buttons, and media sent after the text;
 * - `response_rules.template_name`: a rule may answer with one of the account's templates instead of a text
 *   (its `response_text` is then empty: making that column nullable would rebuild the table on SQLite);
 * - `messenger_profiles`: each account's ice breakers and persistent menu as last set on Meta.
 */
export class RichOutbound1765238400000 implements MigrationInterface {
  name = 'RichOutbound1765238400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'messages',
      new TableColumn({ name: 'our_reaction', type: 'varchar', length: '64', isNullable: true }),
    );
    await queryRunner.addColumns('message_templates', [
      new TableColumn({ name: 'buttons', type: 'text', isNullable: true }),
      new TableColumn({ name: 'attachments', type: 'text', isNullable: true }),
    ]);
    await queryRunner.addColumn(
      'response_rules',
      new TableColumn({ name: 'template_name', type: 'varchar', length: '100', isNullable: true }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'messenger_profiles',
        columns: [
          { name: 'account_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'ice_breakers', type: 'text', isNullable: true },
          { name: 'persistent_menu', type: 'text', isNullable: true },
          { name: 'updated_at', type: 'datetime', precision: 3, isNullable: false },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_messenger_profiles_account',
            columnNames: ['account_id'],
            referencedTableName: 'accounts',
            referencedColumnNames: ['id'],
          }),
        ],
      }),
    );
  }

  /** Plain `DROP COLUMN`, as in the earlier migrations: TypeORM would rebuild the tables on SQLite. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('messenger_profiles');
    await queryRunner.query('ALTER TABLE response_rules DROP COLUMN template_name');
    await queryRunner.query('ALTER TABLE message_templates DROP COLUMN attachments');
    await queryRunner.query('ALTER TABLE message_templates DROP COLUMN buttons');
    await queryRunner.query('ALTER TABLE messages DROP COLUMN our_reaction');
  }
}
