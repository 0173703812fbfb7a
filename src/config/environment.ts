import { isIP } from 'node:net';
import { isAbsolute } from 'node:path';
import { isPlaceholder, keyLacksVariety, tokenLacksVariety } from './secret-strength';

/** Typed view of the variables in the SPEC's configuration table. */
export interface Environment {
  NODE_ENV: NodeEnv;
  DATABASE_URL: string;
  /** 32-byte key, as given (base64 or hex); decoded by the Crypto module. */
  APP_SECRET_KEY: string;
  APP_SECRET_KEY_PREVIOUS: string[];
  ADMIN_API_TOKEN: string;
  PORT: number;
  PUBLIC_BASE_URL: string;
  GRAPH_API_BASE_URL: string;
  GRAPH_API_VERSION: string;
  /** Graph API host of accounts connected through Facebook Login (same GRAPH_API_VERSION). */
  FACEBOOK_GRAPH_API_BASE_URL: string;
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  DB_RUN_MIGRATIONS: boolean;
  /** Send API calls for one outbox message before it is given up as failed. */
  OUTBOX_MAX_ATTEMPTS: number;
  /** Milliseconds after being queued when an unsent message is given up as failed (given as `24h`, `90m`, ...). */
  OUTBOX_MAX_AGE: number;
  /** Browser origins allowed to call the API (CORS); empty: CORS stays off. */
  CORS_ORIGINS: string[];
  /** Express `trust proxy`: which `X-Forwarded-For` hops to believe for the client address. */
  TRUST_PROXY: TrustProxy;
  /** Milliseconds the service takes at most, after SIGTERM, to finish its work before it exits anyway. */
  SHUTDOWN_TIMEOUT: number;
  /** Milliseconds a webhook delivery may wait to be written before it is refused with 503. */
  INTAKE_MAX_WAIT: number;
  /** Bytes of webhook deliveries that may wait to be written; beyond them a delivery is refused with 503. */
  INTAKE_MAX_QUEUE_BYTES: number;
  /** Milliseconds raw webhook deliveries, unroutable entries and finished event deliveries are kept. */
  DELIVERY_RETENTION: number;
  /** Event endpoints may use plain http and private, loopback or link-local addresses (tests, a private network). */
  EVENT_ENDPOINTS_ALLOW_PRIVATE: boolean;
}

/** `false`: the socket's address is the client; `true`: the left-most forwarded one; a hop count; or trusted proxy addresses. */
export type TrustProxy = boolean | number | string[];

export type RawEnvironment = Record<string, string | undefined>;

/** Every problem found in the environment, one line each, so an operator fixes them all at once. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

export const DEFAULT_DATABASE_URL = 'sqlite:data/gateway.sqlite';
const NODE_ENVS = ['development', 'production', 'test'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const MIN_ADMIN_TOKEN_LENGTH = 32;
const GENERATE_KEY = 'openssl rand -base64 32';
const GENERATE_TOKEN = 'openssl rand -hex 32';
const PLACEHOLDER_PROBLEM = 'is a placeholder from the documentation, not a secret';
const LOW_VARIETY_PROBLEM =
  'has too little variety for production (too few different characters, or one pattern repeated), so it was not generated at random';
const MAX_OUTBOX_ATTEMPTS = 100;
const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const SIZE_UNITS_BYTES: Record<string, number> = { '': 1, B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };
const MIN_INTAKE_MAX_WAIT_MS = 100;
const MAX_INTAKE_MAX_WAIT_MS = 10_000;
const MIN_INTAKE_QUEUE_BYTES = 1024 ** 2;
const MAX_INTAKE_QUEUE_BYTES = 1024 ** 3;
const MIN_OUTBOX_MAX_AGE_MS = 60_000;
const MAX_OUTBOX_MAX_AGE_MS = 30 * 86_400_000;

const MIN_SHUTDOWN_TIMEOUT_MS = 1000;
const MAX_SHUTDOWN_TIMEOUT_MS = 600_000;
const MIN_DELIVERY_RETENTION_MS = 3_600_000;
const MAX_DELIVERY_RETENTION_MS = 3650 * 86_400_000;
/** Names Express (proxy-addr) accepts for address ranges in `trust proxy`. */
const TRUST_PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * NODE_ENV as every part of the service reads it: trimmed (`"production "`
 * is production), `development` when unset, null when it is not one of
 * NODE_ENVS. Deciding it in one place keeps the development-secrets step and
 * the validation from ever disagreeing about whether this is production.
 */
