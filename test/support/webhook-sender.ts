import type { Server } from 'node:http';
import request from 'supertest';
import { createHmac } from 'node:crypto';

/** `X-Hub-Signature-256` of a body, as Meta computes it with the app secret. */
export function signBody(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

const toBytes = (body: Buffer | string) => (Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'));

/**
 * Posts a body to a webhook route exactly as Meta does: raw bytes, signed
 * with an app secret (over `signedBody` instead, to forge a mismatch).
 */
export function postWebhook(
  server: Server,
  path: string,
  body: Buffer | string,
  appSecret: string | null,
  signedBody: Buffer | string = body,
) {
  const bytes = toBytes(body);
  const req = request(server).post(path).set('Content-Type', 'application/json');
  if (appSecret !== null) req.set('X-Hub-Signature-256', signBody(toBytes(signedBody), appSecret));
  // superagent would JSON-encode a Buffer sent as application/json; keep the exact bytes instead.
  return req.serialize((data: unknown) => data as string).send(bytes);
}

/** Posts a body to the account's own webhook route (`/webhooks/instagram/<account id>`), signed with its app secret. */
export function postToAccountRoute(
  server: Server,
  account: { account: { id: string }; credentials: { appSecret: string } },
  body: Buffer | string,
) {
  return postWebhook(server, `/webhooks/instagram/${account.account.id}`, body, account.credentials.appSecret);
}
