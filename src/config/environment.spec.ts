import { randomBytes } from 'node:crypto';
import { ConfigValidationError, decodeSecretKey, nodeEnvOf, parseEnvironment } from './environment';

const valid = {
  APP_SECRET_KEY: randomBytes(32).toString('base64'),
  ADMIN_API_TOKEN: 'a'.repeat(32),
};
/** What `openssl rand` makes: fit for production. */
const strongSecrets = {
  APP_SECRET_KEY: randomBytes(32).toString('base64'),
  ADMIN_API_TOKEN: randomBytes(32).toString('hex'),
};

function problemsOf(raw: Record<string, string | undefined>): string[] {
  try {
    parseEnvironment(raw);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  return [];
}

describe('parseEnvironment', () => {
  it('applies the documented defaults', () => {
    const env = parseEnvironment(valid);
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      DATABASE_URL: 'sqlite:data/gateway.sqlite',
      APP_SECRET_KEY_PREVIOUS: [],
      PORT: 3000,
      PUBLIC_BASE_URL: 'http://localhost:3000',
      GRAPH_API_BASE_URL: 'https://graph.instagram.com',
      GRAPH_API_VERSION: 'v25.0',
      FACEBOOK_GRAPH_API_BASE_URL: 'https://graph.facebook.com',
      LOG_LEVEL: 'info',
      DB_RUN_MIGRATIONS: true,
    });
  });

  it('takes the Facebook Login host without a trailing slash, and refuses one that is not an http(s) URL', () => {
    expect(
      parseEnvironment({ ...valid, FACEBOOK_GRAPH_API_BASE_URL: 'http://127.0.0.1:8081/' }).FACEBOOK_GRAPH_API_BASE_URL,
    ).toBe('http://127.0.0.1:8081');
    expect(problemsOf({ ...valid, FACEBOOK_GRAPH_API_BASE_URL: 'graph.facebook.com' })).toEqual([
      'FACEBOOK_GRAPH_API_BASE_URL: expected an http(s) URL',
    ]);
  });

  it('derives PUBLIC_BASE_URL from PORT when unset', () => {
    expect(parseEnvironment({ ...valid, PORT: '8080' }).PUBLIC_BASE_URL).toBe('http://localhost:8080');
  });

  it('reports every problem at once, one line per variable', () => {
    const problems = problemsOf({
      NODE_ENV: 'staging',
      DATABASE_URL: 'postgres://x/y',
      APP_SECRET_KEY: 'short',
      ADMIN_API_TOKEN: 'tiny',
      PORT: '70000',
      GRAPH_API_VERSION: '25',
      LOG_LEVEL: 'loud',
      DB_RUN_MIGRATIONS: 'yes',
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'NODE_ENV',
      'DATABASE_URL',
      'APP_SECRET_KEY',
      'ADMIN_API_TOKEN',
      'PORT',
      'GRAPH_API_VERSION',
      'LOG_LEVEL',
      'DB_RUN_MIGRATIONS',
    ]);
  });

  it('requires the secrets and never echoes a secret value', () => {
    const secret = 'not-a-valid-key-but-secret';
    const problems = problemsOf({ APP_SECRET_KEY: secret });
    expect(problems.some((p) => p.startsWith('APP_SECRET_KEY'))).toBe(true);
    expect(problems.some((p) => p.startsWith('ADMIN_API_TOKEN'))).toBe(true);
    expect(problems.join('\n')).not.toContain(secret);
  });

  it('accepts MySQL URLs and SQLite paths', () => {
    expect(parseEnvironment({ ...valid, DATABASE_URL: 'mysql://u:p@db:3306/gateway' }).DATABASE_URL).toBe(
      'mysql://u:p@db:3306/gateway',
    );
    expect(parseEnvironment({ ...valid, DATABASE_URL: 'sqlite:/var/lib/gw.sqlite' }).DATABASE_URL).toBe(
      'sqlite:/var/lib/gw.sqlite',
    );
    expect(problemsOf({ ...valid, DATABASE_URL: 'mysql://host-without-db' })).toHaveLength(1);
  });

  it('splits APP_SECRET_KEY_PREVIOUS and checks each key', () => {
    const previous = [randomBytes(32).toString('hex'), randomBytes(32).toString('base64')];
    expect(
      parseEnvironment({ ...valid, APP_SECRET_KEY_PREVIOUS: ` ${previous.join(' , ')} ` }).APP_SECRET_KEY_PREVIOUS,
    ).toEqual(previous);
    expect(problemsOf({ ...valid, APP_SECRET_KEY_PREVIOUS: `${previous[0]},nope` })).toEqual([
      'APP_SECRET_KEY_PREVIOUS: key #2 is not 32 bytes as base64 or 64 hex characters',
    ]);
  });
});

