/**
 * The operations routes answer anyone (load balancers, Prometheus), so they
 * give counts, never which accounts: no id, username or name of an account
 * whose token is invalid or expiring. The admin API, behind the token, names
 * them (`GET /accounts?tokenStatus=invalid`, `?tokenExpiresWithin=7d`).
 */
import { newIgUserId } from '../support/factories';
import request from 'supertest';
import { AccountRepository } from '@accounts/account.repository';
import { createTestAccount, type TestAccount } from '../support/accounts';
import { adminClient } from '../support/admin-client';
import { startTestApp, type TestApp } from '../support/test-app';

const DAY_MS = 86_400_000;

describe('what the operations routes tell about accounts', () => {
  let t: TestApp;
  let invalid: TestAccount;
  let expiring: TestAccount;
  let expired: TestAccount;
  let healthy: TestAccount;
  let retired: TestAccount;
  const admin = () => adminClient(t);
  const idsOf = (body: { items: Array<{ id: string }> }) => body.items.map((item) => item.id).sort();
  const identifying = (account: TestAccount) => [
    account.account.id,
    account.account.username,
    account.account.igUserId,
    String(account.account.displayName),
  ];

  beforeAll(async () => {
    t = await startTestApp();
    const accounts = t.app.get(AccountRepository);
    const named = (tag: string) => createTestAccount(t.app, { igUserId: newIgUserId(), displayName: `Shop ${tag}` });
    invalid = await named('invalid');
    await accounts.update(invalid.account.id, { tokenStatus: 'invalid' });
    expiring = await named('expiring');
    await accounts.update(expiring.account.id, {
      tokenStatus: 'valid',
      tokenExpiresAt: new Date(Date.now() + 2 * DAY_MS),
    });
    expired = await named('expired');
    await accounts.update(expired.account.id, { tokenExpiresAt: new Date(Date.now() - DAY_MS) });
    healthy = await named('healthy');
    await accounts.update(healthy.account.id, {
      tokenStatus: 'valid',
      tokenExpiresAt: new Date(Date.now() + 40 * DAY_MS),
    });
    retired = await named('retired');
    await accounts.update(retired.account.id, { tokenStatus: 'invalid' });
    await accounts.deactivate(retired.account.id);
  });

  afterAll(async () => {
    await t.close();
  });

  it('/health counts the active accounts at risk, naming none', async () => {
    const res = await request(t.app.getHttpServer()).get('/health').expect(200);
    expect(res.body.info.accounts).toEqual({
      status: 'up',
      active: 4,
      tokensInvalid: 1,
      tokensExpiring: 2,
      credentialsUnreadable: 0,
    });
    for (const account of [invalid, expiring, expired, healthy, retired]) {
      for (const value of identifying(account)) expect(res.text).not.toContain(value);
    }
  });

  it('/metrics names no account either', async () => {
    const res = await request(t.app.getHttpServer()).get('/metrics').expect(200);
    for (const account of [invalid, expiring, expired, healthy, retired]) {
      for (const value of identifying(account)) expect(res.text).not.toContain(value);
    }
  });

  it('names them only to the admin token', async () => {
    await request(t.app.getHttpServer()).get('/accounts?tokenStatus=invalid').expect(401);
    await request(t.app.getHttpServer()).get('/accounts?tokenExpiresWithin=7d').expect(401);
  });

  it('GET /accounts?tokenStatus=invalid lists the accounts Meta rejected, deactivated ones included', async () => {
    const res = await admin().get('/accounts?tokenStatus=invalid').expect(200);
    expect(idsOf(res.body)).toEqual([invalid.account.id, retired.account.id].sort());
    expect(res.body.items.find((item: { id: string }) => item.id === retired.account.id)).toMatchObject({
      isActive: false,
    });
  });

  it('GET /accounts?tokenExpiresWithin=7d lists those expiring within 7 days and those expired', async () => {
    const res = await admin().get('/accounts?tokenExpiresWithin=7d').expect(200);
    expect(idsOf(res.body)).toEqual([expiring.account.id, expired.account.id].sort());
    const both = await admin().get('/accounts?tokenExpiresWithin=7d&tokenStatus=valid').expect(200);
    expect(idsOf(both.body)).toEqual([expiring.account.id]);
  });

  it('pages a filtered list like any other', async () => {
    const first = await admin().get('/accounts?tokenExpiresWithin=60d&limit=2').expect(200);
    expect(first.body.items).toHaveLength(2);
    const rest = await admin()
      .get(`/accounts?tokenExpiresWithin=60d&limit=2&cursor=${first.body.nextCursor}`)
      .expect(200);
    expect([...idsOf(first.body), ...idsOf(rest.body)].sort()).toEqual(
      [expiring.account.id, expired.account.id, healthy.account.id].sort(),
    );
    expect(rest.body.nextCursor).toBeNull();
  });

  it('refuses filters it does not know with 400, one message per field', async () => {
    const res = await admin().get('/accounts?tokenStatus=broken&tokenExpiresWithin=soon').expect(400);
    expect(res.body.fields).toEqual({
      tokenStatus: 'tokenStatus must be one of unknown, valid, invalid',
      tokenExpiresWithin: 'tokenExpiresWithin must be a duration such as 90m, 24h or 7d',
    });
  });
});
