import { ENTITIES } from '../../src/entities';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { decodeSecretKey, type RawEnvironment } from '@config/environment';
import { AesGcmTokenCipher } from '@crypto/aes-gcm-token-cipher';
import { buildDataSourceOptions } from '@database/data-source-options';
import { type CliRun, runCli as runCliIn } from '../support/cli-runner';
import { FakeGraphApi, metaFixture } from '../support/fake-graph-api';
import { startServiceProcess } from '../support/service-process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { testEnvironment } from '../support/test-environment';

const ME_USER_ID = metaFixture<{ user_id: string }>('me.json').user_id;
const CREDENTIAL_COLUMNS = {
  accessToken: 'access_token_ciphertext',
  appSecret: 'app_secret_ciphertext',
  verifyToken: 'verify_token_ciphertext',
} as const;

interface Secrets {
  accessToken: string;
  appSecret: string;
  verifyToken: string;
}

const newSecrets = (): Secrets => ({
  accessToken: `IGAAT${randomBytes(40).toString('hex')}`,
  appSecret: randomBytes(16).toString('hex'),
  verifyToken: `verify-${randomBytes(12).toString('hex')}`,
});

const newKey = () => randomBytes(32).toString('base64');

describe('account commands of the CLI', () => {
  let db: TestDatabase;
  let fake: FakeGraphApi;
  let raw: DataSource;
  let env: RawEnvironment;

  const runCli = (args: string[], overrides: RawEnvironment = {}): Promise<CliRun> =>
    runCliIn({ ...env, ...overrides }, args);

  /** Secrets in the environment, where the operator is told to put them. */
  async function withSecretsInEnvironment<T>(secrets: Secrets | null, work: () => Promise<T>): Promise<T> {
    const names = {
      IG_ACCESS_TOKEN: 'accessToken',
      IG_APP_SECRET: 'appSecret',
      IG_VERIFY_TOKEN: 'verifyToken',
    } as const;
    for (const [variable, field] of Object.entries(names)) {
      if (secrets) process.env[variable] = secrets[field];
      else delete process.env[variable];
    }
    try {
      return await work();
    } finally {
      for (const variable of Object.keys(names)) delete process.env[variable];
    }
  }

  const storedRows = async () =>
    (await raw.query(
      'SELECT id, username, access_token_ciphertext, app_secret_ciphertext, verify_token_ciphertext FROM accounts ORDER BY id',
    )) as Array<Record<string, string>>;

  /** The stored credentials of every account, decrypted with exactly these keys. */
  const decryptAll = async (currentKey: string, previousKeys: string[] = []) => {
    const cipher = new AesGcmTokenCipher(
      decodeSecretKey(currentKey)!,
      previousKeys.map((k) => decodeSecretKey(k)!),
    );
    return (await storedRows()).map((row) => ({
      id: row.id,
      username: row.username,
      ...Object.fromEntries(
        Object.entries(CREDENTIAL_COLUMNS).map(([field, column]) => [
          field,
          cipher.decrypt(row[column], `account:${row.id}:${field}`),
        ]),
      ),
    }));
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    fake = await FakeGraphApi.start();
    env = testEnvironment({ DATABASE_URL: db.url, GRAPH_API_BASE_URL: fake.baseUrl, APP_SECRET_KEY: newKey() });
    await runCli(['migrate']);
    raw = await new DataSource(buildDataSourceOptions(db.url, ENTITIES)).initialize();
  });

  afterEach(() => fake.reset());

  afterAll(async () => {
    await raw.destroy();
    await fake.close();
    await db.drop();
  });

  it('seed-account creates the account, then updates the same one, printing its webhook URL and no secret', async () => {
    const first = newSecrets();
    const created = await withSecretsInEnvironment(first, () =>
      runCli(['seed-account', '--username', '@Ser_Bain', '--ig-user-id', ME_USER_ID, '--display-name', 'Ser Bain']),
    );
    expect(created.error).toBeNull();
    const id = /^created account (\S+) \(@ser_bain\); Meta accepted its token$/.exec(created.lines[0])?.[1];
    expect(id).toBeDefined();
    expect(created.lines[1]).toBe(`webhook URL: https://gateway.test.example/webhooks/instagram/${id}`);
    expect(fake.requestsTo('GET', '/v25.0/me')[0].headers.authorization).toBe(`Bearer ${first.accessToken}`);

    const second = newSecrets();
    const updated = await runCli([
      'seed-account',
      '--username',
      'ser_bain',
      '--ig-user-id',
      ME_USER_ID,
      '--access-token',
      second.accessToken,
      '--app-secret',
      second.appSecret,
      '--verify-token',
      second.verifyToken,
    ]);
    expect(updated.error).toBeNull();
    expect(updated.lines[0]).toMatch(new RegExp(`^updated account ${id} \\(@ser_bain\\)`));

    const printed = [...created.lines, ...updated.lines].join('\n');
    for (const secret of [...Object.values(first), ...Object.values(second)]) {
      expect(printed).not.toContain(secret.slice(0, 12));
    }
    const accounts = (await decryptAll(env.APP_SECRET_KEY!)).filter((a) => a.username === 'ser_bain');
    expect(accounts).toEqual([{ id, username: 'ser_bain', ...second }]);

    const [row] = await raw.query('SELECT display_name, token_status FROM accounts WHERE id = ?', [id]);
    expect(row).toEqual({ display_name: 'Ser Bain', token_status: 'valid' });
  });

  it('seed-account refuses what Meta rejects, missing secrets and invalid input, storing nothing', async () => {
    fake.respondOnce('GET', '/v25.0/me', { status: 400, body: metaFixture('send-api-error-token-expired.json') });
    const rejected = await withSecretsInEnvironment(newSecrets(), () =>
      runCli(['seed-account', '--username', 'rejected_shop', '--ig-user-id', '17841400000000077']),
    );
    expect(rejected.error?.message).toMatch(/Meta rejected the access token/);

    const missing = await withSecretsInEnvironment(null, () =>
      runCli(['seed-account', '--username', 'missing_shop', '--ig-user-id', '17841400000000078']),
    );
    expect(missing.error?.message).toMatch(/IG_ACCESS_TOKEN/);

    const invalid = await withSecretsInEnvironment(newSecrets(), () =>
      runCli(['seed-account', '--username', 'no spaces allowed', '--ig-user-id', 'abc']),
    );
    expect(invalid.error?.message).toMatch(/username must be .*igUserId must be/);

    const usernames = (await storedRows()).map((row) => row.username);
    expect(usernames).not.toContain('rejected_shop');
    expect(usernames).not.toContain('missing_shop');
  });

  it('seed-account --skip-validation does not call Meta', async () => {
    const run = await withSecretsInEnvironment(newSecrets(), () =>
      runCli(['seed-account', '--username', 'offline_shop', '--ig-user-id', '17841400000000080', '--skip-validation']),
    );
    expect(run.error).toBeNull();
    expect(run.lines[0]).toMatch(/^created account .* \(@offline_shop\); token not checked$/);
    expect(fake.requests).toHaveLength(0);
  });

  it('seed-account --login facebook --page-id connects the account through its Page, checked on graph.facebook.com', async () => {
    const igUserId = '17841400000000082';
    const pageId = '102938475610293';
    const page = { ...newSecrets(), accessToken: `EAAT${randomBytes(40).toString('hex')}` };
    fake.facebook.addPage({ pageId, igUserId, accessToken: page.accessToken, appSecret: page.appSecret });
    const facebookHost = { FACEBOOK_GRAPH_API_BASE_URL: fake.facebook.baseUrl };
    const seed = (extra: string[]) =>
      withSecretsInEnvironment(page, () =>
        runCli(['seed-account', '--username', 'page_shop', '--ig-user-id', igUserId, ...extra], facebookHost),
      );

    const created = await seed(['--login', 'facebook', '--page-id', pageId]);
    expect(created.error).toBeNull();
    expect(created.lines[0]).toMatch(
      new RegExp(
        `^created account \\S+ \\(@page_shop, Facebook Login through Page ${pageId}\\); Meta accepted its token$`,
      ),
    );
    const [check] = fake.facebook.requestsTo('GET', fake.facebook.path(`/${pageId}`));
    expect(check.headers.authorization).toBe(`Bearer ${page.accessToken}`);
    expect(check.query.appsecret_proof).toBe(fake.facebook.proofOf(page));
    expect(fake.requests).toHaveLength(0);

    // Seeded again without --login, it stays connected through its Page.
    const again = await seed([]);
    expect(again.lines[0]).toMatch(
      /^updated account .* \(@page_shop, Facebook Login through Page \d+\); Meta accepted/,
    );
    const [row] = await raw.query('SELECT login_type, page_id, token_status FROM accounts WHERE ig_user_id = ?', [
      igUserId,
    ]);
    expect(row).toEqual({ login_type: 'facebook', page_id: pageId, token_status: 'valid' });

    const withoutPage = await withSecretsInEnvironment(newSecrets(), () =>
      runCli(['seed-account', '--username', 'no_page', '--ig-user-id', '17841400000000083', '--login', 'facebook']),
    );
    expect(withoutPage.error?.message).toMatch(/pageId is required when loginType is facebook/);
    const unknownLogin = await withSecretsInEnvironment(newSecrets(), () =>
      runCli(['seed-account', '--username', 'no_page', '--ig-user-id', '17841400000000083', '--login', 'fb']),
    );
    expect(unknownLogin.error?.message).toMatch(/loginType must be one of instagram, facebook/);
    expect((await storedRows()).map((r) => r.username)).not.toContain('no_page');
  });

  it('list-accounts shows id, username, active and token status', async () => {
    const run = await runCli(['list-accounts']);
    expect(run.error).toBeNull();
    expect(run.lines[0].split(/\s{2,}/)).toEqual(['id', 'username', 'active', 'token status']);
    const rows = run.lines.slice(1).map((line) => line.split(/\s+/));
    expect(rows).toContainEqual([expect.any(String), 'ser_bain', 'yes', 'valid']);
    expect(rows).toContainEqual([expect.any(String), 'offline_shop', 'yes', 'unknown']);
    expect(rows.map((r) => r[0]).sort()).toEqual((await storedRows()).map((r) => r.id));
  });

  describe('rotate-keys', () => {
    it('re-encrypts every credential with the new key, and a second run finds nothing to do', async () => {
      const oldKey = env.APP_SECRET_KEY!;
      const before = await decryptAll(oldKey);
      const newKeyValue = newKey();
      const rotatedEnv = { APP_SECRET_KEY: newKeyValue, APP_SECRET_KEY_PREVIOUS: oldKey };

      const first = await runCli(['rotate-keys'], rotatedEnv);
      expect(first.error).toBeNull();
      expect(first.lines).toEqual([
        `rotated ${before.length} accounts, 0 already current`,
        'rotated 0 event endpoints, 0 already current',
      ]);
      const again = await runCli(['rotate-keys'], rotatedEnv);
      expect(again.lines).toEqual([
        `rotated 0 accounts, ${before.length} already current`,
        'rotated 0 event endpoints, 0 already current',
      ]);

      // The new key alone now opens every stored credential, with the same plaintexts as before.
      expect(await decryptAll(newKeyValue)).toEqual(before);
      await expect(decryptAll(oldKey)).rejects.toThrow();
      env = { ...env, APP_SECRET_KEY: newKeyValue };
    });

    it('reports an account it cannot decrypt by id, rotates the others, and exits non-zero', async () => {
      await withSecretsInEnvironment(newSecrets(), () =>
        runCli(['seed-account', '--username', 'third_shop', '--ig-user-id', '17841400000000081', '--skip-validation']),
      );
      const [damaged, donor] = await storedRows();
      // A ciphertext moved to another row does not decrypt there (its context names the account).
      await raw.query('UPDATE accounts SET verify_token_ciphertext = ? WHERE id = ?', [
        donor.verify_token_ciphertext,
        damaged.id,
      ]);
      const total = (await storedRows()).length;
      const oldKey = env.APP_SECRET_KEY!;
      const newKeyValue = newKey();

      const run = await runCli(['rotate-keys'], { APP_SECRET_KEY: newKeyValue, APP_SECRET_KEY_PREVIOUS: oldKey });
      expect(run.lines).toEqual([
        `rotated ${total - 1} accounts, 0 already current`,
        'rotated 0 event endpoints, 0 already current',
      ]);
      expect(run.error?.message).toContain(`1 account could not be decrypted`);
      expect(run.error?.message).toContain(damaged.id);

      const cipher = new AesGcmTokenCipher(decodeSecretKey(newKeyValue)!);
      for (const row of (await storedRows()).filter((r) => r.id !== damaged.id)) {
        expect(() => cipher.decrypt(row.access_token_ciphertext, `account:${row.id}:accessToken`)).not.toThrow();
      }

      // As an operator runs it: the same report, and a failing exit code.
      const cli = startServiceProcess('cli', { ...env, APP_SECRET_KEY: newKeyValue, APP_SECRET_KEY_PREVIOUS: oldKey }, [
        'rotate-keys',
      ]);
      expect(await cli.exited).toBe(1);
      expect(cli.output()).toContain(`rotated 0 accounts, ${total - 1} already current`);
      expect(cli.output()).toMatch(new RegExp(`^error: 1 account could not be decrypted.*${damaged.id}`, 'm'));
    });
  });
});
