import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Meta's documented payloads (synthetic ids), kept with the tests; `test/fixtures/meta/README.md` names each one's source. */
export const META_FIXTURES_DIR = join(__dirname, '..', 'fixtures', 'meta');

export const ACCOUNT_A_IG_USER_ID = '17841400000000001';
export const ACCOUNT_B_IG_USER_ID = '17841400000000002';
export const CUSTOMER_IGSID = '1029384756102938';

const fileOf = (name: string) => join(META_FIXTURES_DIR, name.endsWith('.json') ? name : `${name}.json`);

/** A fixture's exact bytes, as Meta would send and sign them (`text-message` or `text-message.json`). */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(fileOf(name));
}

/** A parsed copy of one of Meta's fixtures. */
export function metaFixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixtureBytes(name).toString('utf8')) as T;
}

/** Every webhook notification fixture (the files with `object: instagram`). */
export function webhookFixtureNames(): string[] {
  return readdirSync(META_FIXTURES_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.replace(/\.json$/, ''))
    .filter((name) => metaFixture(name).object === 'instagram');
}
