import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { AccountCredentials } from '@accounts/account';
import { AccountRepository, type NewAccount } from '@accounts/account.repository';
import type { Environment } from '@config/environment';
import type { TestAccount } from './accounts';
import { tableLines, tableNames } from './database-snapshot';
import type { RecordedResponse } from './observed-app';
import { type Haystack, randomSecret, type Secret } from './secret-scan';

/** Fresh credentials made only of random letters and digits (see `randomSecret`). */
export function randomCredentials(): AccountCredentials {
  return { accessToken: `IGAA${randomSecret(60)}`, appSecret: randomSecret(32), verifyToken: randomSecret(24) };
}

/** The process-wide secrets of a test environment, in a form no escaping can disguise. */
export function randomServiceSecrets(): { APP_SECRET_KEY: string; ADMIN_API_TOKEN: string } {
  return { APP_SECRET_KEY: randomBytes(32).toString('hex'), ADMIN_API_TOKEN: randomSecret(48) };
}

/** Registers an account through the real repository, with credentials that share nothing with any other value. */
export async function createAccountWithRandomSecrets(
  app: INestApplication,
  fields: Partial<Omit<NewAccount, 'credentials'>> & { igUserId: string },
): Promise<TestAccount> {
  const credentials = randomCredentials();
  const account = await app.get(AccountRepository).create({
    username: fields.username ?? `shop_${randomBytes(5).toString('hex')}`,
    displayName: fields.displayName ?? null,
    fallbackResponse: fields.fallbackResponse ?? null,
    igUserId: fields.igUserId,
    credentials,
  });
  return { account, credentials };
}

/** Every secret a run used: the service's own and each account's credentials. */
export function secretsOfRun(
  env: Pick<Environment, 'APP_SECRET_KEY' | 'ADMIN_API_TOKEN'>,
  accounts: Array<{ name: string; credentials: AccountCredentials }>,
): Secret[] {
  return [
    { name: 'APP_SECRET_KEY', value: env.APP_SECRET_KEY },
    { name: 'ADMIN_API_TOKEN', value: env.ADMIN_API_TOKEN },
    ...accounts.flatMap(({ name, credentials }) => [
      { name: `${name}.accessToken`, value: credentials.accessToken },
      { name: `${name}.appSecret`, value: credentials.appSecret },
      { name: `${name}.verifyToken`, value: credentials.verifyToken },
    ]),
  ];
}

/** Each response as one haystack: status line, headers and body. */
export function responseHaystacks(responses: RecordedResponse[]): Haystack[] {
  return responses.map((r, i) => ({
    where: `response #${i} (${r.method} ${r.url.slice(0, 80)} → ${r.statusCode})`,
    text: `${r.headers}\n${r.body}`,
  }));
}

/** Every column of every row of every table, as text (ciphertexts included: they must not contain a secret either). */
export async function databaseHaystacks(dataSource: DataSource): Promise<Haystack[]> {
  const haystacks: Haystack[] = [];
  for (const table of await tableNames(dataSource)) {
    haystacks.push({ where: `table ${table}`, text: (await tableLines(dataSource, table)).join('\n') });
  }
  return haystacks;
}
