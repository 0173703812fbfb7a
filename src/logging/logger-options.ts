import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { Environment } from '../config/environment';

/**
 * Paths whose values never reach a log line. Redaction lives here, at the
 * logger, rather than at each call site.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-hub-signature"]',
  'res.headers["set-cookie"]',
  '*.accessToken',
  '*.appSecret',
  '*.verifyToken',
  '*.access_token',
  '*.accessTokenCiphertext',
  '*.appSecretCiphertext',
  '*.verifyTokenCiphertext',
  '*.authorization',
  '*.Authorization',
  '*.signature',
  // SQL parameters of a failed query may hold ciphertexts or message text.
  'err.parameters',
  'err.query',
  'err.config',
  'err.request',
  'err.response',
];

const SECRET_QUERY_PARAMETERS = /([?&](?:access_token|hub\.verify_token|verify_token|token)=)[^&#]*/gi;

/** Drops secret query parameters (an `access_token` in a URL, a verify token) from a URL before it is logged. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY_PARAMETERS, '$1[Redacted]');
}

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The request's id: the caller's `X-Request-Id` when it is well-formed, else a
 * new one; assigned once, echoed in the response header, and found on every
 * log line and error body of the request.
 */
export function requestIdOf(req: IncomingMessage & { id?: unknown }, res: ServerResponse): string {
  if (typeof req.id === 'string') return req.id;
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
  req.id = id;
  res.setHeader('x-request-id', id);
  return id;
}

/** pino-pretty is a development dependency; an install without it logs JSON. */
function prettyPrinterInstalled(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

export function buildLoggerOptions(env: Environment): Params {
  return {
    pinoHttp: {
      level: env.LOG_LEVEL,
      redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
      genReqId: requestIdOf,
      serializers: {
        req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({
          id: req.id,
          method: req.method,
          url: redactUrl(req.url),
          remoteAddress: req.remoteAddress,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customProps: (req: IncomingMessage) => {
        const accountId = (req as IncomingMessage & { accountId?: string }).accountId;
        return accountId ? { accountId } : {};
      },
      // Health probes and metrics scrapes would drown everything else.
      autoLogging: { ignore: (req: IncomingMessage) => /^\/(health|metrics)/.test(req.url ?? '') },
      transport:
        env.NODE_ENV === 'development' && prettyPrinterInstalled()
          ? { target: 'pino-pretty', options: { singleLine: true } }
          : undefined,
    },
  };
}
