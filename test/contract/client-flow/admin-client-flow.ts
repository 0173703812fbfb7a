// An integrator's client of the admin API: types generated from openapi.json by openapi-typescript
// (into admin-api.d.ts beside this file, by test/contract/openapi-tooling.e2e-spec.ts) and calls made
// with openapi-fetch. It is only type-checked, with no cast anywhere: each line compiles because the
// document says exactly what the API takes and answers, and each @ts-expect-error is a request the
// document must refuse.
import createClient from 'openapi-fetch';
import type { components, paths } from './admin-api';

type Account = components['schemas']['AccountResponseDto'];
type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed';
/** Every code createAccount documents; a code the document stopped listing would not compile here. */
type CreateAccountError =
  | 'validation_failed'
  | 'bad_request'
  | 'unauthorized'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'token_rejected'
  | 'graph_api_rejected'
  | 'too_many_requests'
  | 'internal_error'
  | 'graph_api_unavailable'
  | 'database_unavailable';

export async function onboardAndReply(baseUrl: string, adminToken: string): Promise<Account> {
  const api = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${adminToken}` } });

  const created = await api.POST('/accounts', {
    params: { query: { validate: true } },
    body: {
      username: 'ser_bain',
      igUserId: '17841400000000001',
      accessToken: 'IGAA-token',
      appSecret: 'app-secret',
      verifyToken: 'verify-token',
      displayName: 'Ser Bain',
      fallbackResponse: null,
    },
  });
  if (created.error) {
    const code: CreateAccountError = created.error.error;
    throw new Error(`${code}: ${created.error.message} (${created.error.requestId})`);
  }
  const account: Account = created.data;
  const accountId: string = account.id;
  const displayName: string | null = account.displayName;

  // A PUT sends only what changes: no field of an update body is required.
  await api.PUT('/accounts/{accountId}', { params: { path: { accountId } }, body: { displayName: `${displayName}!` } });
  const rule = await api.POST('/accounts/{accountId}/rules', {
    params: { path: { accountId } },
    body: { name: 'Shipping', matchType: 'word', keywords: ['ship'], responseText: 'Hi {{name}}, we ship.' },
  });
  if (rule.data) {
    const priority: number = rule.data.priority;
    await api.PUT('/accounts/{accountId}/rules/{ruleId}', {
      params: { path: { accountId, ruleId: rule.data.id } },
      body: { isActive: false, priority: priority + 1 },
    });
  }
  const rulePath = { path: { accountId, ruleId: rule.data?.id ?? '' } };
  // @ts-expect-error null is no rule name: a PUT leaves a field out instead
  await api.PUT('/accounts/{accountId}/rules/{ruleId}', { params: rulePath, body: { name: null } });

  const conversations = await api.GET('/accounts/{accountId}/conversations', {
    params: { path: { accountId }, query: { limit: 10 } },
  });
  for (const conversation of conversations.data?.items ?? []) {
    const username: string | null = conversation.participantUsername;
    // Pausing needs no body: without minutes it lasts until resumed.
    const paused = await api.POST('/accounts/{accountId}/conversations/{conversationId}/pause', {
      params: { path: { accountId, conversationId: conversation.id } },
    });
    const until: string | null = paused.data?.automationPausedUntil ?? null;
    const indefinitely: boolean = paused.data?.automationPausedIndefinitely ?? false;
    if (username === null && until === null && !indefinitely) break;

    const history = await api.GET('/accounts/{accountId}/conversations/{conversationId}/messages', {
      params: { path: { accountId, conversationId: conversation.id } },
    });
    for (const message of history.data?.items ?? []) {
      // Inbound messages have no delivery status: null is part of the enum.
      const status: DeliveryStatus | null = message.status;
      const origin: 'rule' | 'fallback' | 'operator' | 'app' | null = message.origin;
      const attempts: number | null = message.attempts;
      if (status === null && origin === null && attempts === null) continue;
    }
  }

  const sent = await api.POST('/accounts/{accountId}/messages', {
    params: { path: { accountId } },
    body: { recipientId: '1029384756102938', text: 'Your order has shipped.' },
  });
  if (sent.error) {
    const code: string = sent.error.error;
    const fields: Record<string, string> | undefined = sent.error.fields;
    throw new Error(`${code} ${JSON.stringify(fields)}`);
  }
  const queued = await api.GET('/accounts/{accountId}/messages/{messageId}', {
    params: { path: { accountId, messageId: sent.data.id } },
  });
  const status: DeliveryStatus | null | undefined = queued.data?.status;
  if (status === 'failed') throw new Error(queued.data?.lastError ?? 'failed');

  await api.POST('/accounts/{accountId}/messages', {
    params: { path: { accountId } },
    body: { recipientUsername: 'synthetic_customer', templateName: 'order_shipped', params: { order: '#1042' } },
  });
  const messages = { path: { accountId } };
  // @ts-expect-error a message needs a recipient and a text or a template
  await api.POST('/accounts/{accountId}/messages', { params: messages, body: {} });
  // @ts-expect-error and a recipient alone is not enough
  await api.POST('/accounts/{accountId}/messages', { params: messages, body: { recipientId: '1029384756102938' } });
  return account;
}
