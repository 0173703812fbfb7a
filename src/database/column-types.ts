import type { ColumnOptions } from 'typeorm';

/** Millisecond timestamps, stored in UTC on both MySQL and SQLite. */
export const timestampColumn = (options: ColumnOptions = {}): ColumnOptions => ({
  type: 'datetime',
  precision: 3,
  ...options,
});
