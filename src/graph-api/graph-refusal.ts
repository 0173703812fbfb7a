import { DomainError, type ErrorCode } from '@common';
import { GraphApiError, type GraphErrorKind } from './graph-api-error';

/**
 * What an operator is told when Meta says no, or cannot be asked: one entry
 * per kind of Graph API failure, so a new kind does not compile until it has one.
 */
const REFUSAL_OF: Record<GraphErrorKind, { code: ErrorCode; says: string }> = {
  invalid_token: { code: 'token_rejected', says: 'Meta rejected the access token' },
  permanent: { code: 'graph_api_rejected', says: 'Meta refused' },
  transient: { code: 'graph_api_unavailable', says: 'Meta could not answer; try again' },
  rate_limited: { code: 'graph_api_unavailable', says: 'Meta asks to slow down; try again later' },
  uncertain: { code: 'graph_api_unavailable', says: 'Meta’s answer was unclear; check before trying again' },
};

/** `error` as the operator is told it, with `note` after Meta's message; anything but a Graph API failure as it is. */
export function refusal(error: unknown, note = ''): unknown {
  if (!(error instanceof GraphApiError)) return error;
  const { code, says } = REFUSAL_OF[error.kind];
  return new DomainError(code, `${says}: ${error.message}${note}`);
}
