import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { column, time, uuid, varchar } from './table-columns';

/**
 * What it takes to recover messages Meta's webhooks never brought: each
 * message says how it came (`source`: a webhook, a backfill, a replay, or
 * the API for what the service queued itself); backfill jobs keep their
 * cursor and counts so that a restarted process resumes them, and
 * `active_account_id` (set while a job is queued or running, unique) lets
 * one job per account run; the pacing row of an account is where every
 * replica reserves its next Conversations API call; an unroutable entry
 * remembers when a replay applied it.
 */
export class BackfillAndReplay1765324800000 implements MigrationInterface {
  name = 'BackfillAndReplay1765324800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Plain `ADD COLUMN` on both databases: TypeORM would rebuild these large tables on SQLite.
    await queryRunner.query("ALTER TABLE messages ADD COLUMN source varchar(16) NOT NULL DEFAULT 'webhook'");
    // Outbound messages that are not echoes were queued by the service itself: by a rule or through the API.
    await queryRunner.query("UPDATE messages SET source = 'api' WHERE direction = 'outbound' AND is_echo = 0");
    await queryRunner.query('ALTER TABLE unroutable_events ADD COLUMN applied_at datetime(3) NULL');
    await queryRunner.createTable(
      new Table({
        name: 'backfill_jobs',
        columns: [
          column('id', 'varchar', { length: '36', isPrimary: true }),
          uuid('account_id'),
          uuid('active_account_id', true),
          varchar('status', 16),
          time('since'),
          column('cursor', 'text', { isNullable: true }),
          column('conversations_scanned', 'int'),
          column('messages_added', 'int'),
          column('messages_unavailable', 'int'),
          column('error', 'text', { isNullable: true }),
          varchar('lease_owner', 64, true),
          time('lease_expires_at', true),
          time('created_at'),
          time('updated_at'),
          time('finished_at', true),
        ],
        uniques: [{ name: 'uq_backfill_jobs_active_account', columnNames: ['active_account_id'] }],
        indices: [
          { name: 'ix_backfill_jobs_account', columnNames: ['account_id', 'id'] },
          { name: 'ix_backfill_jobs_status', columnNames: ['status', 'lease_expires_at'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'graph_api_pacing',
        columns: [column('account_id', 'varchar', { length: '36', isPrimary: true }), time('next_call_at')],
      }),
    );
  }

  /** Plain `DROP COLUMN`, as in the earlier migrations: SQLite would otherwise rebuild tables with foreign keys. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('graph_api_pacing');
    await queryRunner.dropTable('backfill_jobs');
    await queryRunner.query('ALTER TABLE unroutable_events DROP COLUMN applied_at');
    await queryRunner.query('ALTER TABLE messages DROP COLUMN source');
  }
}
