/**
 * An account's webhook secrets must be worth something: an app secret of a
 * few characters makes every signature forgeable, and a short verify token
 * is guessed. The admin API (create and update) and the CLI refuse them with
 * the same rule, name the field, and store nothing.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { runCli } from '../support/cli-runner';
import { adminClient } from '../support/admin-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { testEnvironment } from '../support/test-environment';

const secretOf = (length: number) => randomBytes(length).toString('base64url').slice(0, length);
const MIN_LENGTH = { appSecret: 16, verifyToken: 8 } as const;

function accountBody(overrides: Record<string, string> = {}) {
  return {
    username: `shop_${randomBytes(4).toString('hex')}`,
    igUserId: `17841${randomInt(10 ** 9, 10 ** 10)}`,
    accessToken: `IGAAT${randomBytes(30).toString('hex')}`,
    appSecret: randomBytes(16).toString('hex'),
    verifyToken: secretOf(12),
    ...overrides,
  };
}

describe('weak webhook secrets of an account', () => {
  let t: TestApp;
  const admin = () => adminClient(t);
  const accountCount = async () =>
    Number(((await t.dataSource.query('SELECT COUNT(*) AS n FROM accounts')) as Array<{ n: number }>)[0].n);

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it.each<[keyof typeof MIN_LENGTH, number]>([
    ['appSecret', 1],
    ['appSecret', 15],
    ['verifyToken', 1],
    ['verifyToken', 7],
  ])('refuses POST /accounts with a %s of %i characters', async (field, length) => {
    const before = await accountCount();
    const res = await admin()
      .post('/accounts', accountBody({ [field]: secretOf(length) }))
      .expect(400);
    expect(res.body.fields).toEqual({ [field]: `${field} must be ${MIN_LENGTH[field]} to 256 characters` });
    expect(await accountCount()).toBe(before);
  });

  it('accepts the shortest allowed: 16 characters of app secret, 8 of verify token', async () => {
    await admin()
      .post('/accounts', accountBody({ appSecret: secretOf(16), verifyToken: secretOf(8) }))
      .expect(201);
  });

  it.each([
    ['appSecret', 15],
    ['verifyToken', 7],
  ])('refuses PUT /accounts/:id with a %s of %i characters, leaving the stored one', async (field, length) => {
    const created = await admin().post('/accounts', accountBody()).expect(201);
    const stored = async () =>
      (
        (await t.dataSource.query('SELECT app_secret_ciphertext, verify_token_ciphertext FROM accounts WHERE id = ?', [
          created.body.id,
        ])) as unknown[]
      )[0];
    const before = await stored();
    const res = await admin()
      .put(`/accounts/${created.body.id}`, { [field]: secretOf(length) })
      .expect(400);
    expect(Object.keys(res.body.fields as object)).toEqual([field]);
    expect(await stored()).toEqual(before);
  });

  it.each<[string, keyof typeof MIN_LENGTH, number]>([
    ['--app-secret', 'appSecret', 15],
    ['--verify-token', 'verifyToken', 7],
  ])('refuses seed-account %s (%s) of %i characters, storing nothing', async (flag, field, length) => {
    const before = await accountCount();
    const body = accountBody();
    const weak = secretOf(length);
    const cliEnvironment = testEnvironment({ DATABASE_URL: t.database.url, DB_RUN_MIGRATIONS: 'false' });
    const run = await runCli(cliEnvironment, [
      'seed-account',
      '--username',
      body.username,
      '--ig-user-id',
      body.igUserId,
      '--skip-validation',
      '--access-token',
      body.accessToken,
      '--app-secret',
      flag === '--app-secret' ? weak : body.appSecret,
      '--verify-token',
      flag === '--verify-token' ? weak : body.verifyToken,
    ]);
    expect(run.error?.message).toBe(`invalid input: ${field} must be ${MIN_LENGTH[field]} to 256 characters`);
    expect(run.error?.message).not.toContain(weak);
    expect(await accountCount()).toBe(before);
  });
});
