import { Injectable } from '@nestjs/common';
import { DataSource, type QueryResult } from 'typeorm';
import { deleteOldestSql, currentManager, Transactor } from '@database';
import { RawDeliveryArchive } from '../raw-delivery-archive';

/**
 * The archive's tables, by their schema names (the messaging and events
 * modules write them). Each batch is its own short transaction: on MySQL at READ COMMITTED,
 * so it locks only the rows it deletes; on SQLite it waits for the one
 * connection like any other transaction, and intake gets it between batches.
 */
@Injectable()
export class TypeOrmRawDeliveryArchive extends RawDeliveryArchive {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactor: Transactor,
  ) {
    super();
  }

  deleteDeliveriesReceivedBefore(cutoff: Date, limit: number): Promise<number> {
    return this.deleteOldest('webhook_deliveries', 'received_at', cutoff, limit);
  }

  deleteUnroutableEntriesCreatedBefore(cutoff: Date, limit: number): Promise<number> {
    return this.deleteOldest('unroutable_events', 'created_at', cutoff, limit);
  }

  deleteEventDeliveriesFinishedBefore(cutoff: Date, limit: number): Promise<number> {
    return this.deleteOldest('event_deliveries', 'finished_at', cutoff, limit);
  }

  private deleteOldest(table: string, column: string, cutoff: Date, limit: number): Promise<number> {
    // The driver writes the cutoff as each dialect stores times (SQLite: UTC text).
    const [sql, parameters] = this.dataSource.driver.escapeQueryWithParameters(
      deleteOldestSql(this.dataSource.options.type, table, column),
      { cutoff, limit },
    );
    return this.transactor.run(async () => {
      const runner = currentManager(this.dataSource).queryRunner;
      if (!runner) throw new Error('a transaction without its query runner');
      const result = (await runner.query(sql, parameters, true)) as QueryResult;
      return result.affected ?? 0;
    });
  }
}
