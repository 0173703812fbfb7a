import { randomBytes } from 'node:crypto';

/**
 * Webhook bodies of one messaging event, shaped like Meta's fixtures
 * (text-message.json, echo-message.json) but happening now (the fixtures are
 * older than the 24-hour window) and between whoever the test names.
 */
export interface MessagingEvent {
  /** The business account (`entry[].id`). */
  igUserId: string;
  /** The customer's IGSID. */
  customer: string;
  text: string;
  mid?: string;
  /** Meta's time of the event; now unless given. */
  timestamp?: number;
}

export const newMid = () => `test-mid-${randomBytes(12).toString('base64url')}`;

function delivery(igUserId: string, timestamp: number, item: Record<string, unknown>): string {
  return JSON.stringify({ object: 'instagram', entry: [{ time: timestamp + 500, id: igUserId, messaging: [item] }] });
}

/** The customer writes to the account. */
export function customerMessage({ igUserId, customer, text, mid = newMid(), timestamp = Date.now() }: MessagingEvent) {
  return delivery(igUserId, timestamp, {
    sender: { id: customer },
    recipient: { id: igUserId },
    timestamp,
    message: { mid, text },
  });
}

/** Meta echoes a message the account sent (through the API, or typed in the Instagram app). */
export function echoOf({ igUserId, customer, text, mid = newMid(), timestamp = Date.now() }: MessagingEvent) {
  return delivery(igUserId, timestamp, {
    sender: { id: igUserId },
    recipient: { id: customer },
    timestamp,
    message: { mid, text, is_echo: true },
  });
}
