import { randomBytes } from 'node:crypto';
import { ConfigValidationError, parseEnvironment } from '@config/environment';
import { ContactLookupSettings } from '@contacts/contact-lookup-settings';
import { MessagingSettings } from './messaging-settings';

const valid = { APP_SECRET_KEY: randomBytes(32).toString('base64'), ADMIN_API_TOKEN: 'a'.repeat(32) };

function problemsOf(raw: Record<string, string>): string[] {
  try {
    parseEnvironment({ ...valid, ...raw });
    return [];
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
}

describe('outbox configuration', () => {
  it('gives up after 8 attempts or 24 hours by default', () => {
    const settings = MessagingSettings.fromEnvironment(parseEnvironment(valid));
    expect(settings.outbox.maxAttempts).toBe(8);
    expect(settings.outbox.maxAgeMs).toBe(24 * 3_600_000);
  });

  it('reads OUTBOX_MAX_ATTEMPTS and OUTBOX_MAX_AGE', () => {
    const env = parseEnvironment({ ...valid, OUTBOX_MAX_ATTEMPTS: '3', OUTBOX_MAX_AGE: '90m' });
    expect(MessagingSettings.fromEnvironment(env).outbox).toMatchObject({ maxAttempts: 3, maxAgeMs: 90 * 60_000 });
    expect(parseEnvironment({ ...valid, OUTBOX_MAX_AGE: '7d' }).OUTBOX_MAX_AGE).toBe(7 * 86_400_000);
  });

  it.each([
    ['OUTBOX_MAX_ATTEMPTS', '0'],
    ['OUTBOX_MAX_ATTEMPTS', '101'],
    ['OUTBOX_MAX_ATTEMPTS', 'many'],
    ['OUTBOX_MAX_AGE', '24'],
    ['OUTBOX_MAX_AGE', '30s'],
    ['OUTBOX_MAX_AGE', '31d'],
    ['OUTBOX_MAX_AGE', 'a day'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(problemsOf({ [name]: value }).map((problem) => problem.split(':')[0])).toEqual([name]);
  });

  it('keeps every lease far above the Graph API timeout (10 s), so a slow send is not taken over', () => {
    const settings = MessagingSettings.fromEnvironment(parseEnvironment(valid));
    expect(settings.outbox.leaseMs).toBeGreaterThanOrEqual(30_000);
    expect(new ContactLookupSettings().leaseMs).toBeGreaterThanOrEqual(30_000);
  });
});
