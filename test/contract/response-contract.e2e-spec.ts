/**
 * The check every e2e test's answers go through (test/support/response-contract.ts)
 * catches what it is there for, so a green suite means the answers keep the
 * document's promises rather than that nothing was checked.
 */
import type { OpenAPIObject } from '@nestjs/swagger';
import request from 'supertest';
import { createTestAccount } from '../support/accounts';
import { adminClient } from '../support/admin-client';
import { ACCOUNT_A_IG_USER_ID } from '../support/meta-fixtures';
import type { CapturedResponse } from '../support/response-capture';
import { ResponseContract } from '../support/response-contract';
import { startTestApp, type TestApp } from '../support/test-app';

describe('the response contract', () => {
  let t: TestApp;
  let contract: ResponseContract;
  let account: Record<string, unknown>;
  let accountId: string;

  const answer = (overrides: Partial<CapturedResponse> & { json?: unknown }): CapturedResponse => ({
    method: 'GET',
    url: `/accounts/${accountId}`,
    statusCode: 200,
    headers: { 'x-request-id': 'r1' },
    body: Buffer.from(JSON.stringify(overrides.json ?? account)),
    ...overrides,
  });

  beforeAll(async () => {
    t = await startTestApp();
    const document = (await request(t.app.getHttpServer()).get('/docs-json').expect(200)).body as OpenAPIObject;
    contract = new ResponseContract(document);
    accountId = (await createTestAccount(t.app, { igUserId: ACCOUNT_A_IG_USER_ID })).account.id;
    account = (await adminClient(t).get(`/accounts/${accountId}`).expect(200)).body;
  });

  afterAll(() => t.close());

  it('accepts an answer the service gave', () => {
    expect(contract.violationOf(answer({}))).toBeNull();
  });

  it('refuses a status the operation does not document', () => {
    expect(contract.violationOf(answer({ statusCode: 418 }))).toMatch(/no 418 for this operation/);
  });

  it('refuses a body that the schema does not allow: a wrong type, a missing or an undocumented field', () => {
    expect(contract.violationOf(answer({ json: { ...account, isActive: 'yes' } }))).toMatch(/isActive must be boolean/);
    const { webhookUrl: _left, ...withoutUrl } = account;
    expect(contract.violationOf(answer({ json: withoutUrl }))).toMatch(/must have required property 'webhookUrl'/);
    expect(contract.violationOf(answer({ json: { ...account, accessToken: 'IGAA' } }))).toMatch(
      /must NOT have additional properties/,
    );
  });

  it('refuses an error code the operation does not list, and a missing X-Request-Id', () => {
    const error = { statusCode: 404, error: 'rule_not_found', message: 'x', requestId: 'r1' };
    expect(contract.violationOf(answer({ statusCode: 404, json: error }))).toMatch(/allowed values/);
    expect(contract.violationOf(answer({ headers: {} }))).toMatch(/lacks the header\(s\) X-Request-Id/);
  });

  it('matches the most literal route, and leaves alone routes outside the document', () => {
    const tested = {
      matched: false,
      source: 'none',
      ruleId: null,
      ruleName: null,
      responseText: null,
      templateName: null,
      reason: 'x',
      publicReplyText: null,
    };
    expect(
      contract.violationOf(answer({ method: 'POST', url: `/accounts/${accountId}/rules/test`, json: tested })),
    ).toBeNull();
    expect(contract.violationOf(answer({ url: '/health', json: { anything: true } }))).toBeNull();
  });
});
