import type { InstagramBusinessAccount } from './account';

/**
 * The one rule of whether an account's work may reach Meta now: it is
 * active, and Meta has not rejected its token (its queue is held until the
 * account gets a new one). Written twice, for JavaScript and for SQL, next to
 * each other so they cannot drift apart.
 */
export function mayCallMeta(account: Pick<InstagramBusinessAccount, 'isActive' | 'tokenStatus'>): boolean {
  return account.isActive && account.tokenStatus !== 'invalid';
}

/** `mayCallMeta` as a SQL condition on the account whose id is in `accountIdColumn` (a name from the code). */
export function mayCallMetaSql(accountIdColumn: string): string {
  return `EXISTS (SELECT 1 FROM accounts may_call WHERE may_call.id = ${accountIdColumn} AND may_call.is_active = 1 AND may_call.token_status <> 'invalid')`;
}
