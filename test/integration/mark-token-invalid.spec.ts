import { AccountRepository } from '@accounts/account.repository';
import { createTestAccount } from '../support/accounts';
import { newIgUserId } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

/** The one rule of marking a token invalid, on the real database: never over a token replaced meanwhile. */
describe('AccountRepository.markTokenInvalid', () => {
  let t: TestApp;
  const repository = () => t.app.get(AccountRepository);

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(() => t.close());

  it('marks the token invalid when the account is as it was when its token was read', async () => {
    const { account } = await createTestAccount(t.app, { igUserId: newIgUserId() });
    expect(await repository().markTokenInvalid(account.id, account.updatedAt)).toBe(true);
    expect((await repository().getById(account.id))?.tokenStatus).toBe('invalid');
  });

  it('leaves alone an account that changed since (a new token is not blamed for the old one)', async () => {
    const { account } = await createTestAccount(t.app, { igUserId: newIgUserId() });
    const readAt = account.updatedAt;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await repository().update(account.id, { credentials: { accessToken: 'IGAAT-a-new-one-from-the-operator' } });
    expect(await repository().markTokenInvalid(account.id, readAt)).toBe(false);
    expect((await repository().getById(account.id))?.tokenStatus).toBe('unknown');
  });

  it('does nothing, and says so, when the token is already marked', async () => {
    const { account } = await createTestAccount(t.app, { igUserId: newIgUserId() });
    await repository().markTokenInvalid(account.id, account.updatedAt);
    const marked = await repository().getById(account.id);
    expect(await repository().markTokenInvalid(account.id, marked!.updatedAt)).toBe(false);
  });
});
