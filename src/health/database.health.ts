import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';

@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly dataSource: DataSource,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async reachable(key = 'database') {
    const check = this.indicator.check(key);
    try {
      await this.dataSource.query('SELECT 1');
      return check.up();
    } catch {
      return check.down({ message: 'database unreachable' });
    }
  }

  async migrated(key = 'migrations') {
    const check = this.indicator.check(key);
    try {
      const pending = await this.dataSource.showMigrations();
      return pending ? check.down({ message: 'migrations pending' }) : check.up();
    } catch {
      return check.down({ message: 'database unreachable' });
    }
  }
}