export function nodeEnvOf(raw: RawEnvironment): NodeEnv | null {
  const text = raw.NODE_ENV?.trim() || 'development';
  return (NODE_ENVS as readonly string[]).includes(text) ? (text as NodeEnv) : null;
}

/** `500ms`, `90s`, `30m`, `24h`, `7d` as milliseconds; null when it is none of these. */
export function parseDuration(value: string): number | null {
  const match = /^(\d{1,6})(ms|s|m|h|d)$/.exec(value);
  return match ? Number(match[1]) * DURATION_UNITS_MS[match[2]] : null;
}

/** `32MiB`, `512KiB`, `1GiB` or a number of bytes; null when it is none of these. */
export function parseByteSize(value: string): number | null {
  const match = /^(\d{1,10})(B|KiB|MiB|GiB)?$/.exec(value);
  return match ? Number(match[1]) * SIZE_UNITS_BYTES[match[2] ?? ''] : null;
}

/** Decodes a 32-byte key given as 64 hex characters or base64; null when it is neither. */
export function decodeSecretKey(value: string): Buffer | null {
  const trimmed = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === 32) return bytes;
  }
  return null;
}

/** Where the SQLite file lives, or null for a MySQL/MariaDB URL. Throws nothing: callers validate first. */
export function sqlitePathOf(databaseUrl: string): string | null {
  return databaseUrl.startsWith('sqlite:') ? databaseUrl.slice('sqlite:'.length) : null;
}

