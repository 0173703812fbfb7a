import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeEnvOf, type RawEnvironment } from './environment';

interface GeneratedSecret {
  variable: 'APP_SECRET_KEY' | 'ADMIN_API_TOKEN';
  file: string;
  generate: () => string;
}

const SECRETS: GeneratedSecret[] = [
  { variable: 'APP_SECRET_KEY', file: 'dev-secret.key', generate: () => randomBytes(32).toString('base64') },
  { variable: 'ADMIN_API_TOKEN', file: 'dev-admin-token', generate: () => randomBytes(32).toString('base64url') },
];

/**
 * Outside production, fills APP_SECRET_KEY and ADMIN_API_TOKEN from files in
 * `dataDir`, generating each once (mode 0600) so a laptop install works with no
 * set-up and keeps decrypting its own data across restarts. Production, and a
 * NODE_ENV that is none of the known ones (which validation then refuses),
 * are left untouched so that a missing secret stops the process.
 */
export function withDevelopmentSecrets(
  raw: RawEnvironment,
  dataDir: string,
  announce: (message: string) => void,
): RawEnvironment {
  const nodeEnv = nodeEnvOf(raw);
  if (nodeEnv !== 'development' && nodeEnv !== 'test') return raw;
  const filled: RawEnvironment = { ...raw };
  for (const secret of SECRETS) {
    if ((raw[secret.variable] ?? '').trim() !== '') continue;
    const path = join(dataDir, secret.file);
    if (!existsSync(path)) {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      writeFileSync(path, `${secret.generate()}\n`, { mode: 0o600, flag: 'wx' });
      chmodSync(path, 0o600);
      announce(`${secret.variable} was not set: generated one into ${path} (development only)`);
    }
    filled[secret.variable] = readFileSync(path, 'utf8').trim();
  }
  return filled;
}
