import type { TableColumnOptions } from 'typeorm';

// The column shapes the migrations' tables are written with (the Table API, the same on MySQL and SQLite).

/** A column, NOT NULL unless said otherwise. */
export const column = (name: string, type: string, options: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type,
  isNullable: false,
  ...options,
});
export const uuid = (name: string, nullable = false) => column(name, 'varchar', { length: '36', isNullable: nullable });
export const time = (name: string, nullable = false) =>
  column(name, 'datetime', { precision: 3, isNullable: nullable });
export const varchar = (name: string, length: number, nullable = false) =>
  column(name, 'varchar', { length: String(length), isNullable: nullable });
