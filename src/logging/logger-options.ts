import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { ID_PATTERN } from '@common';
import type { Environment } from '@config';

/** Fields that hold a credential, whatever object they sit in. */
const SECRET_FIELDS = [
  'accessToken',
  'appSecret',
  'verifyToken',
  'access_token',
  'accessTokenCiphertext',
  'appSecretCiphertext',
  'verifyTokenCiphertext',
  'authorization',
  'Authorization',
  'signature',
  'appSecretKey',
  'adminApiToken',
];

/**
 * Paths whose values never reach a log line. Redaction lives here, at the
 * logger, rather than at each call site. pino's paths match one level each,
 * so every secret field is listed at the top of a log object and two levels
 * below it.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-hub-signature"]',
  'res.headers["set-cookie"]',
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
  // A failed query's SQL and parameters may hold ciphertexts or message text;
  // TypeORM copies the driver's error (mysql2 puts the SQL, values inlined, in `sql`) onto its own.
  'err.parameters',
  'err.query',
  'err.sql',
  'err.driverError',
  // An HTTP client's error carries the request: headers with the bearer token, the URL with its query.
  'err.config',
  'err.request',
  'err.response',
];

const SECRET_QUERY_PARAMETERS = /([?&](?:access_token|hub\.verify_token|verify_token|token)=)[^&#]*/gi;

/** Drops secret query parameters (an `access_token` in a URL, a verify token) from a URL, or any text holding one. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY_PARAMETERS, '$1[Redacted]');
}

/** Query parameters whose values are logged; any other (a token under a name nobody foresaw) is not. */
const LOGGED_QUERY_PARAMETERS = new Set(['account_id', 'hub.mode', 'hub.challenge', 'limit', 'cursor', 'validate']);

/** A request's URL for the log: the path, and the values of known harmless query parameters only. */
export function requestUrlForLog(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return url;
  const query = url
    .slice(queryStart + 1)
    .split('&')
    .map((pair) => {
      const name = parameterName(pair.split('=')[0]);
      return LOGGED_QUERY_PARAMETERS.has(name) || !pair.includes('=') ? pair : `${pair.split('=')[0]}=[Redacted]`;
    });
  return `${url.slice(0, queryStart)}?${query.join('&')}`;
}

/**
 * A query parameter's name as the server reads it. A malformed percent-escape
 * (`%ZZ`) is left as sent: such a name is no known harmless one, so its value
 * is hidden, and logging the request must never fail it.
 */
function parameterName(raw: string): string {
  const spaced = raw.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** `/accounts/<id>...` and `/webhooks/instagram/<id>...`, with the account id captured. */
const ACCOUNT_PATH = new RegExp(`^/(?:accounts|webhooks/instagram)/(${ID_PATTERN.source.slice(1, -1)})(?:[/?]|$)`);

/**
 * The account a request is about: the one a webhook route resolved, else the
 * one its admin or webhook path names. Only on the request's closing line:
 * lines logged during the request name their account themselves, and a
 * second `accountId` there would repeat the key in the JSON.
 */
function accountOfRequest(req: IncomingMessage): { accountId?: string } {
  const resolved = (req as IncomingMessage & { accountId?: string }).accountId;
  const accountId =
    resolved ??
    ACCOUNT_PATH.exec((req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '')?.[1];
  return accountId ? { accountId } : {};
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
          url: requestUrlForLog(req.url),
          remoteAddress: req.remoteAddress,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        // A URL or message that slipped a token into an error loses it too.
        err: (err: { message?: unknown; stack?: unknown }) => ({
          ...err,
          ...(typeof err.message === 'string' ? { message: redactUrl(err.message) } : {}),
          ...(typeof err.stack === 'string' ? { stack: redactUrl(err.stack) } : {}),
        }),
      },
      hooks: {
        // Message strings are scrubbed of URL tokens once here, so no call site has to remember.
        logMethod(args: unknown[], method: (...args: unknown[]) => void) {
          method.apply(
            this,
            args.map((arg) => (typeof arg === 'string' ? redactUrl(arg) : arg)),
          );
        },
      },
      customSuccessObject: (req: IncomingMessage, _res: ServerResponse, value: object) => ({
        ...value,
        ...accountOfRequest(req),
      }),
      customErrorObject: (req: IncomingMessage, _res: ServerResponse, _error: Error, value: object) => ({
        ...value,
        ...accountOfRequest(req),
      }),
      // Health probes and metrics scrapes would drown everything else.
      autoLogging: { ignore: (req: IncomingMessage) => /^\/(health|metrics)/.test(req.url ?? '') },
      transport:
        env.NODE_ENV === 'development' && prettyPrinterInstalled()
          ? { target: 'pino-pretty', options: { singleLine: true } }
          : undefined,
    },
  };
}
