import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { currentManager, isUniqueViolation } from '@database';
import { GraphApiPacing } from '../graph-api-pacing';
import { GraphApiPacingEntity } from './graph-api-pacing.entity';

/**
 * One row per account: the earliest time its next call may start. A call is
 * granted by compare and set on that time, at the moment it is about to be
 * made: of two replicas asking together one wins and the other waits, no
 * lock is held while anyone waits, and a process that wakes late never
 * makes up for lost time by calling sooner after.
 */
@Injectable()
export class TypeOrmGraphApiPacing extends GraphApiPacing {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  private get rows() {
    return currentManager(this.dataSource).getRepository(GraphApiPacingEntity);
  }

  async grant(accountId: string, now: Date, spacingMs: number): Promise<{ granted: true } | { waitMs: number }> {
    const next = new Date(now.getTime() + spacingMs);
    for (;;) {
      const row = await this.rows.findOneBy({ accountId });
      if (!row) {
        try {
          await this.rows.insert({ accountId, nextCallAt: next });
          return { granted: true };
        } catch (error) {
          if (isUniqueViolation(error)) continue;
          throw error;
        }
      }
      const waitMs = row.nextCallAt.getTime() - now.getTime();
      if (waitMs > 0) return { waitMs };
      const taken = await this.rows.update({ accountId, nextCallAt: row.nextCallAt }, { nextCallAt: next });
      if (taken.affected === 1) return { granted: true };
    }
  }
}
