// What other modules may use of `database`; everything else in the folder is its own.
export { TEXT_COLUMN_MAX_BYTES, timestampColumn } from './column-types';
export { MigrateCommand } from './commands/migrate.command';
export { isDatabaseUnavailable } from './database-errors';
export { DatabaseModule } from './database.module';
export {
  dateFromRawColumn,
  deleteOldestSql,
  dialectOf,
  insertSkippingDuplicatesSql,
  isUniqueViolation,
  sqlParameter,
  upsertKeepingLatestSql,
  upsertSyntaxOf,
} from './dialect';
export type { UpsertSyntax } from './dialect';
export { StatementCounter } from './statement-counter';
export { Transactor, currentManager } from './transactor';
