import { readdirSync } from 'node:fs';
import { metaFixture, META_FIXTURES_DIR } from '../../test/support/fake-graph-api';
import {
  classifyMetaError,
  type GraphErrorKind,
  isMediaFailure,
  retryAfterMsFromUsageHeaders,
} from './graph-api-error';

interface MetaError {
  error: { code: number; error_subcode?: number };
}

/** What Meta's documented error answers mean; every send-api-error fixture must be listed. */
const FIXTURE_KINDS: Record<string, GraphErrorKind> = {
  'send-api-error-app-rate-limit.json': 'rate_limited',
  'send-api-error-invalid-param.json': 'permanent',
  'send-api-error-media-fetch.json': 'transient',
  'send-api-error-outside-window.json': 'permanent',
  'send-api-error-rate-limit.json': 'rate_limited',
  'send-api-error-token-expired.json': 'invalid_token',
  'send-api-error-transient.json': 'transient',
  'send-api-error-user-unavailable.json': 'permanent',
};

describe('isMediaFailure', () => {
  it('tells Meta’s failed media fetch or upload from other bad requests', () => {
    const fetch = metaFixture<MetaError>('send-api-error-media-fetch.json').error;
    expect(isMediaFailure({ code: fetch.code, subcode: fetch.error_subcode ?? null })).toBe(true);
    expect(isMediaFailure({ code: 100, subcode: 2018047 })).toBe(true);
    expect(isMediaFailure({ code: 100, subcode: 2534014 })).toBe(false);
    expect(isMediaFailure({ code: 2, subcode: null })).toBe(false);
  });
});

describe('classifyMetaError', () => {
  it('has an expectation for every Send API error fixture', () => {
    const fixtures = readdirSync(META_FIXTURES_DIR).filter((name) => name.startsWith('send-api-error-'));
    expect(fixtures.sort()).toEqual(Object.keys(FIXTURE_KINDS).sort());
  });

  it.each(Object.entries(FIXTURE_KINDS))('%s is %s', (name, kind) => {
    const { error } = metaFixture<MetaError>(name);
    expect(classifyMetaError(error.code, error.error_subcode ?? null)).toBe(kind);
  });

  it.each(['graph-api-error-appsecret-proof-invalid.json', 'graph-api-error-appsecret-proof-missing.json'])(
    '%s (a Page token’s proof refused) is permanent: the same proof fails again',
    (name) => {
      const { error } = metaFixture<MetaError>(name);
      expect(classifyMetaError(error.code, error.error_subcode ?? null)).toBe('permanent');
    },
  );

  it.each<[number, number | null, GraphErrorKind]>([
    [1, null, 'transient'],
    [2, 2534025, 'transient'],
    [1, 1357046, 'uncertain'],
    [4, null, 'rate_limited'],
    [17, null, 'rate_limited'],
    [32, null, 'rate_limited'],
    [613, null, 'rate_limited'],
    [613, 2534040, 'rate_limited'],
    [80002, null, 'rate_limited'],
    [613, 2018338, 'permanent'],
    [190, null, 'invalid_token'],
    [190, 460, 'invalid_token'],
    [190, 492, 'invalid_token'],
    [10, 2534022, 'permanent'],
    [10, 2018278, 'permanent'],
    [10, 2018108, 'permanent'],
    [10, 1893063, 'permanent'],
    [10, null, 'permanent'],
    [100, null, 'permanent'],
    [100, 2534015, 'permanent'],
    [100, 2018008, 'transient'],
    [100, 2018047, 'transient'],
    [200, 2534041, 'permanent'],
    [299, null, 'permanent'],
    [368, null, 'permanent'],
    [10, 2018300, 'permanent'],
    [2018300, null, 'permanent'],
    [551, 1545041, 'permanent'],
    [12345, null, 'permanent'],
  ])('code %p / subcode %p is %s', (code, subcode, kind) => {
    expect(classifyMetaError(code, subcode)).toBe(kind);
  });
});

describe('retryAfterMsFromUsageHeaders', () => {
  const buc = (minutes: number) =>
    JSON.stringify({
      '17841400000000001': [{ type: 'instagram', call_count: 100, estimated_time_to_regain_access: minutes }],
    });

  it('reads the business use case estimate (minutes) as milliseconds', () => {
    expect(retryAfterMsFromUsageHeaders({ 'x-business-use-case-usage': buc(7) })).toBe(7 * 60_000);
  });

  it('takes the longest estimate of both headers', () => {
    const headers = {
      'x-business-use-case-usage': buc(3),
      'x-app-usage': JSON.stringify({ call_count: 100, estimated_time_to_regain_access: 12 }),
    };
    expect(retryAfterMsFromUsageHeaders(headers)).toBe(12 * 60_000);
  });

  it('gives no hint for the fixture headers (estimate 0), absent or malformed headers', () => {
    const fixture = metaFixture<Record<string, string>>('usage-headers.json');
    const headers = {
      'x-app-usage': fixture['X-App-Usage'],
      'x-business-use-case-usage': fixture['X-Business-Use-Case-Usage'],
    };
    expect(retryAfterMsFromUsageHeaders(headers)).toBeNull();
    expect(retryAfterMsFromUsageHeaders({})).toBeNull();
    expect(retryAfterMsFromUsageHeaders({ 'x-business-use-case-usage': '{not json' })).toBeNull();
  });
});
