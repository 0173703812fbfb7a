import type { FindOptionsSelect } from 'typeorm';
import type { LoginType } from '@graph-api';
import type { AccountConnection, InstagramBusinessAccount, TokenStatus } from '../account';
import type { AccountEntity } from './account.entity';

/** The columns an account is read from: everything but the credential ciphertexts. */
export const ACCOUNT_SELECT = {
  id: true,
  username: true,
  igUserId: true,
  loginType: true,
  pageId: true,
  displayName: true,
  fallbackResponse: true,
  autoReplyLimit: true,
  autoReplyLimitMinutes: true,
  isActive: true,
  tokenStatus: true,
  tokenExpiresAt: true,
  tokenRefreshedAt: true,
  rulesVersion: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies FindOptionsSelect<AccountEntity>;

export type AccountRow = Pick<AccountEntity, keyof typeof ACCOUNT_SELECT>;

export function toAccount(row: AccountRow): InstagramBusinessAccount {
  return {
    id: row.id,
    username: row.username,
    igUserId: row.igUserId,
    ...toConnection(row),
    displayName: row.displayName,
    fallbackResponse: row.fallbackResponse,
    autoReplyLimit: row.autoReplyLimit,
    autoReplyLimitMinutes: row.autoReplyLimitMinutes,
    isActive: row.isActive,
    tokenStatus: row.tokenStatus as TokenStatus,
    tokenExpiresAt: row.tokenExpiresAt,
    tokenRefreshedAt: row.tokenRefreshedAt,
    rulesVersion: row.rulesVersion,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toConnection(row: Pick<AccountEntity, 'loginType' | 'pageId'>): AccountConnection {
  return { loginType: row.loginType as LoginType, pageId: row.pageId };
}
