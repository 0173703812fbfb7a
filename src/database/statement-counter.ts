import { Injectable } from '@nestjs/common';
import { type BeforeQueryEvent, DataSource, type EntitySubscriberInterface, type QueryRunner } from 'typeorm';
import { currentManager } from './transactor';

/**
 * Counts the statements each connection runs, so that a transaction can say
 * how many it took (`inCurrentTransaction`), whichever repository or raw
 * query issued them: the intake's batch metrics rest on it.
 */
@Injectable()
export class StatementCounter implements EntitySubscriberInterface {
  private readonly counts = new WeakMap<QueryRunner, number>();

  constructor(private readonly dataSource: DataSource) {
    dataSource.subscribers.push(this);
  }

  beforeQuery(event: BeforeQueryEvent): void {
    const runner = event.queryRunner;
    this.counts.set(runner, (this.counts.get(runner) ?? 0) + 1);
  }

  /** Statements run so far on the connection of the transaction under way (a running total: take differences). */
  inCurrentTransaction(): number {
    const runner = currentManager(this.dataSource).queryRunner;
    return runner ? (this.counts.get(runner) ?? 0) : 0;
  }
}