function isValidDatabaseUrl(value: string): boolean {
  const sqlitePath = sqlitePathOf(value);
  if (sqlitePath !== null)
    return (
      sqlitePath.length > 0 && (sqlitePath === ':memory:' || isAbsolute(sqlitePath) || !sqlitePath.startsWith('//'))
    );
  try {
    const url = new URL(value);
    return url.protocol === 'mysql:' && url.hostname.length > 0 && url.pathname.length > 1;
  } catch {
    return false;
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const commaList = (text: string): string[] =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

/** A browser origin exactly as the `Origin` header carries it: scheme, host and port, nothing more. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

/** An IP address or CIDR range, or one of the range names Express knows. */
function isProxyAddress(value: string): boolean {
  if (TRUST_PROXY_RANGES.includes(value)) return true;
  const [address, prefix, ...rest] = value.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
}

/** `TRUST_PROXY` as Express takes it; null when it is not valid. */
export function parseTrustProxy(text: string): TrustProxy | null {
  if (text === 'false') return false;
  if (text === 'true') return true;
  if (/^\d{1,2}$/.test(text)) return Number(text);
  const addresses = commaList(text);
  return addresses.length > 0 && addresses.every(isProxyAddress) ? addresses : null;
}

/**
 * Validates the raw environment and returns it typed. Collects every problem
 * before failing, naming the variable and what is expected, and never echoes a
 * secret's value back.
 */
export function parseEnvironment(raw: RawEnvironment): Environment {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const v = raw[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };

  const nodeEnv = nodeEnvOf(raw);
  if (nodeEnv === null) {
    problems.push(`NODE_ENV: expected one of ${NODE_ENVS.join(', ')}, got "${value('NODE_ENV')}"`);
  }
  const production = nodeEnv === 'production';

  const databaseUrl = value('DATABASE_URL') ?? DEFAULT_DATABASE_URL;
  if (!isValidDatabaseUrl(databaseUrl)) {
    problems.push('DATABASE_URL: expected mysql://user:pass@host:3306/db or sqlite:<path>');
  }

  const secretKey = value('APP_SECRET_KEY');
  const decodedKey = secretKey === undefined ? null : decodeSecretKey(secretKey);
  if (secretKey === undefined) {
    problems.push(`APP_SECRET_KEY: required; 32 random bytes as base64 or 64 hex characters (${GENERATE_KEY})`);
  } else if (isPlaceholder(secretKey)) {
    problems.push(`APP_SECRET_KEY: ${PLACEHOLDER_PROBLEM}; generate a key: ${GENERATE_KEY}`);
  } else if (decodedKey === null) {
    problems.push('APP_SECRET_KEY: expected 32 bytes as base64 or 64 hex characters');
  } else if (production && keyLacksVariety(decodedKey)) {
    problems.push(`APP_SECRET_KEY: ${LOW_VARIETY_PROBLEM}; generate a key: ${GENERATE_KEY}`);
  }

  // Earlier keys are only decrypted with: a weak one must stay usable until rotate-keys has replaced it.
  const previousKeys = commaList(value('APP_SECRET_KEY_PREVIOUS') ?? '');
  previousKeys.forEach((key, index) => {
    if (isPlaceholder(key)) {
      problems.push(`APP_SECRET_KEY_PREVIOUS: key #${index + 1} ${PLACEHOLDER_PROBLEM}`);
    } else if (decodeSecretKey(key) === null) {
      problems.push(`APP_SECRET_KEY_PREVIOUS: key #${index + 1} is not 32 bytes as base64 or 64 hex characters`);
    }
  });

  const adminToken = value('ADMIN_API_TOKEN');
  if (adminToken === undefined) {
    problems.push(`ADMIN_API_TOKEN: required; at least ${MIN_ADMIN_TOKEN_LENGTH} characters (${GENERATE_TOKEN})`);
  } else if (isPlaceholder(adminToken)) {
    problems.push(`ADMIN_API_TOKEN: ${PLACEHOLDER_PROBLEM}; generate a token: ${GENERATE_TOKEN}`);
  } else if (adminToken.length < MIN_ADMIN_TOKEN_LENGTH) {
    problems.push(`ADMIN_API_TOKEN: must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters`);
  } else if (production && tokenLacksVariety(adminToken)) {
    problems.push(`ADMIN_API_TOKEN: ${LOW_VARIETY_PROBLEM}; generate a token: ${GENERATE_TOKEN}`);
  }

  const portText = value('PORT') ?? '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    problems.push(`PORT: expected an integer from 1 to 65535, got "${portText}"`);
  }

  const publicBaseUrl = (value('PUBLIC_BASE_URL') ?? `http://localhost:${port}`).replace(/\/+$/, '');
  if (value('PUBLIC_BASE_URL') !== undefined && !isHttpUrl(publicBaseUrl)) {
    problems.push('PUBLIC_BASE_URL: expected an http(s) URL');
  }

  const graphBaseUrl = (value('GRAPH_API_BASE_URL') ?? 'https://graph.instagram.com').replace(/\/+$/, '');
  if (!isHttpUrl(graphBaseUrl)) problems.push('GRAPH_API_BASE_URL: expected an http(s) URL');

  const graphVersion = value('GRAPH_API_VERSION') ?? 'v25.0';
  if (!/^v\d+\.\d+$/.test(graphVersion)) {
    problems.push(`GRAPH_API_VERSION: expected a version such as v25.0, got "${graphVersion}"`);
  }

  const facebookGraphBaseUrl = (value('FACEBOOK_GRAPH_API_BASE_URL') ?? 'https://graph.facebook.com').replace(
    /\/+$/,
    '',
  );
  if (!isHttpUrl(facebookGraphBaseUrl)) problems.push('FACEBOOK_GRAPH_API_BASE_URL: expected an http(s) URL');

  const logLevel = value('LOG_LEVEL') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push(`LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }

  const runMigrations = value('DB_RUN_MIGRATIONS') ?? 'true';
  if (runMigrations !== 'true' && runMigrations !== 'false') {
    problems.push(`DB_RUN_MIGRATIONS: expected true or false, got "${runMigrations}"`);
  }

  const maxAttemptsText = value('OUTBOX_MAX_ATTEMPTS') ?? '8';
  const maxAttempts = Number(maxAttemptsText);
  if (!/^\d+$/.test(maxAttemptsText) || maxAttempts < 1 || maxAttempts > MAX_OUTBOX_ATTEMPTS) {
    problems.push(
      `OUTBOX_MAX_ATTEMPTS: expected an integer from 1 to ${MAX_OUTBOX_ATTEMPTS}, got "${maxAttemptsText}"`,
    );
  }

  const maxAgeText = value('OUTBOX_MAX_AGE') ?? '24h';
  const maxAge = parseDuration(maxAgeText);
  if (maxAge === null || maxAge < MIN_OUTBOX_MAX_AGE_MS || maxAge > MAX_OUTBOX_MAX_AGE_MS) {
    problems.push(`OUTBOX_MAX_AGE: expected a duration from 1m to 30d such as 90m or 24h, got "${maxAgeText}"`);
  }

  const corsOrigins = commaList(value('CORS_ORIGINS') ?? '');
  for (const origin of corsOrigins.filter((o) => !isOrigin(o))) {
    problems.push(
      `CORS_ORIGINS: "${origin}" is not an origin such as https://admin.example.com (no path, no wildcard)`,
    );
  }

  const trustProxyText = value('TRUST_PROXY') ?? 'false';
  const trustProxy = parseTrustProxy(trustProxyText);
  if (trustProxy === null) {
    problems.push(
      `TRUST_PROXY: expected false, true, a hop count, or proxy addresses (IPs, CIDRs, loopback, linklocal, uniquelocal), got "${trustProxyText}"`,
    );
  }

  const shutdownTimeoutText = value('SHUTDOWN_TIMEOUT') ?? '25s';
  const shutdownTimeout = parseDuration(shutdownTimeoutText);
  if (
    shutdownTimeout === null ||
    shutdownTimeout < MIN_SHUTDOWN_TIMEOUT_MS ||
    shutdownTimeout > MAX_SHUTDOWN_TIMEOUT_MS
  ) {
    problems.push(`SHUTDOWN_TIMEOUT: expected a duration from 1s to 10m such as 25s, got "${shutdownTimeoutText}"`);
  }

  const intakeMaxWaitText = value('INTAKE_MAX_WAIT') ?? '2s';
  const intakeMaxWait = parseDuration(intakeMaxWaitText);
  if (intakeMaxWait === null || intakeMaxWait < MIN_INTAKE_MAX_WAIT_MS || intakeMaxWait > MAX_INTAKE_MAX_WAIT_MS) {
    problems.push(
      `INTAKE_MAX_WAIT: expected a duration from 100ms to 10s such as 2s or 1500ms (Meta waits 5 s), got "${intakeMaxWaitText}"`,
    );
  }

  const intakeQueueText = value('INTAKE_MAX_QUEUE_BYTES') ?? '32MiB';
  const intakeQueueBytes = parseByteSize(intakeQueueText);
  if (
    intakeQueueBytes === null ||
    intakeQueueBytes < MIN_INTAKE_QUEUE_BYTES ||
    intakeQueueBytes > MAX_INTAKE_QUEUE_BYTES
  ) {
    problems.push(
      `INTAKE_MAX_QUEUE_BYTES: expected a size from 1MiB to 1GiB such as 32MiB or 512KiB, got "${intakeQueueText}"`,
    );
  }

  const retentionText = value('DELIVERY_RETENTION') ?? '30d';
  const retention = parseDuration(retentionText);
  if (retention === null || retention < MIN_DELIVERY_RETENTION_MS || retention > MAX_DELIVERY_RETENTION_MS) {
    problems.push(`DELIVERY_RETENTION: expected a duration from 1h to 3650d such as 30d, got "${retentionText}"`);
  }

  const allowPrivateEndpoints = value('EVENT_ENDPOINTS_ALLOW_PRIVATE') ?? 'false';
  if (allowPrivateEndpoints !== 'true' && allowPrivateEndpoints !== 'false') {
    problems.push(`EVENT_ENDPOINTS_ALLOW_PRIVATE: expected true or false, got "${allowPrivateEndpoints}"`);
  }

  if (problems.length > 0) throw new ConfigValidationError(problems);

  return {
    NODE_ENV: nodeEnv as NodeEnv,
    DATABASE_URL: databaseUrl,
    APP_SECRET_KEY: secretKey as string,
    APP_SECRET_KEY_PREVIOUS: previousKeys,
    ADMIN_API_TOKEN: adminToken as string,
    PORT: port,
    PUBLIC_BASE_URL: publicBaseUrl,
    GRAPH_API_BASE_URL: graphBaseUrl,
    GRAPH_API_VERSION: graphVersion,
    FACEBOOK_GRAPH_API_BASE_URL: facebookGraphBaseUrl,
    LOG_LEVEL: logLevel as Environment['LOG_LEVEL'],
    DB_RUN_MIGRATIONS: runMigrations === 'true',
    OUTBOX_MAX_ATTEMPTS: maxAttempts,
    OUTBOX_MAX_AGE: maxAge as number,
    CORS_ORIGINS: corsOrigins,
    TRUST_PROXY: trustProxy as TrustProxy,
    SHUTDOWN_TIMEOUT: shutdownTimeout as number,
    INTAKE_MAX_WAIT: intakeMaxWait as number,
    INTAKE_MAX_QUEUE_BYTES: intakeQueueBytes as number,
    DELIVERY_RETENTION: retention as number,
    EVENT_ENDPOINTS_ALLOW_PRIVATE: allowPrivateEndpoints === 'true',
  };
}
