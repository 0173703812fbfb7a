import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { AccountCredentials, InstagramBusinessAccount } from '@accounts/account';
import { AccountRepository, type NewAccount } from '@accounts/account.repository';

export interface TestAccount {
  account: InstagramBusinessAccount;
  credentials: AccountCredentials;
}

/** Registers an account with fresh, recognisable secrets through the real repository. */
export async function createTestAccount(
  app: INestApplication,
  fields: Partial<Omit<NewAccount, 'credentials'>> & { igUserId: string },
): Promise<TestAccount> {
  const tag = randomBytes(6).toString('hex');
  const credentials: AccountCredentials = {
    accessToken: `IGAAT-test-access-${tag}-${randomBytes(12).toString('hex')}`,
    appSecret: `app-secret-${tag}-${randomBytes(12).toString('hex')}`,
    verifyToken: `verify-${tag}-${randomBytes(8).toString('hex')}`,
  };
  const account = await app.get(AccountRepository).create({
    username: fields.username ?? `shop_${tag}`,
    displayName: fields.displayName ?? null,
    fallbackResponse: fields.fallbackResponse ?? null,
    igUserId: fields.igUserId,
    credentials,
  });
  return { account, credentials };
}
