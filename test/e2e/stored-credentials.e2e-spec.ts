import { randomBytes } from 'node:crypto';
import { newIgUserId } from '../support/factories';
import request from 'supertest';
import { createTestAccount } from '../support/accounts';
import { type ObservedTestApp, startObservedTestApp } from '../support/observed-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const newKey = () => randomBytes(32).toString('base64');

interface LogLine {
  level: number;
  msg: string;
  accountIds?: string[];
}

const ERROR = 50;
const WARN = 40;

/**
 * One database whose credentials one key encrypted, read by replicas started
 * with other keys. Every replica of a file logs into one capture, so each
 * start is read from where the previous one ended.
 */
describe('stored credentials that the configured keys cannot decrypt', () => {
  let db: TestDatabase;
  let logRead = 0;
  const originalKey = newKey();
  const accountIds: string[] = [];

  async function start(overrides: Record<string, string>): Promise<{ t: ObservedTestApp; startLog: LogLine[] }> {
    const t = await startObservedTestApp(overrides, db);
    const text = t.log.text();
    const startLog = text
      .slice(logRead)
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
    logRead = text.length;
    return { t, startLog };
  }

  async function stop(t: ObservedTestApp): Promise<void> {
    await t.close();
    logRead = t.log.text().length;
  }

  const credentialLines = (lines: LogLine[]) => lines.filter((line) => /decrypt/.test(line.msg) && line.level >= WARN);
  const accountsHealth = async (t: ObservedTestApp) =>
    (await request(t.app.getHttpServer()).get('/health').expect(200)).body.info.accounts as Record<string, number>;

  beforeAll(async () => {
    db = await createTestDatabase();
    const { t, startLog } = await start({ APP_SECRET_KEY: originalKey });
    expect(credentialLines(startLog)).toEqual([]);
    for (let i = 0; i < 2; i++)
      accountIds.push((await createTestAccount(t.app, { igUserId: newIgUserId() })).account.id);
    await stop(t);
  });

  afterAll(async () => {
    await db.drop();
  });

  it('says at start, at error level, that APP_SECRET_KEY decrypts none of them, and /health counts them', async () => {
    const wrongKey = newKey();
    const { t, startLog } = await start({ APP_SECRET_KEY: wrongKey });
    try {
      const lines = credentialLines(startLog);
      expect(lines).toHaveLength(1);
      expect(lines[0].level).toBe(ERROR);
      expect(lines[0].msg).toMatch(/^APP_SECRET_KEY decrypts none of the stored credentials \(2 accounts\)/);
      expect(t.log.text()).not.toContain(wrongKey);
      expect(t.log.text()).not.toContain(originalKey);
      expect(await accountsHealth(t)).toMatchObject({ active: 2, credentialsUnreadable: 2 });
    } finally {
      await stop(t);
    }
  });

  it('reads them with the earlier key in APP_SECRET_KEY_PREVIOUS, and names an account whose row is damaged', async () => {
    const rotation = { APP_SECRET_KEY: newKey(), APP_SECRET_KEY_PREVIOUS: originalKey };
    const first = await start(rotation);
    try {
      expect(credentialLines(first.startLog)).toEqual([]);
      expect(await accountsHealth(first.t)).toMatchObject({ active: 2, credentialsUnreadable: 0 });
      await first.t.dataSource.query('UPDATE accounts SET verify_token_ciphertext = ? WHERE id = ?', [
        'damaged',
        accountIds[1],
      ]);
    } finally {
      await stop(first.t);
    }

    const second = await start(rotation);
    try {
      const lines = credentialLines(second.startLog);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: WARN, accountIds: [accountIds[1]] });
      expect(lines[0].msg).toMatch(/^1 of 2 accounts have stored credentials that do not decrypt/);
      expect(await accountsHealth(second.t)).toMatchObject({ active: 2, credentialsUnreadable: 1 });
    } finally {
      await stop(second.t);
    }
  });
});
