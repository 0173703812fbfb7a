import type { DataSourceOptions } from 'typeorm';

/**
 * The few places where MySQL/MariaDB and SQLite differ, kept together so the
 * rest of the code is written once.
 */
export type Dialect = 'mysql' | 'sqlite';

export function dialectOf(type: DataSourceOptions['type']): Dialect {
  return type === 'mysql' || type === 'mariadb' ? 'mysql' : 'sqlite';
}

/** A column that holds a whole webhook body (up to 1 MiB); MySQL's TEXT stops at 64 KiB. */
export function largeTextType(type: DataSourceOptions['type']): string {
  return dialectOf(type) === 'mysql' ? 'mediumtext' : 'text';
}

/** Error codes that mean "this row already exists" on each dialect. */
export function isUniqueViolation(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: string; errno?: number } })?.driverError ?? error;
  const code = (driverError as { code?: string })?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
