import { DomainError } from './domain-error';

/** One page of a cursor-paginated list, as every list route answers it. */
/** The same page with each item mapped (an entity to its domain type, a domain type to its answer). */
export function mapPage<T, U>(page: Page<T>, map: (item: T) => U): Page<U> {
  return { items: page.items.map(map), nextCursor: page.nextCursor };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/**
 * Cursors are opaque to clients: base64url JSON of the sort key of the last
 * item. A cursor that does not decode is a client error, not a 500.
 */
export function encodeCursor(key: Array<string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, length: number): Array<string | number> {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === length &&
      key.every((k) => typeof k === 'string' || typeof k === 'number')
    ) {
      return key as Array<string | number>;
    }
  } catch {
    // falls through to the validation error below
  }
  throw new DomainError('validation_failed', 'cursor is not valid', { cursor: 'cursor is not valid' });
}

/** Builds a page from `limit + 1` fetched rows: the extra row only tells whether there is more. */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => Array<string | number>): Page<T> {
  const items = rows.slice(0, limit);
  const more = rows.length > limit;
  return { items, nextCursor: more && items.length > 0 ? encodeCursor(keyOf(items[items.length - 1])) : null };
}
