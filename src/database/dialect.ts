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
 * How a multi-row `INSERT` refers to the row it tried to insert when the row
 * already exists: SQLite's `excluded.col`; MariaDB's (and MySQL before
 * 8.0.19's) `VALUES(col)`; and MySQL 8's row alias (`AS incoming` …
 * `incoming.col`), which replaced the deprecated `VALUES()` there.
 */
export type UpsertSyntax = 'sqlite' | 'values_function' | 'row_alias';

/**
 * The syntax a connected DataSource speaks. TypeORM keeps the server's
 * version as digits only (`10.11.19`, `8.4.3`): MariaDB's versions start at
 * 10, MySQL's stay below, and MySQL has the row alias from 8.0.19.
 */
export function upsertSyntaxOf(type: DataSourceOptions['type'], serverVersion: string | undefined): UpsertSyntax {
  if (dialectOf(type) === 'sqlite') return 'sqlite';
  const [major = 0, minor = 0, patch = 0] = (serverVersion ?? '').split('.').map(Number);
  if (major >= 10) return 'values_function';
  const rowAlias = major > 8 || (major === 8 && (minor > 0 || patch >= 19));
  return rowAlias ? 'row_alias' : 'values_function';
}

/** `(?, ?, 0, NULL), (?, ?, 0, NULL)`: bound columns, then the constant ones, for each row. */
const valueRows = (bound: number, constants: readonly string[], rows: number): string => {
  const row = `(${[...new Array<string>(bound).fill('?'), ...constants].join(', ')})`;
  return new Array<string>(rows).fill(row).join(', ');
};

/**
 * `INSERT` of many rows that skips the rows a unique key says exist already
 * and fails on anything else (MySQL's `INSERT IGNORE` would also swallow a
 * truncated value or a bad date, so it is not used). `constants` are columns
 * with the same SQL literal in every row.
 */
export function insertSkippingDuplicatesSql(
  syntax: UpsertSyntax,
  table: string,
  columns: readonly string[],
  rows: number,
  constants: Readonly<Record<string, string>> = {},
): string {
  const names = [...columns, ...Object.keys(constants)].join(', ');
  const insert = `INSERT INTO ${table} (${names}) VALUES ${valueRows(columns.length, Object.values(constants), rows)}`;
  return syntax === 'sqlite' ? `${insert} ON CONFLICT DO NOTHING` : `${insert} ON DUPLICATE KEY UPDATE id = id`;
}

/**
 * `INSERT` of many rows where a row whose unique key `conflictColumns` exists
 * already keeps the later of its own and the incoming value in each of
 * `latestColumns` (a NULL on either side yields the other), and takes the
 * incoming `touchedColumns` as they are.
 */
export function upsertKeepingLatestSql(
  syntax: UpsertSyntax,
  table: string,
  columns: readonly string[],
  rows: number,
  update: { conflictColumns: readonly string[]; latestColumns: readonly string[]; touchedColumns: readonly string[] },
): string {
  const incoming = (column: string) =>
    syntax === 'sqlite'
      ? `excluded.${column}`
      : syntax === 'values_function'
        ? `VALUES(${column})`
        : `incoming.${column}`;
  // Both databases return NULL from MAX/GREATEST of a NULL, hence the COALESCEs.
  const greatest = syntax === 'sqlite' ? 'MAX' : 'GREATEST';
  const assignments = [
    ...update.latestColumns.map(
      (c) => `${c} = ${greatest}(COALESCE(${c}, ${incoming(c)}), COALESCE(${incoming(c)}, ${c}))`,
    ),
    ...update.touchedColumns.map((c) => `${c} = ${incoming(c)}`),
  ].join(', ');
  const values = `VALUES ${valueRows(columns.length, [], rows)}`;
  const insert = `INSERT INTO ${table} (${columns.join(', ')}) ${values}`;
  if (syntax === 'sqlite')
    return `${insert} ON CONFLICT (${update.conflictColumns.join(', ')}) DO UPDATE SET ${assignments}`;
  if (syntax === 'values_function') return `${insert} ON DUPLICATE KEY UPDATE ${assignments}`;
  return `${insert} AS incoming ON DUPLICATE KEY UPDATE ${assignments}`;
}

/**
 * A value as a raw statement binds it: mysql2 formats a Date in the
 * connection's time zone (UTC), better-sqlite3 binds neither Dates nor
 * booleans, so SQLite gets the UTC text TypeORM itself writes
 * (`2025-01-31 12:00:00.000`) and 1 or 0.
 */
export function sqlParameter(syntax: UpsertSyntax, value: unknown): unknown {
  if (syntax !== 'sqlite') return value;
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace('Z', '');
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
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
