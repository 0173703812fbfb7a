import { type MigrationInterface, type QueryRunner, Table, TableForeignKey } from 'typeorm';
import { largeTextType } from '../dialect';
import { column, time, uuid, varchar } from './table-columns';

/**
 * The business's own systems, told what happens: the endpoints operators
 * register (their signing secrets encrypted like every credential, the
 * previous one kept for a rotation's overlap), and the event outbox, one
 * row per event and endpoint that carries the signed body and its delivery
 * state. One unique key makes an event reach an endpoint once however often
 * it is queued; the outbox index serves the worker's claims, the
 * endpoint's index its list, and `finished_at` the retention purge.
 */
export class EventWebhooks1765152000000 implements MigrationInterface {
  name = 'EventWebhooks1765152000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const bigText = largeTextType(queryRunner.connection.options.type);
    await queryRunner.createTable(
      new Table({
        name: 'event_endpoints',
        columns: [
          column('id', 'varchar', { length: '36', isPrimary: true }),
          varchar('url', 2000),
          varchar('description', 500, true),
          column('events', 'text'),
          column('account_ids', 'text', { isNullable: true }),
          column('enabled', 'boolean'),
          varchar('disabled_reason', 500, true),
          column('secret_ciphertext', 'text'),
          column('previous_secret_ciphertext', 'text', { isNullable: true }),
          time('previous_secret_expires_at', true),
          time('last_success_at', true),
          time('failing_since', true),
          time('created_at'),
          time('updated_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'event_deliveries',
        columns: [
          column('id', 'varchar', { length: '36', isPrimary: true }),
          uuid('event_id'),
          uuid('endpoint_id'),
          uuid('account_id', true),
          varchar('type', 64),
          column('payload', bigText),
          varchar('status', 16),
          column('attempts', 'int'),
          time('next_attempt_at', true),
          varchar('lease_owner', 64, true),
          time('lease_expires_at', true),
          time('last_attempt_at', true),
          column('last_response_status', 'int', { isNullable: true }),
          column('last_error', 'text', { isNullable: true }),
          column('last_duration_ms', 'int', { isNullable: true }),
          time('delivered_at', true),
          time('finished_at', true),
          time('created_at'),
          time('updated_at'),
        ],
        uniques: [{ name: 'uq_event_deliveries_endpoint_event', columnNames: ['endpoint_id', 'event_id'] }],
        indices: [
          { name: 'ix_event_deliveries_outbox', columnNames: ['status', 'next_attempt_at'] },
          { name: 'ix_event_deliveries_endpoint', columnNames: ['endpoint_id', 'id'] },
          { name: 'ix_event_deliveries_finished', columnNames: ['finished_at'] },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_event_deliveries_endpoint',
            columnNames: ['endpoint_id'],
            referencedTableName: 'event_endpoints',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('event_deliveries');
    await queryRunner.dropTable('event_endpoints');
  }
}
