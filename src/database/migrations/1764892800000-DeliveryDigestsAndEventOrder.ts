import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * What the batched intake relies on:
 * - one raw delivery per body (unique digest), with the signature it came
 *   with, so a redelivered body is kept once and can be verified again later;
 * - one unroutable row per item of a delivery (`item_key`: its position), so
 *   redelivering the body adds nothing;
 * - the order of edits and reactions on a message (`edit_count`,
 *   `reaction_at`), so a late, stale one does not overwrite a newer one;
 * - why a customer's message got no automatic reply (`no_reply_reason`).
 */
export class DeliveryDigestsAndEventOrder1764892800000 implements MigrationInterface {
  name = 'DeliveryDigestsAndEventOrder1764892800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'webhook_deliveries',
      new TableColumn({ name: 'signature', type: 'varchar', length: '100', isNullable: true }),
    );
    // Earlier redeliveries of one body each have a row: keep the first (ids are time-ordered), move references to it.
    await queryRunner.query(
      `UPDATE unroutable_events SET delivery_id = (
         SELECT MIN(kept.id) FROM webhook_deliveries kept JOIN webhook_deliveries own ON own.body_sha256 = kept.body_sha256
         WHERE own.id = unroutable_events.delivery_id)
       WHERE delivery_id IN (SELECT id FROM webhook_deliveries)`,
    );
    await queryRunner.query(
      `DELETE FROM webhook_deliveries WHERE id NOT IN (
         SELECT id FROM (SELECT MIN(id) AS id FROM webhook_deliveries GROUP BY body_sha256) AS kept)`,
    );
    await queryRunner.createIndex(
      'webhook_deliveries',
      new TableIndex({ name: 'uq_webhook_deliveries_body_sha256', columnNames: ['body_sha256'], isUnique: true }),
    );

    await queryRunner.addColumn(
      'unroutable_events',
      new TableColumn({ name: 'item_key', type: 'varchar', length: '36', isNullable: false, default: "''" }),
    );
    // Rows kept before this migration cannot be told apart by position; their own ids keep them distinct.
    await queryRunner.query('UPDATE unroutable_events SET item_key = id');
    await queryRunner.createIndex(
      'unroutable_events',
      new TableIndex({
        name: 'uq_unroutable_events_delivery_item',
        columnNames: ['delivery_id', 'item_key'],
        isUnique: true,
      }),
    );

    await queryRunner.addColumns('messages', [
      new TableColumn({ name: 'edit_count', type: 'int', isNullable: true }),
      new TableColumn({ name: 'reaction_at', type: 'datetime', precision: 3, isNullable: true }),
      new TableColumn({ name: 'no_reply_reason', type: 'varchar', length: '32', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumns('messages', ['edit_count', 'reaction_at', 'no_reply_reason']);
    await queryRunner.dropIndex('unroutable_events', 'uq_unroutable_events_delivery_item');
    await queryRunner.dropColumn('unroutable_events', 'item_key');
    await queryRunner.dropIndex('webhook_deliveries', 'uq_webhook_deliveries_body_sha256');
    await queryRunner.dropColumn('webhook_deliveries', 'signature');
  }
}
