/**
 * What a failed Graph API call means for the caller:
 * - `transient`: network trouble, timeouts, 5xx, Meta's "temporary" codes; retry, bounded, with backoff;
 * - `rate_limited`: back off (see `retryAfterMs`), then retry;
 * - `invalid_token`: the account's token is expired or revoked; mark it invalid and hold its queue;
 * - `permanent`: retrying cannot help (bad recipient, outside the window, permissions, policy);
 * - `uncertain`: Meta may have done it anyway (a message may have been sent); never resend blindly.
 */
export type GraphErrorKind = 'transient' | 'rate_limited' | 'invalid_token' | 'permanent' | 'uncertain';

const TRANSIENT_CODES = new Set([1, 2]);
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80002]);
const INVALID_TOKEN_CODE = 190;
/** 1/1357046: "could not return a valid reply"; the message may have gone out. */
const UNCERTAIN_SUBCODE = 1357046;
/** 613/2018338 is message-tag misuse, not a rate limit: the same request fails again. */
const TAG_MISUSE_SUBCODE = 2018338;
/** 100 with these subcodes is a failed media fetch or upload, which Meta says may work on a later try. */
const RETRYABLE_MEDIA_SUBCODES = new Set([2018008, 2018047]);

/**
 * Classifies Meta's `error.code` / `error.error_subcode`. Never by HTTP status
 * or `type`: Meta answered an outside-window error with 403 and an expired
 * token with 400, and the type string varies between endpoints.
 */
export function classifyMetaError(code: number, subcode: number | null): GraphErrorKind {
  if (code === 1 && subcode === UNCERTAIN_SUBCODE) return 'uncertain';
  if (TRANSIENT_CODES.has(code)) return 'transient';
  if (code === 613 && subcode === TAG_MISUSE_SUBCODE) return 'permanent';
  if (RATE_LIMIT_CODES.has(code)) return 'rate_limited';
  if (code === INVALID_TOKEN_CODE) return 'invalid_token';
  if (code === 100 && subcode !== null && RETRYABLE_MEDIA_SUBCODES.has(subcode)) return 'transient';
  return 'permanent';
}

/**
 * Meta could not fetch or upload the media of a message (100 / 2018008, 100 / 2018047): worth a few
 * more tries (the host may have been briefly away), but not the full retry budget of an outage.
 */
export function isMediaFailure(error: Pick<GraphApiError, 'code' | 'subcode'>): boolean {
  return error.code === 100 && error.subcode !== null && RETRYABLE_MEDIA_SUBCODES.has(error.subcode);
}

const USAGE_HEADERS = ['x-business-use-case-usage', 'x-app-usage'];

/**
 * The longest `estimated_time_to_regain_access` (minutes) found in Meta's
 * usage headers, as milliseconds; null when Meta gave no estimate. The
 * headers are JSON of varying shape (per app, per business id, lists of
 * entries), so every level is searched.
 */
export function retryAfterMsFromUsageHeaders(headers: Record<string, unknown>): number | null {
  let minutes = 0;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'estimated_time_to_regain_access' && typeof inner === 'number') minutes = Math.max(minutes, inner);
        else visit(inner);
      }
    }
  };
  for (const name of USAGE_HEADERS) {
    const text = headers[name];
    if (typeof text !== 'string') continue;
    try {
      visit(JSON.parse(text));
    } catch {
      // A malformed usage header only costs us the hint.
    }
  }
  return minutes > 0 ? minutes * 60_000 : null;
}

export interface GraphApiErrorDetails {
  kind: GraphErrorKind;
  /** What was called, e.g. `POST /me/messages`; never a URL with a token in it. */
  operation: string;
  reason: string;
  code?: number | null;
  subcode?: number | null;
  httpStatus?: number | null;
  fbtraceId?: string | null;
  retryAfterMs?: number | null;
}

/**
 * A failed Graph API call. Carries Meta's code, subcode and trace id for the
 * record, and nothing of the request: no headers, no token, no URL query.
 */
export class GraphApiError extends Error {
  readonly kind: GraphErrorKind;
  readonly operation: string;
  readonly code: number | null;
  readonly subcode: number | null;
  readonly httpStatus: number | null;
  readonly fbtraceId: string | null;
  readonly retryAfterMs: number | null;

  constructor(details: GraphApiErrorDetails) {
    const codes =
      details.code == null ? '' : `(#${details.code}${details.subcode == null ? '' : `/${details.subcode}`}) `;
    super(`Graph API ${details.operation} failed: ${codes}${details.reason}`);
    this.name = 'GraphApiError';
    this.kind = details.kind;
    this.operation = details.operation;
    this.code = details.code ?? null;
    this.subcode = details.subcode ?? null;
    this.httpStatus = details.httpStatus ?? null;
    this.fbtraceId = details.fbtraceId ?? null;
    this.retryAfterMs = details.retryAfterMs ?? null;
  }
}
