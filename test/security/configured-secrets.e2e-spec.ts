/**
 * Secrets an operator configures: the service refuses, before it listens, a
 * token or key that the documentation shows in place of one, and in
 * production one that was plainly not generated at random, without ever
 * printing it. A NODE_ENV with stray whitespace is still production: no
 * development secret is generated behind the operator's back.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { withDevelopmentSecrets } from '@config/development-secrets';
import { ConfigValidationError, parseEnvironment, type RawEnvironment } from '@config/environment';
import { startServiceProcess } from '../support/service-process';

const ROOT = join(__dirname, '..', '..');
const exampleSecret = (
  parse(readFileSync(join(ROOT, 'deploy', 'kubernetes', 'secret.example.yaml'), 'utf8')) as {
    stringData: Record<string, string>;
  }
).stringData;

/** The problems of an environment, read the way the service reads it at start (development secrets first). */
function problemsAtStart(raw: RawEnvironment, dataDir: string): string[] {
  try {
    parseEnvironment(withDevelopmentSecrets(raw, dataDir, () => undefined));
    return [];
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
}

const variablesOf = (problems: string[]) => problems.map((problem) => problem.split(':')[0]);
const generatedKey = () => randomBytes(32).toString('base64');

describe('configured secrets', () => {
  it('does not start in production with the Kubernetes example’s admin token, and never prints it', async () => {
    const service = startServiceProcess('main', {
      NODE_ENV: 'production',
      DATABASE_URL: 'sqlite::memory:',
      APP_SECRET_KEY: generatedKey(),
      ADMIN_API_TOKEN: exampleSecret.ADMIN_API_TOKEN,
    });
    expect(await service.exited).toBe(1);
    const problems = service
      .output()
      .split('\n')
      .filter((line) => /^\s+[A-Z_]+:/.test(line))
      .map((line) => line.trim());
    expect(variablesOf(problems)).toEqual(['ADMIN_API_TOKEN']);
    expect(problems[0]).toContain('placeholder');
    expect(service.output()).not.toContain(exampleSecret.ADMIN_API_TOKEN);
    expect(service.output()).not.toMatch(/listening/);
    // A service process started from the build: slow on a busy machine.
  }, 90_000);

  it.each(['production', 'development', 'test'])('refuses every secret of the Kubernetes example in %s', (nodeEnv) => {
    const problems = problemsAtStart(
      {
        NODE_ENV: nodeEnv,
        APP_SECRET_KEY: exampleSecret.APP_SECRET_KEY,
        ADMIN_API_TOKEN: exampleSecret.ADMIN_API_TOKEN,
      },
      join(mkdtempSync(join(tmpdir(), 'gateway-secrets-')), 'data'),
    );
    expect(variablesOf(problems)).toEqual(['APP_SECRET_KEY', 'ADMIN_API_TOKEN']);
    expect(problems.every((problem) => problem.includes('placeholder'))).toBe(true);
  });

  it.each([
    ['one character repeated', 'x'.repeat(48)],
    ['a short pattern repeated', 'admin123'.repeat(4)],
    ['hex digits in order, twice', '0123456789abcdef'.repeat(2)],
  ])('refuses in production an admin token of %s', (_name, token) => {
    const problems = problemsAtStart(
      { NODE_ENV: 'production', APP_SECRET_KEY: generatedKey(), ADMIN_API_TOKEN: token },
      join(tmpdir(), 'unused'),
    );
    expect(variablesOf(problems)).toEqual(['ADMIN_API_TOKEN']);
    expect(problems.join('\n')).not.toContain(token);
  });

  it('refuses in production a key of one byte value', () => {
    const problems = problemsAtStart(
      {
        NODE_ENV: 'production',
        APP_SECRET_KEY: Buffer.alloc(32).toString('base64'),
        ADMIN_API_TOKEN: randomBytes(32).toString('hex'),
      },
      join(tmpdir(), 'unused'),
    );
    expect(variablesOf(problems)).toEqual(['APP_SECRET_KEY']);
  });

  it.each(['production ', ' production', 'production\t'])(
    'treats NODE_ENV=%j as production: missing secrets stop it, none is generated',
    (nodeEnv) => {
      const dataDir = join(mkdtempSync(join(tmpdir(), 'gateway-secrets-')), 'data');
      expect(variablesOf(problemsAtStart({ NODE_ENV: nodeEnv }, dataDir))).toEqual([
        'APP_SECRET_KEY',
        'ADMIN_API_TOKEN',
      ]);
      expect(existsSync(dataDir)).toBe(false);
    },
  );

  it('refuses a NODE_ENV outside its closed list, and generates nothing for it', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'gateway-secrets-')), 'data');
    expect(variablesOf(problemsAtStart({ NODE_ENV: 'Production' }, dataDir))).toContain('NODE_ENV');
    expect(existsSync(dataDir)).toBe(false);
  });
});
