import { Command, CommandRunner } from 'nest-commander';
import { DataSource } from 'typeorm';
import { runPendingMigrations } from '../migration-runner';
import { CliOutput } from '@common';

@Command({ name: 'migrate', description: 'apply pending database migrations (safe when several run at once)' })
export class MigrateCommand extends CommandRunner {
  constructor(
    private readonly dataSource: DataSource,
    private readonly out: CliOutput,
  ) {
    super();
  }

  async run(): Promise<void> {
    const applied = await runPendingMigrations(this.dataSource);
    const pending = await this.dataSource.showMigrations();
    this.out.line(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'schema is up to date');
    if (pending) throw new Error('migrations are still pending after the run');
  }
}
