import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { currentManager, isUniqueViolation } from '@database';
import { GraphApiPacing } from '../graph-api-pacing';
import { GraphApiPacingEntity } from './graph-api-pacing.entity';

/**
 * One row per account. A slot is taken by compare and set on the row's
 * time: of two replicas reserving together one wins, the other reads the new
 * time and tries again, so no lock is held while anyone waits.
 */
@Injectable()
export class TypeOrmGraphApiPacing extends GraphApiPacing {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  private get rows() {
    return currentManager(this.dataSource).getRepository(GraphApiPacingEntity);
  }

  async reserve(accountId: string, now: Date, spacingMs: number): Promise<Date> {
    for (;;) {
      const row = await this.rows.findOneBy({ accountId });
      if (!row) {
        try {
          await this.rows.insert({ accountId, nextCallAt: new Date(now.getTime() + spacingMs) });
          return now;
        } catch (error) {
          if (isUniqueViolation(error)) continue;
          throw error;
        }
      }
      const slot = row.nextCallAt.getTime() > now.getTime() ? row.nextCallAt : now;
      const taken = await this.rows.update(
        { accountId, nextCallAt: row.nextCallAt },
        { nextCallAt: new Date(slot.getTime() + spacingMs) },
      );
      if (taken.affected === 1) return slot;
    }
  }
}
