import type { ColumnOptions } from 'typeorm';

/** Millisecond timestamps, stored in UTC on both MySQL and SQLite. */
export const timestampColumn = (options: ColumnOptions = {}): ColumnOptions => ({
  type: 'datetime',
  precision: 3,
  ...options,
});

/**
 * Bytes a MySQL `TEXT` column holds. SQLite would take more: the service
 * refuses more on both, so the two databases store the same things.
 */
export const TEXT_COLUMN_MAX_BYTES = 65_535;
