import type { ConfigService } from '@nestjs/config';
import { DomainError, type ErrorCode } from '@common/domain-error';
import { newId } from '@common/ids';
import type { Environment } from '@config/environment';
import { GraphApi } from '@graph-api/graph-api';
import { GraphApiError, type GraphErrorKind } from '@graph-api/graph-api-error';
import type { InstagramBusinessAccount } from './account';
import { type AccountChanges, AccountRepository, type NewAccount } from './account.repository';
import { AccountsService } from './accounts.service';

const BASE_URL = 'https://gateway.example.com';

function account(overrides: Partial<InstagramBusinessAccount> = {}): InstagramBusinessAccount {
  const now = new Date();
  return {
    id: newId(),
    username: 'shop',
    igUserId: '17841400000000001',
    loginType: 'instagram',
    pageId: null,
    displayName: null,
    fallbackResponse: null,
    autoReplyLimit: null,
    autoReplyLimitMinutes: null,
    isActive: true,
    tokenStatus: 'unknown',
    tokenExpiresAt: null,
    tokenRefreshedAt: null,
    rulesVersion: 0,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

const newAccount: NewAccount = {
  username: 'shop',
  igUserId: '17841400000000001',
  credentials: { accessToken: 'token-1', appSecret: 'secret-1', verifyToken: 'verify-1' },
};

/** The same account connected through Facebook Login: its Page and the Page's token. */
const pageAccount: NewAccount = {
  ...newAccount,
  loginType: 'facebook',
  pageId: '102938475610293',
  credentials: { accessToken: 'page-token-1', appSecret: 'secret-1', verifyToken: 'verify-1' },
};
const pageAccess = {
  loginType: 'facebook',
  accessToken: 'page-token-1',
  appSecret: 'secret-1',
  pageId: '102938475610293',
} as const;

const graphError = (kind: GraphErrorKind) => new GraphApiError({ kind, operation: 'GET /me', reason: 'no' });

async function domainErrorOf(call: Promise<unknown>): Promise<ErrorCode> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return (error as DomainError).code;
}

describe('AccountsService', () => {
  let accounts: jest.Mocked<AccountRepository>;
  let graph: jest.Mocked<GraphApi>;
  let service: AccountsService;

  beforeEach(() => {
    accounts = {
      getById: jest.fn(),
      getByUsername: jest.fn(),
      getByIgUserId: jest.fn(),
      getActiveAccounts: jest.fn(),
      getByIgUserIds: jest.fn(),
      getActiveWebhookSecrets: jest.fn(),
      getAllAccounts: jest.fn(),
      list: jest.fn(),
      create: jest.fn(),
      update: jest.fn(),
      deactivate: jest.fn(),
      markTokenInvalid: jest.fn().mockResolvedValue(true),
      getCredentials: jest.fn(),
      getVersionedCredentials: jest.fn(),
      rotateCredentials: jest.fn(),
      credentialReadability: jest.fn(),
    };
    graph = {
      getConnectedAccount: jest.fn(),
      subscribeApp: jest.fn(),
      sendMessage: jest.fn(),
      replyToComment: jest.fn(),
      setMessengerProfile: jest.fn(),
      deleteMessengerProfileFields: jest.fn(),
      getUserProfile: jest.fn(),
      refreshToken: jest.fn(),
      listConversations: jest.fn(),
      listConversationMessages: jest.fn(),
      getConversationMessage: jest.fn(),
    };
    accounts.create.mockImplementation(async (input) => account({ tokenStatus: input.tokenStatus }));
    accounts.update.mockImplementation(async (id) => account({ id }));
    accounts.getCredentials.mockResolvedValue(newAccount.credentials);
    graph.getConnectedAccount.mockResolvedValue({ userId: '17841400000000001', username: 'shop' });
    graph.subscribeApp.mockResolvedValue(['messages']);
    const config = { get: () => BASE_URL } as unknown as ConfigService<Environment, true>;
    service = new AccountsService(accounts, graph, config);
  });

  describe('create', () => {
    it('stores the token as unknown without asking Meta, and tells the webhook URL', async () => {
      const created = await service.create(newAccount, { validateToken: false });
      expect(graph.getConnectedAccount).not.toHaveBeenCalled();
      expect(accounts.create).toHaveBeenCalledWith({ ...newAccount, tokenStatus: 'unknown' });
      expect(created.webhookUrl).toBe(`${BASE_URL}/webhooks/instagram/${created.id}`);
    });

    it('marks the token valid once Meta confirms it belongs to igUserId', async () => {
      await service.create(newAccount, { validateToken: true });
      expect(graph.getConnectedAccount).toHaveBeenCalledWith({ loginType: 'instagram', accessToken: 'token-1' });
      expect(accounts.create).toHaveBeenCalledWith({ ...newAccount, tokenStatus: 'valid' });
    });

    it("refuses a token of another Instagram user, naming Meta's user id", async () => {
      graph.getConnectedAccount.mockResolvedValue({ userId: '999', username: 'other' });
      const error = await service.create(newAccount, { validateToken: true }).catch((e: DomainError) => e);
      expect(error).toMatchObject({ code: 'token_rejected', fields: { igUserId: expect.stringContaining('999') } });
      expect(accounts.create).not.toHaveBeenCalled();
    });

    it.each<[GraphErrorKind, ErrorCode]>([
      ['invalid_token', 'token_rejected'],
      ['permanent', 'graph_api_rejected'],
      ['transient', 'graph_api_unavailable'],
      ['rate_limited', 'graph_api_unavailable'],
      ['uncertain', 'graph_api_unavailable'],
    ])('turns a %s Graph API failure into %s', async (kind, code) => {
      graph.getConnectedAccount.mockRejectedValue(graphError(kind));
      expect(await domainErrorOf(service.create(newAccount, { validateToken: true }))).toBe(code);
      expect(accounts.create).not.toHaveBeenCalled();
    });
  });

  describe('update', () => {
    it('starts the token status over when the access token changes', async () => {
      const existing = account({ tokenStatus: 'invalid', tokenExpiresAt: new Date() });
      accounts.getById.mockResolvedValue(existing);
      await service.update(existing.id, { credentials: { accessToken: 'token-2' } });
      expect(accounts.update).toHaveBeenCalledWith(existing.id, {
        credentials: { accessToken: 'token-2' },
        tokenStatus: 'unknown',
        tokenExpiresAt: null,
      });
    });

    it('leaves the token status alone for other changes', async () => {
      const existing = account({ tokenStatus: 'invalid' });
      accounts.getById.mockResolvedValue(existing);
      await service.update(existing.id, { displayName: 'x', credentials: { appSecret: 'secret-2' } });
      expect(accounts.update).toHaveBeenCalledWith(existing.id, {
        displayName: 'x',
        credentials: { appSecret: 'secret-2' },
      });
    });

    it('answers not found for a malformed id without querying', async () => {
      expect(await domainErrorOf(service.update('../etc', { displayName: 'x' }))).toBe('account_not_found');
      expect(accounts.getById).not.toHaveBeenCalled();
    });
  });

  describe('subscribe', () => {
    it("subscribes with the account's own token and marks it valid", async () => {
      const existing = account({ tokenStatus: 'invalid' });
      accounts.getById.mockResolvedValue(existing);
      expect(await service.subscribe(existing.id)).toEqual(['messages']);
      expect(graph.subscribeApp).toHaveBeenCalledWith({ loginType: 'instagram', accessToken: 'token-1' });
      expect(accounts.update).toHaveBeenCalledWith(existing.id, { tokenStatus: 'valid' });
    });

    it('writes nothing when the token was already known to be valid', async () => {
      accounts.getById.mockResolvedValue(account({ tokenStatus: 'valid' }));
      await service.subscribe(newId());
      expect(accounts.update).not.toHaveBeenCalled();
    });

    it('marks the token invalid when Meta rejects it', async () => {
      const existing = account({ tokenStatus: 'valid' });
      accounts.getById.mockResolvedValue(existing);
      graph.subscribeApp.mockRejectedValue(graphError('invalid_token'));
      expect(await domainErrorOf(service.subscribe(existing.id))).toBe('token_rejected');
      expect(accounts.markTokenInvalid).toHaveBeenCalledWith(existing.id, existing.updatedAt);
    });

    it('refuses a deactivated account without calling Meta', async () => {
      accounts.getById.mockResolvedValue(account({ isActive: false }));
      expect(await domainErrorOf(service.subscribe(newId()))).toBe('account_inactive');
      expect(graph.subscribeApp).not.toHaveBeenCalled();
    });
  });

  describe('seed', () => {
    it('creates an account for a new igUserId', async () => {
      accounts.getByIgUserId.mockResolvedValue(null);
      expect((await service.seed(newAccount, { validateToken: false })).created).toBe(true);
      expect(accounts.create).toHaveBeenCalledWith({ ...newAccount, tokenStatus: 'unknown' });
    });

    it('updates and reactivates the account with that igUserId', async () => {
      const existing = account({ isActive: false });
      accounts.getByIgUserId.mockResolvedValue(existing);
      const result = await service.seed(newAccount, { validateToken: true });
      expect(result.created).toBe(false);
      expect(accounts.create).not.toHaveBeenCalled();
      expect(accounts.update).toHaveBeenCalledWith(existing.id, {
        ...newAccount,
        tokenStatus: 'valid',
        tokenExpiresAt: null,
        isActive: true,
      });
    });
  });
  describe('accounts connected through Facebook Login', () => {
    it('validates through the Page: the Page’s Instagram account must be igUserId', async () => {
      await service.create(pageAccount, { validateToken: true });
      expect(graph.getConnectedAccount).toHaveBeenCalledWith(pageAccess);
      expect(accounts.create).toHaveBeenCalledWith({ ...pageAccount, tokenStatus: 'valid' });
    });

    it('refuses a Page linked to another Instagram account, or to none, naming the field', async () => {
      graph.getConnectedAccount.mockResolvedValueOnce({ userId: '999', username: null });
      const other = await service.create(pageAccount, { validateToken: true }).catch((e: DomainError) => e);
      expect(other).toMatchObject({ code: 'token_rejected', fields: { igUserId: expect.stringContaining('999') } });
      graph.getConnectedAccount.mockResolvedValueOnce({ userId: null, username: null });
      const none = await service.create(pageAccount, { validateToken: true }).catch((e: DomainError) => e);
      expect(none).toMatchObject({ code: 'token_rejected', fields: { pageId: expect.any(String) } });
      expect(accounts.create).not.toHaveBeenCalled();
    });

    it.each<[string, Partial<NewAccount>, string[]]>([
      ['facebook without a Page', { loginType: 'facebook', pageId: null }, ['pageId']],
      ['facebook with the Page left out', { loginType: 'facebook', pageId: undefined }, ['pageId']],
      ['a Page for Instagram Login', { loginType: 'instagram', pageId: '102938475610293' }, ['loginType', 'pageId']],
      ['a Page without a login type', { loginType: undefined, pageId: '102938475610293' }, ['loginType', 'pageId']],
    ])('refuses %s without asking Meta or storing anything', async (_case, connection, fields) => {
      const error = await service
        .create({ ...newAccount, ...connection }, { validateToken: true })
        .catch((e: DomainError) => e);
      expect(error).toMatchObject({ code: 'validation_failed' });
      expect(Object.keys((error as DomainError).fields ?? {})).toEqual(fields);
      expect(graph.getConnectedAccount).not.toHaveBeenCalled();
      expect(accounts.create).not.toHaveBeenCalled();
    });

    it('subscribes the Page with its token and app secret', async () => {
      const existing = account({ loginType: 'facebook', pageId: pageAccess.pageId, tokenStatus: 'valid' });
      accounts.getById.mockResolvedValue(existing);
      accounts.getCredentials.mockResolvedValue(pageAccount.credentials);
      await service.subscribe(existing.id);
      expect(graph.subscribeApp).toHaveBeenCalledWith(pageAccess);
    });

    it('drops the Page when an account leaves Facebook Login, and starts its token status over', async () => {
      const existing = account({ loginType: 'facebook', pageId: pageAccess.pageId, tokenStatus: 'invalid' });
      accounts.getById.mockResolvedValue(existing);
      await service.update(existing.id, { loginType: 'instagram' });
      expect(accounts.update).toHaveBeenCalledWith(existing.id, {
        loginType: 'instagram',
        pageId: null,
        tokenStatus: 'unknown',
        tokenExpiresAt: null,
      });
    });

    it('starts the token status over for another Page, and not for the same connection given again', async () => {
      const existing = account({ loginType: 'facebook', pageId: pageAccess.pageId, tokenStatus: 'invalid' });
      accounts.getById.mockResolvedValue(existing);
      await service.update(existing.id, { pageId: '102938475610299' });
      expect(accounts.update).toHaveBeenLastCalledWith(existing.id, {
        loginType: 'facebook',
        pageId: '102938475610299',
        tokenStatus: 'unknown',
        tokenExpiresAt: null,
      });
      await service.update(existing.id, { loginType: 'facebook' });
      expect(accounts.update).toHaveBeenLastCalledWith(existing.id, {
        loginType: 'facebook',
        pageId: pageAccess.pageId,
      });
    });

    it.each<[string, Partial<InstagramBusinessAccount>, AccountChanges, string[]]>([
      ['a Page for an Instagram Login account', {}, { pageId: '102938475610293' }, ['loginType', 'pageId']],
      ['Facebook Login without a Page', {}, { loginType: 'facebook' }, ['pageId']],
      [
        'removing the Page of a Facebook Login account',
        { loginType: 'facebook', pageId: '1' },
        { pageId: null },
        ['pageId'],
      ],
    ])('refuses %s, changing nothing', async (_case, stored, changes, fields) => {
      accounts.getById.mockResolvedValue(account(stored));
      const error = await service.update(newId(), changes).catch((e: DomainError) => e);
      expect(error).toMatchObject({ code: 'validation_failed' });
      expect(Object.keys((error as DomainError).fields ?? {})).toEqual(fields);
      expect(accounts.update).not.toHaveBeenCalled();
    });

    it('seeds an existing Facebook Login account again through its Page when no login type is given', async () => {
      const existing = account({ loginType: 'facebook', pageId: pageAccess.pageId });
      accounts.getByIgUserId.mockResolvedValue(existing);
      const { loginType: _loginType, pageId: _pageId, ...withoutConnection } = pageAccount;
      await service.seed(withoutConnection, { validateToken: true });
      expect(graph.getConnectedAccount).toHaveBeenCalledWith(pageAccess);
      expect(accounts.update).toHaveBeenCalledWith(existing.id, {
        ...withoutConnection,
        tokenStatus: 'valid',
        tokenExpiresAt: null,
        isActive: true,
      });
    });
  });
});
