import { type DynamicModule, Global, Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Environment } from '@config';
import { buildDataSourceOptions, type EntityClasses } from './data-source-options';
import { runPendingMigrations } from './migration-runner';
import { StatementCounter } from './statement-counter';
import { Transactor } from './transactor';

/**
 * The one DataSource of the process, and the Transactor (and its statement
 * counter) every module's services share. The root module hands in every
 * module's entities: the database module depends on no feature.
 */
@Global()
@Module({})
export class DatabaseModule {
  private readonly logger = new Logger(DatabaseModule.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  static forRoot(entities: EntityClasses): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<Environment, true>) => ({
            ...buildDataSourceOptions(config.get('DATABASE_URL', { infer: true }), entities),
            retryAttempts: 10,
            retryDelay: 3000,
          }),
          dataSourceFactory: async (options) => new DataSource(options!).initialize(),
        }),
      ],
      providers: [Transactor, StatementCounter],
      exports: [Transactor, StatementCounter],
    };
  }

  /** Migrations run before the app listens, when this replica is configured to apply them. */
  async onModuleInit(): Promise<void> {
    if (!this.config.get('DB_RUN_MIGRATIONS', { infer: true })) return;
    const applied = await runPendingMigrations(this.dataSource);
    if (applied.length > 0) this.logger.log(`applied migrations: ${applied.join(', ')}`);
  }
}
