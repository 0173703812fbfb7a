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

/** Column options that make comparisons exact (MySQL's utf8mb4 default ignores case; SQLite's is already exact). */
export function caseSensitive(type: DataSourceOptions['type']): { charset?: string; collation?: string } {
  return dialectOf(type) === 'mysql' ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {};
}

/** Error codes that mean "this row already exists" on each dialect. */
export function isUniqueViolation(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: string; errno?: number } })?.driverError ?? error;
  const code = (driverError as { code?: string })?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * A DATETIME column read by a raw query: mysql2 gives a Date (the connection
 * is in UTC), SQLite the UTC text TypeORM wrote (`2025-01-31 12:00:00.000`).
 */
export function dateFromRawColumn(value: unknown): Date | null {
  if (value instanceof Date) return value;
  if (typeof value !== 'string' || value === '') return null;
  const date = new Date(value.endsWith('Z') ? value : `${value.replace(' ', 'T')}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * One statement that deletes at most `:limit` rows of `table` whose `column`
 * is before `:cutoff`, oldest first, so a purge never holds many row locks at
 * once. MySQL/MariaDB take ORDER BY and LIMIT on a DELETE; SQLite (built
 * without its optional DELETE ... LIMIT) takes them in a subquery on the key.
 * `table` and `column` are names from the code, never input.
 */
export function deleteOldestSql(type: DataSourceOptions['type'], table: string, column: string): string {
  return dialectOf(type) === 'mysql'
    ? `DELETE FROM ${table} WHERE ${column} < :cutoff ORDER BY ${column} LIMIT :limit`
    : `DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE ${column} < :cutoff ORDER BY ${column} LIMIT :limit)`;
}
