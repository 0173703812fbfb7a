import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, type TableColumnOptions } from 'typeorm';
import { caseSensitive, largeTextType } from '../dialect';

const id = (name = 'id'): TableColumnOptions => ({ name, type: 'varchar', length: '36', isPrimary: name === 'id' });
const ref = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '36',
  isNullable: nullable,
});
const time = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'datetime',
  precision: 3,
  isNullable: nullable,
});
const text = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
const varchar = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
const int = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'int', isNullable: nullable });
const flag = (name: string): TableColumnOptions => ({ name, type: 'boolean', isNullable: false });
const timestamps = [time('created_at'), time('updated_at')];

const accountFk = (table: string): TableForeignKey =>
  new TableForeignKey({
    name: `fk_${table}_account`,
    columnNames: ['account_id'],
    referencedTableName: 'accounts',
    referencedColumnNames: ['id'],
  });

/**
 * Every table of the product and the unique keys its guarantees rest on:
 * one inbound message per (account, mid), one automatic reply per inbound
 * message, unique username and igUserId, one conversation per participant.
 */
export class InitialSchema1764201600000 implements MigrationInterface {
  name = 'InitialSchema1764201600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const bigText = largeTextType(queryRunner.connection.options.type);
    // Meta's ids are case-sensitive; MySQL's default collation would make two mids one key.
    const exact = caseSensitive(queryRunner.connection.options.type);

    await queryRunner.createTable(
      new Table({
        name: 'accounts',
        columns: [
          id(),
          varchar('username', 30),
          varchar('ig_user_id', 32),
          varchar('display_name', 100, true),
          text('access_token_ciphertext'),
          text('app_secret_ciphertext'),
          text('verify_token_ciphertext'),
          text('fallback_response', true),
          flag('is_active'),
          varchar('token_status', 16),
          time('token_expires_at', true),
          time('token_refreshed_at', true),
          int('rules_version'),
          ...timestamps,
        ],
        uniques: [
          { name: 'uq_accounts_username', columnNames: ['username'] },
          { name: 'uq_accounts_ig_user_id', columnNames: ['ig_user_id'] },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'conversations',
        columns: [
          id(),
          ref('account_id'),
          varchar('participant_id', 64),
          time('last_message_at', true),
          time('last_inbound_at', true),
          time('automation_paused_until', true),
          ...timestamps,
        ],
        uniques: [{ name: 'uq_conversations_account_participant', columnNames: ['account_id', 'participant_id'] }],
        indices: [{ name: 'ix_conversations_account_last_message', columnNames: ['account_id', 'last_message_at'] }],
        foreignKeys: [accountFk('conversations')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'contacts',
        columns: [
          id(),
          ref('account_id'),
          varchar('igsid', 64),
          varchar('username', 64, true),
          varchar('name', 200, true),
          time('profile_fetched_at', true),
          time('next_lookup_at', true),
          int('lookup_attempts'),
          varchar('last_lookup_error', 500, true),
          ...timestamps,
        ],
        uniques: [{ name: 'uq_contacts_account_igsid', columnNames: ['account_id', 'igsid'] }],
        indices: [
          { name: 'ix_contacts_account_username', columnNames: ['account_id', 'username'] },
          { name: 'ix_contacts_next_lookup', columnNames: ['next_lookup_at'] },
        ],
        foreignKeys: [accountFk('contacts')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'messages',
        columns: [
          id(),
          ref('account_id'),
          ref('conversation_id'),
          varchar('direction', 8),
          varchar('type', 24),
          { name: 'text', type: bigText, isNullable: true },
          { ...varchar('mid', 255, true), ...exact },
          { ...varchar('event_key', 96, true), ...exact },
          varchar('sender_id', 64, true),
          varchar('recipient_id', 64, true),
          { name: 'attachments', type: bigText, isNullable: true },
          { name: 'metadata', type: bigText, isNullable: true },
          time('occurred_at'),
          flag('is_echo'),
          flag('is_standby'),
          time('deleted_at', true),
          time('edited_at', true),
          varchar('reaction', 64, true),
          time('seen_at', true),
          varchar('status', 16, true),
          varchar('origin', 16, true),
          ref('rule_id', true),
          ref('reply_to_message_id', true),
          int('part_index'),
          varchar('tag', 32, true),
          { name: 'payload', type: bigText, isNullable: true },
          int('attempts'),
          time('next_attempt_at', true),
          varchar('lease_owner', 64, true),
          time('lease_expires_at', true),
          text('last_error', true),
          int('last_error_code', true),
          int('last_error_subcode', true),
          time('sent_at', true),
          time('delivered_at', true),
          ...timestamps,
        ],
        uniques: [
          { name: 'uq_messages_account_mid', columnNames: ['account_id', 'mid'] },
          { name: 'uq_messages_account_event_key', columnNames: ['account_id', 'event_key'] },
          { name: 'uq_messages_auto_reply', columnNames: ['reply_to_message_id', 'part_index'] },
        ],
        indices: [
          { name: 'ix_messages_conversation_occurred', columnNames: ['conversation_id', 'occurred_at'] },
          { name: 'ix_messages_outbox', columnNames: ['status', 'next_attempt_at'] },
          { name: 'ix_messages_account_status', columnNames: ['account_id', 'status'] },
        ],
        foreignKeys: [
          accountFk('messages'),
          new TableForeignKey({
            name: 'fk_messages_conversation',
            columnNames: ['conversation_id'],
            referencedTableName: 'conversations',
            referencedColumnNames: ['id'],
          }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'response_rules',
        columns: [
          id(),
          ref('account_id'),
          varchar('name', 100),
          varchar('match_type', 16),
          text('keywords'),
          text('response_text'),
          int('priority'),
          flag('is_active'),
          ...timestamps,
        ],
        indices: [{ name: 'ix_response_rules_account', columnNames: ['account_id', 'is_active'] }],
        foreignKeys: [accountFk('response_rules')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'message_templates',
        columns: [
          id(),
          ref('account_id'),
          varchar('name', 100),
          text('text'),
          text('quick_replies', true),
          text('elements', true),
          ...timestamps,
        ],
        uniques: [{ name: 'uq_message_templates_account_name', columnNames: ['account_id', 'name'] }],
        foreignKeys: [accountFk('message_templates')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          id(),
          ref('account_id', true),
          { name: 'body', type: bigText, isNullable: false },
          varchar('body_sha256', 64),
          time('received_at'),
        ],
        indices: [{ name: 'ix_webhook_deliveries_received', columnNames: ['received_at'] }],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'unroutable_events',
        columns: [
          id(),
          ref('account_id', true),
          ref('delivery_id'),
          varchar('entry_id', 64),
          varchar('reason', 32),
          { name: 'payload', type: bigText, isNullable: false },
          time('created_at'),
        ],
        indices: [{ name: 'ix_unroutable_events_created', columnNames: ['created_at'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'unroutable_events',
      'webhook_deliveries',
      'message_templates',
      'response_rules',
      'messages',
      'contacts',
      'conversations',
      'accounts',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