describe('parseEnvironment: HTTP hardening and shutdown', () => {
  it('leaves CORS off, trusts no proxy and waits 25 s on shutdown by default', () => {
    expect(parseEnvironment(valid)).toMatchObject({ CORS_ORIGINS: [], TRUST_PROXY: false, SHUTDOWN_TIMEOUT: 25_000 });
  });

  it('reads CORS_ORIGINS as a list of exact origins', () => {
    const env = parseEnvironment({ ...valid, CORS_ORIGINS: ' https://admin.example.com , http://localhost:5173 ' });
    expect(env.CORS_ORIGINS).toEqual(['https://admin.example.com', 'http://localhost:5173']);
  });

  it('refuses CORS origins with a path, a wildcard or another scheme, one line each', () => {
    const problems = problemsOf({
      ...valid,
      CORS_ORIGINS: 'https://ok.example.com,https://admin.example.com/,*,ftp://files.example.com',
    });
    expect(problems).toHaveLength(3);
    expect(problems.every((p) => p.startsWith('CORS_ORIGINS: '))).toBe(true);
    expect(problems.join('\n')).not.toContain('ok.example.com');
  });

  it.each<[string, unknown]>([
    ['false', false],
    ['true', true],
    ['1', 1],
    ['loopback, 10.0.0.0/8', ['loopback', '10.0.0.0/8']],
    ['192.168.1.10,fd00::/8', ['192.168.1.10', 'fd00::/8']],
  ])('reads TRUST_PROXY=%s as Express takes it', (text, expected) => {
    expect(parseEnvironment({ ...valid, TRUST_PROXY: text }).TRUST_PROXY).toEqual(expected);
  });

  it.each(['yes', '10.0.0.0/33', 'proxy.internal', '1.2.3.4/8/9', '-1'])('refuses TRUST_PROXY=%s', (text) => {
    expect(problemsOf({ ...valid, TRUST_PROXY: text }).map((p) => p.split(':')[0])).toEqual(['TRUST_PROXY']);
  });

  it('reads SHUTDOWN_TIMEOUT as a duration from 1 s to 10 min', () => {
    expect(parseEnvironment({ ...valid, SHUTDOWN_TIMEOUT: '40s' }).SHUTDOWN_TIMEOUT).toBe(40_000);
    for (const text of ['0s', '11m', '25', 'soon']) {
      expect(problemsOf({ ...valid, SHUTDOWN_TIMEOUT: text }).map((p) => p.split(':')[0])).toEqual([
        'SHUTDOWN_TIMEOUT',
      ]);
    }
  });
});

describe('parseEnvironment: NODE_ENV', () => {
  it.each(['production ', ' production', 'production\n'])('reads NODE_ENV=%j as production', (text) => {
    expect(nodeEnvOf({ NODE_ENV: text })).toBe('production');
    expect(parseEnvironment({ ...strongSecrets, NODE_ENV: text }).NODE_ENV).toBe('production');
  });

  it.each(['Production', 'prod', 'staging', 'production,test'])('refuses NODE_ENV=%j', (text) => {
    expect(nodeEnvOf({ NODE_ENV: text })).toBeNull();
    expect(problemsOf({ ...valid, NODE_ENV: text }).map((p) => p.split(':')[0])).toEqual(['NODE_ENV']);
  });

  it('is development when unset or blank', () => {
    expect(nodeEnvOf({})).toBe('development');
    expect(nodeEnvOf({ NODE_ENV: '  ' })).toBe('development');
  });
});

