import { randomBytes } from 'node:crypto';
import { startServiceProcess } from '../support/service-process';

describe('starting the service', () => {
  it('refuses to start in production without its secrets, naming each variable', async () => {
    const service = startServiceProcess('main', { NODE_ENV: 'production', DATABASE_URL: 'sqlite::memory:' });
    expect(await service.exited).toBe(1);
    const lines = service.output().split('\n');
    expect(lines.some((line) => line.trim().startsWith('APP_SECRET_KEY:'))).toBe(true);
    expect(lines.some((line) => line.trim().startsWith('ADMIN_API_TOKEN:'))).toBe(true);
    expect(service.output()).not.toMatch(/listening/);
  });

  it('prints one line per bad variable', async () => {
    const service = startServiceProcess('main', {
      NODE_ENV: 'production',
      APP_SECRET_KEY: 'too-short',
      ADMIN_API_TOKEN: randomBytes(32).toString('hex'),
      PORT: 'eighty',
      DATABASE_URL: 'oracle://db',
    });
    expect(await service.exited).toBe(1);
    const problems = service
      .output()
      .split('\n')
      .filter((line) => /^\s+[A-Z_]+:/.test(line))
      .map((line) => line.trim().split(':')[0]);
    expect(problems).toEqual(['DATABASE_URL', 'APP_SECRET_KEY', 'PORT']);
    expect(service.output()).not.toContain('too-short');
  });
});
