import { randomBytes, randomInt } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { AccountCredentials, InstagramBusinessAccount } from '@accounts/account';
import { AccountRepository, type NewAccount } from '@accounts/account.repository';
import type { FakeFacebookGraph } from './fake-graph-api';

export interface TestAccount {
  account: InstagramBusinessAccount;
  credentials: AccountCredentials;
}

type TestAccountFields = Partial<Omit<NewAccount, 'credentials'>> & { igUserId: string };

/** Registers an account with fresh, recognisable secrets through the real repository. */
export async function createTestAccount(app: INestApplication, fields: TestAccountFields): Promise<TestAccount> {
  const tag = randomBytes(6).toString('hex');
  const credentials: AccountCredentials = {
    accessToken: `${fields.loginType === 'facebook' ? 'EAAT-test-page' : 'IGAAT-test-access'}-${tag}-${randomBytes(12).toString('hex')}`,
    appSecret: `app-secret-${tag}-${randomBytes(12).toString('hex')}`,
    verifyToken: `verify-${tag}-${randomBytes(8).toString('hex')}`,
  };
  const account = await app.get(AccountRepository).create({
    username: fields.username ?? `shop_${tag}`,
    displayName: fields.displayName ?? null,
    fallbackResponse: fields.fallbackResponse ?? null,
    igUserId: fields.igUserId,
    loginType: fields.loginType,
    pageId: fields.pageId,
    credentials,
  });
  return { account, credentials };
}

/** A Page id no other test uses. */
export const newPageId = () => `10${randomInt(10 ** 12, 10 ** 13)}`;

/**
 * Registers an account connected through Facebook Login (a fresh Page, its
 * Page token and the app's secret), and tells the fake graph.facebook.com
 * about that Page, as Meta would know it.
 */
export async function createPageTestAccount(
  app: INestApplication,
  facebook: FakeFacebookGraph,
  fields: Omit<TestAccountFields, 'loginType' | 'pageId'>,
): Promise<TestAccount & { pageId: string }> {
  const pageId = newPageId();
  const created = await createTestAccount(app, { ...fields, loginType: 'facebook', pageId });
  facebook.addPage({
    pageId,
    igUserId: fields.igUserId,
    accessToken: created.credentials.accessToken,
    appSecret: created.credentials.appSecret,
  });
  return { ...created, pageId };
}
