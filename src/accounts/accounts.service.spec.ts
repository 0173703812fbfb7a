import type { ConfigService } from '@nestjs/config';
import { DomainError, type ErrorCode } from '@common/domain-error';
import { newId } from '@common/ids';
import type { Environment } from '@config/environment';
import { GraphApi } from '@graph-api/graph-api';
import { GraphApiError, type GraphErrorKind } from '@graph-api/graph-api-error';
import type { InstagramBusinessAccount } from './account';
import { AccountRepository, type NewAccount } from './account.repository';
import { AccountsService } from './accounts.service';

const BASE_URL = 'https://gateway.example.com';

function account(overrides: Partial<InstagramBusinessAccount> = {}): InstagramBusinessAccount {
  const now = new Date();
  return {
    id: newId(),
    username: 'shop',
    igUserId: '17841400000000001',
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
      getMe: jest.fn(),
      subscribeApp: jest.fn(),
      sendMessage: jest.fn(),
      getUserProfile: jest.fn(),
      refreshToken: jest.fn(),
    };
    accounts.create.mockImplementation(async (input) => account({ tokenStatus: input.tokenStatus }));
    accounts.update.mockImplementation(async (id) => account({ id }));
    accounts.getCredentials.mockResolvedValue(newAccount.credentials);
    graph.getMe.mockResolvedValue({ userId: '17841400000000001', username: 'shop' });
    graph.subscribeApp.mockResolvedValue(['messages']);
    const config = { get: () => BASE_URL } as unknown as ConfigService<Environment, true>;
    service = new AccountsService(accounts, graph, config);
  });

  describe('create', () => {
    it('stores the token as unknown without asking Meta, and tells the webhook URL', async () => {
      const created = await service.create(newAccount, { validateToken: false });
      expect(graph.getMe).not.toHaveBeenCalled();
      expect(accounts.create).toHaveBeenCalledWith({ ...newAccount, tokenStatus: 'unknown' });
      expect(created.webhookUrl).toBe(`${BASE_URL}/webhooks/instagram/${created.id}`);
    });

    it('marks the token valid once Meta confirms it belongs to igUserId', async () => {
      await service.create(newAccount, { validateToken: true });
      expect(graph.getMe).toHaveBeenCalledWith('token-1');
      expect(accounts.create).toHaveBeenCalledWith({ ...newAccount, tokenStatus: 'valid' });
    });

    it("refuses a token of another Instagram user, naming Meta's user id", async () => {
      graph.getMe.mockResolvedValue({ userId: '999', username: 'other' });
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
      graph.getMe.mockRejectedValue(graphError(kind));
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
      expect(graph.subscribeApp).toHaveBeenCalledWith('token-1');
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
});
