import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';

export interface TestDatabase {
  url: string;
  dialect: 'mysql' | 'sqlite';
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test file. `DATABASE_URL=mysql://.../<name>`
 * runs the suite on MySQL/MariaDB: each file gets its own database named
 * `<name>_<random>`, created here and dropped afterwards, and the suite
 * refuses a name without "test" in it. Anything else runs on a temporary
 * SQLite file.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const configured = process.env.DATABASE_URL?.trim();
  if (configured?.startsWith('mysql://')) {
    const url = new URL(configured);
    const baseName = url.pathname.replace(/^\//, '');
    if (!/test/i.test(baseName)) {
      throw new Error(`refusing to run tests on database "${baseName}": its name must contain "test"`);
    }
    const name = `${baseName}_${randomBytes(4).toString('hex')}`;
    const admin = await createConnection({
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    });
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.end();
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      dialect: 'mysql',
      drop: async () => {
        const connection = await createConnection({
          host: url.hostname,
          port: Number(url.port || 3306),
          user: decodeURIComponent(url.username),
          password: decodeURIComponent(url.password),
        });
        await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
        await connection.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'gateway-test-'));
  return {
    url: `sqlite:${join(dir, 'gateway.sqlite')}`,
    dialect: 'sqlite',
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
