import { createHmac, randomBytes } from 'node:crypto';

/** An account as a load generator needs it: where to post, and the secret to sign with. */
export interface DeliveryAccount {
  id: string;
  igUserId: string;
  appSecret: string;
}

/** One webhook request, ready to send. */
export interface SignedDelivery {
  path: string;
  body: string;
  headers: Record<string, string>;
  mid: string;
  sender: string;
  /** Its text matches one of the rules `RULES_FOR_LOAD` defines. */
  replyWorthy: boolean;
}

/** Rules every account gets in load tests; about 30% of `TEXTS` match one of them. */
export const RULES_FOR_LOAD = [
  { name: 'price', matchType: 'word', keywords: ['price', 'cost'], responseText: 'Prices are on our website.' },
  { name: 'shipping', matchType: 'word', keywords: ['ship', 'shipping'], responseText: 'We ship worldwide.' },
  { name: 'hours', matchType: 'contains', keywords: ['open'], responseText: 'We are open 9 to 5.' },
];
const TEXTS = [
  'What is the price?',
  'Do you ship to Berlin?',
  'hello there',
  'is this available in blue',
  'thanks!',
  'nice photo',
  'when do you open',
  'love it',
  'ok',
  'cool',
];
const MATCHING = new Set([0, 1, 6]);
/** Every mid `signedDeliveries` makes starts with it, so a run's stored messages can be found by it. */
export const LOAD_MID_PREFIX = 'load-';

/**
 * Unique deliveries (each its own mid and its own customer, so a reply can be
 * traced back to it by recipient), spread over the accounts and signed over
 * their exact bytes with each account's app secret.
 */
export function signedDeliveries(accounts: DeliveryAccount[]): () => SignedDelivery {
  let n = 0;
  const run = randomBytes(4).toString('hex');
  const base = 9_000_000_000_000 + Math.floor(Math.random() * 1_000_000) * 1_000_000;
  return () => {
    n += 1;
    const account = accounts[n % accounts.length];
    const textIndex = n % TEXTS.length;
    const sender = String(base + n);
    const mid = `${LOAD_MID_PREFIX}${run}-${n}`;
    const now = Date.now();
    const body = JSON.stringify({
      object: 'instagram',
      entry: [
        {
          id: account.igUserId,
          time: now,
          messaging: [
            {
              sender: { id: sender },
              recipient: { id: account.igUserId },
              timestamp: now,
              message: { mid, text: TEXTS[textIndex] },
            },
          ],
        },
      ],
    });
    return {
      path: `/webhooks/instagram/${account.id}`,
      body,
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': `sha256=${createHmac('sha256', account.appSecret).update(body).digest('hex')}`,
      },
      mid,
      sender,
      replyWorthy: MATCHING.has(textIndex),
    };
  };
}
