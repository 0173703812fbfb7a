import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Meta's documented payloads (synthetic ids), kept beside the repository in shared/meta-fixtures. */
export const FIXTURES_DIR = join(__dirname, '..', '..', '..', 'shared', 'meta-fixtures');

export const ACCOUNT_A_IG_USER_ID = '17841400000000001';
export const ACCOUNT_B_IG_USER_ID = '17841400000000002';
export const CUSTOMER_IGSID = '1029384756102938';

/** The fixture's exact bytes, as Meta would send and sign them. */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(join(FIXTURES_DIR, `${name}.json`));
}

export function fixtureJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixtureBytes(name).toString('utf8')) as T;
}

/** Every webhook notification fixture (the files with `object: instagram`). */
export function webhookFixtureNames(): string[] {
  return readdirSync(FIXTURES_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.replace(/\.json$/, ''))
    .filter((name) => fixtureJson(name).object === 'instagram');
}
