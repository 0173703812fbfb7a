import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withDevelopmentSecrets } from './development-secrets';
import { parseEnvironment } from './environment';

describe('withDevelopmentSecrets', () => {
  const dataDir = () => join(mkdtempSync(join(tmpdir(), 'gateway-secrets-')), 'data');

  it('generates both secrets once, mode 0600, and reuses them', () => {
    const dir = dataDir();
    const messages: string[] = [];
    const first = withDevelopmentSecrets({}, dir, (m) => messages.push(m));
    const second = withDevelopmentSecrets({}, dir, (m) => messages.push(m));
    expect(first.APP_SECRET_KEY).toBe(second.APP_SECRET_KEY);
    expect(first.ADMIN_API_TOKEN).toBe(second.ADMIN_API_TOKEN);
    expect(readFileSync(join(dir, 'dev-secret.key'), 'utf8').trim()).toBe(first.APP_SECRET_KEY);
    expect(statSync(join(dir, 'dev-secret.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'dev-admin-token')).mode & 0o777).toBe(0o600);
    expect(messages[0]).toContain(join(dir, 'dev-secret.key'));
    expect(messages.join('\n')).not.toContain(first.APP_SECRET_KEY as string);
    expect(() => parseEnvironment(first)).not.toThrow();
  });

  it('leaves production alone, so missing secrets stop the process', () => {
    const raw = { NODE_ENV: 'production' };
    expect(withDevelopmentSecrets(raw, dataDir(), () => undefined)).toBe(raw);
    expect(() => parseEnvironment(raw)).toThrow(/APP_SECRET_KEY/);
  });

  it.each(['production ', '\tproduction', 'Production', 'prod'])(
    'generates nothing for NODE_ENV=%j: production, or refused by validation',
    (nodeEnv) => {
      const dir = dataDir();
      const raw = { NODE_ENV: nodeEnv };
      expect(withDevelopmentSecrets(raw, dir, () => undefined)).toBe(raw);
      expect(existsSync(dir)).toBe(false);
      expect(() => parseEnvironment(raw)).toThrow(/APP_SECRET_KEY/);
    },
  );

  it('keeps secrets that are set', () => {
    const filled = withDevelopmentSecrets({ ADMIN_API_TOKEN: 'x'.repeat(40) }, dataDir(), () => undefined);
    expect(filled.ADMIN_API_TOKEN).toBe('x'.repeat(40));
  });
});
