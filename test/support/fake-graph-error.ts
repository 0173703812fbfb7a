import type { FakeResponse } from './fake-graph-api';

/** A Graph API error answer, as Meta shapes it (`{"error": {message, type, code, error_subcode, fbtrace_id}}`). */
export function graphError(code: number, type: string, message: string, subcode?: number): FakeResponse {
  const error = {
    message,
    type,
    code,
    ...(subcode === undefined ? {} : { error_subcode: subcode }),
    fbtrace_id: 'fake',
  };
  return { status: 400, body: { error } };
}
