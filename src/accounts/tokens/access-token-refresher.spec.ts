import type { GraphApi } from '@graph-api';
import { ProcessRole } from '@common/process-role';
import { FixedClock } from '../../../test/support/fixed-clock';
import type { InstagramBusinessAccount } from '../account';
import type { AccountRepository } from '../account.repository';
import { AccessTokenRefresher } from './access-token-refresher';
import { TokenRefreshSettings } from './token-refresh-settings';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;
const at = (msFromNow: number) => new Date(NOW.getTime() + msFromNow);

function account(id: string, fields: Partial<InstagramBusinessAccount>): InstagramBusinessAccount {
  return {
    id,
    username: id,
    igUserId: '17841400000000001',
    loginType: 'instagram',
    pageId: null,
    displayName: null,
    fallbackResponse: null,
    autoReplyLimit: null,
    autoReplyLimitMinutes: null,
    isActive: true,
    tokenStatus: 'valid',
    tokenExpiresAt: null,
    tokenRefreshedAt: null,
    rulesVersion: 0,
    createdAt: at(-30 * DAY),
    updatedAt: at(-30 * DAY),
    ...fields,
  };
}

describe('AccessTokenRefresher: which tokens are due, on a fixed clock', () => {
  const accounts = [
    account('expires-in-6-days', { tokenExpiresAt: at(6 * DAY) }),
    account('expires-in-8-days', { tokenExpiresAt: at(8 * DAY) }),
    account('expired', { tokenExpiresAt: at(-1) }),
    account('unknown-expiry-old', { tokenExpiresAt: null, updatedAt: at(-DAY) }),
    account('unknown-expiry-new', { tokenExpiresAt: null, updatedAt: at(-DAY + 1) }),
    account('rejected', { tokenExpiresAt: at(DAY), tokenStatus: 'invalid' }),
    // A Page token (Facebook Login) has no refresh, however close its expiry.
    account('page-token', { tokenExpiresAt: at(DAY), loginType: 'facebook', pageId: '100200300400500' }),
  ];
  let refresher: AccessTokenRefresher;
  let refreshToken: jest.Mock;

  beforeEach(() => {
    refreshToken = jest.fn(async () => ({ accessToken: 'IGAAT-new', expiresAt: at(60 * DAY) }));
    const repository = {
      getActiveAccounts: jest.fn(async () => accounts),
      getCredentials: jest.fn(async () => ({ accessToken: 'IGAAT-old', appSecret: 's', verifyToken: 'v' })),
      update: jest.fn(async () => accounts[0]),
      markTokenInvalid: jest.fn(async () => true),
    };
    refresher = new AccessTokenRefresher(
      new ProcessRole(false),
      new TokenRefreshSettings(),
      repository as unknown as AccountRepository,
      { refreshToken } as unknown as GraphApi,
      new FixedClock(NOW),
      { fraction: () => 0 },
    );
  });

  it('refreshes tokens that expire within 7 days, and those of unknown expiry at least a day old', async () => {
    const report = await refresher.refreshDueTokens();
    expect(report.refreshed.sort()).toEqual(['expires-in-6-days', 'unknown-expiry-old']);
    expect(report.failed).toEqual([]);
  });

  it('does not try an account again for a day after its refresh failed', async () => {
    refreshToken.mockRejectedValue(new Error('Meta is down'));
    expect((await refresher.refreshDueTokens()).failed.sort()).toEqual(['expires-in-6-days', 'unknown-expiry-old']);
    // A day later but for a millisecond, only the account whose token has meanwhile become old enough is tried.
    expect(await refresher.refreshDueTokens(at(DAY - 1))).toEqual({ refreshed: [], failed: ['unknown-expiry-new'] });
    refreshToken.mockResolvedValue({ accessToken: 'IGAAT-new', expiresAt: at(60 * DAY) });
    expect((await refresher.refreshDueTokens(at(DAY))).refreshed).toContain('unknown-expiry-old');
  });
});