describe('parseEnvironment: secrets that were not generated', () => {
  const production = { ...strongSecrets, NODE_ENV: 'production' };
  const variables = (problems: string[]) => problems.map((p) => p.split(':')[0]);

  it('accepts generated secrets in production', () => {
    expect(problemsOf(production)).toEqual([]);
  });

  it.each(['production', 'development'])('refuses the documented placeholders in %s', (nodeEnv) => {
    const problems = problemsOf({
      ...production,
      NODE_ENV: nodeEnv,
      APP_SECRET_KEY: 'REPLACE-WITH-openssl-rand-base64-32',
      ADMIN_API_TOKEN: 'REPLACE-WITH-openssl-rand-hex-32',
      APP_SECRET_KEY_PREVIOUS: 'REPLACE-WITH-openssl-rand-base64-32',
    });
    expect(variables(problems)).toEqual(['APP_SECRET_KEY', 'APP_SECRET_KEY_PREVIOUS', 'ADMIN_API_TOKEN']);
    expect(problems.every((p) => p.includes('placeholder'))).toBe(true);
    expect(problems.join('\n')).not.toContain('REPLACE-WITH');
  });

  it('refuses a token or key of too little variety in production only', () => {
    const weak = { ADMIN_API_TOKEN: 'abcd'.repeat(10), APP_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') };
    const problems = problemsOf({ ...production, ...weak });
    expect(variables(problems)).toEqual(['APP_SECRET_KEY', 'ADMIN_API_TOKEN']);
    expect(problems.every((p) => p.includes('variety'))).toBe(true);
    expect(problems.join('\n')).not.toContain(weak.ADMIN_API_TOKEN);
    expect(problems.join('\n')).not.toContain(weak.APP_SECRET_KEY);
    expect(problemsOf({ ...production, ...weak, NODE_ENV: 'development' })).toEqual([]);
  });

  it('still reads a weak earlier key, so that rotate-keys can replace what it encrypted', () => {
    const weakEarlierKey = Buffer.alloc(32).toString('hex');
    expect(problemsOf({ ...production, APP_SECRET_KEY_PREVIOUS: weakEarlierKey })).toEqual([]);
  });
});

describe('parseEnvironment: DELIVERY_RETENTION', () => {
  it('keeps raw deliveries 30 days by default', () => {
    expect(parseEnvironment(valid).DELIVERY_RETENTION).toBe(30 * 86_400_000);
  });

  it('reads a duration from 1 h to 3650 d', () => {
    expect(parseEnvironment({ ...valid, DELIVERY_RETENTION: '12h' }).DELIVERY_RETENTION).toBe(12 * 3_600_000);
    expect(parseEnvironment({ ...valid, DELIVERY_RETENTION: '3650d' }).DELIVERY_RETENTION).toBe(3650 * 86_400_000);
    for (const text of ['59m', '3651d', '30', 'forever', '0d']) {
      expect(problemsOf({ ...valid, DELIVERY_RETENTION: text })).toEqual([
        `DELIVERY_RETENTION: expected a duration from 1h to 3650d such as 30d, got "${text}"`,
      ]);
    }
  });
});

describe('parseEnvironment: EVENT_ENDPOINTS_ALLOW_PRIVATE', () => {
  it('refuses private event endpoints unless told otherwise', () => {
    expect(parseEnvironment(valid).EVENT_ENDPOINTS_ALLOW_PRIVATE).toBe(false);
    expect(parseEnvironment({ ...valid, EVENT_ENDPOINTS_ALLOW_PRIVATE: 'true' }).EVENT_ENDPOINTS_ALLOW_PRIVATE).toBe(
      true,
    );
    expect(problemsOf({ ...valid, EVENT_ENDPOINTS_ALLOW_PRIVATE: 'yes' })).toEqual([
      'EVENT_ENDPOINTS_ALLOW_PRIVATE: expected true or false, got "yes"',
    ]);
  });
});

describe('decodeSecretKey', () => {
  it('decodes 32 bytes from hex, base64 and base64url', () => {
    const key = randomBytes(32);
    expect(decodeSecretKey(key.toString('hex'))).toEqual(key);
    expect(decodeSecretKey(key.toString('base64'))).toEqual(key);
    expect(decodeSecretKey(key.toString('base64url'))).toEqual(key);
  });

  it('refuses other lengths', () => {
    expect(decodeSecretKey(randomBytes(16).toString('hex'))).toBeNull();
    expect(decodeSecretKey(randomBytes(31).toString('base64'))).toBeNull();
  });
});
