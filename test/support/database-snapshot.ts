import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

type Row = Record<string, unknown>;

/** What every table holds at one moment: its row count and a checksum of its whole content. */
export interface DatabaseSnapshot {
  counts: Record<string, number>;
  checksums: Record<string, string>;
}

const quote = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/** Every table of the test database, migrations' bookkeeping included, in name order. */
export async function tableNames(dataSource: DataSource): Promise<string[]> {
  const rows = (await dataSource.query(
    dataSource.options.type === 'mysql' || dataSource.options.type === 'mariadb'
      ? 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()'
      : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
  )) as Row[];
  return rows.map((row) => String(row.name)).sort();
}

/** One value as text, the same way on both drivers (dates as ISO strings, bytes as hex). */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('hex');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The rows of one table (optionally only those matching `where`), each as a stable line of text, sorted. */
export async function tableLines(dataSource: DataSource, table: string, where = '', params: unknown[] = []) {
  const rows = (await dataSource.query(
    `SELECT * FROM ${quote(table)}${where ? ` WHERE ${where}` : ''}`,
    params,
  )) as Row[];
  return rows
    .map((row) =>
      JSON.stringify(
        Object.keys(row)
          .sort()
          .map((column) => [column, cellText(row[column])]),
      ),
    )
    .sort();
}

export async function snapshotDatabase(dataSource: DataSource): Promise<DatabaseSnapshot> {
  const snapshot: DatabaseSnapshot = { counts: {}, checksums: {} };
  for (const table of await tableNames(dataSource)) {
    const lines = await tableLines(dataSource, table);
    snapshot.counts[table] = lines.length;
    snapshot.checksums[table] = createHash('sha256').update(lines.join('\n')).digest('hex');
  }
  return snapshot;
}

/** How many rows each table gained (negative: lost) between two snapshots; tables without change are left out. */
export function rowCountDelta(before: DatabaseSnapshot, after: DatabaseSnapshot): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const table of new Set([...Object.keys(before.counts), ...Object.keys(after.counts)])) {
    const change = (after.counts[table] ?? 0) - (before.counts[table] ?? 0);
    if (change !== 0) delta[table] = change;
  }
  return delta;
}

/** The tables whose content differs between two snapshots. */
export function changedTables(before: DatabaseSnapshot, after: DatabaseSnapshot): string[] {
  return [...new Set([...Object.keys(before.checksums), ...Object.keys(after.checksums)])]
    .filter((table) => before.checksums[table] !== after.checksums[table])
    .sort();
}

/**
 * Every row that belongs to one account: the account itself and each row of
 * every table with an `account_id` column naming it. Compare two of these to
 * prove that something did not touch that account.
 */
export async function accountRows(dataSource: DataSource, accountId: string): Promise<Record<string, string[]>> {
  const owned: Record<string, string[]> = { accounts: await tableLines(dataSource, 'accounts', 'id = ?', [accountId]) };
  for (const table of await tableNames(dataSource)) {
    if (table === 'accounts') continue;
    if ((await columnNames(dataSource, table)).includes('account_id'))
      owned[table] = await tableLines(dataSource, table, 'account_id = ?', [accountId]);
  }
  return owned;
}

async function columnNames(dataSource: DataSource, table: string): Promise<string[]> {
  if (dataSource.options.type === 'mysql' || dataSource.options.type === 'mariadb') {
    const rows = (await dataSource.query(
      'SELECT column_name AS name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ?',
      [table],
    )) as Row[];
    return rows.map((row) => String(row.name));
  }
  const rows = (await dataSource.query(`PRAGMA table_info(${quote(table)})`)) as Row[];
  return rows.map((row) => String(row.name));
}
