import { metaFixture } from '../../../../test/support/meta-fixtures';
import { participantId } from './event-participant';
import type { InstagramEvent } from './instagram-event';
import { parseWebhookPayload } from '@webhooks/parsing/parse-webhook-payload';

const ACCOUNT_A = '17841400000000001';
const CUSTOMER = '1029384756102938';

function onlyEvent(body: unknown): InstagramEvent {
  const [event] = parseWebhookPayload(body).entries.flatMap((entry) => entry.events);
  return event;
}

function fixtureEvent(name: string): InstagramEvent {
  return onlyEvent(metaFixture(name));
}

function itemEvent(item: Record<string, unknown>): InstagramEvent {
  return onlyEvent({ object: 'instagram', entry: [{ id: ACCOUNT_A, time: 1780000000812, messaging: [item] }] });
}

describe('participantId', () => {
  it.each([
    'text-message.json',
    'echo-message.json',
    'reaction.json',
    'seen.json',
    'postback.json',
    'deleted-message.json',
    'standby.json',
    'comment-change.json',
  ])('is the customer for %s', (name) => {
    expect(participantId(fixtureEvent(name), ACCOUNT_A)).toBe(CUSTOMER);
  });

  it('is the customer when the account reacts or reads', () => {
    const reaction = itemEvent({
      sender: { id: ACCOUNT_A },
      recipient: { id: CUSTOMER },
      timestamp: 1780000000000,
      reaction: { mid: 'm1', action: 'react', reaction: 'love', emoji: '\u2764' },
    });
    expect(participantId(reaction, ACCOUNT_A)).toBe(CUSTOMER);
  });

  it('is the customer of an echo whose deletion the account sent', () => {
    const deletedEcho = itemEvent({
      sender: { id: ACCOUNT_A },
      recipient: { id: CUSTOMER },
      timestamp: 1780000000000,
      message: { mid: 'm1', is_deleted: true, is_echo: true },
    });
    expect(participantId(deletedEcho, ACCOUNT_A)).toBe(CUSTOMER);
  });

  it('is null when the event names no customer', () => {
    expect(participantId(itemEvent({ recipient: { id: ACCOUNT_A } }), ACCOUNT_A)).toBeNull();
    const toItself = itemEvent({ sender: { id: ACCOUNT_A }, recipient: { id: ACCOUNT_A }, timestamp: 1, read: {} });
    expect(participantId(toItself, ACCOUNT_A)).toBeNull();
  });
});

describe('participantId of items that are not between the account and a customer', () => {
  const message = (sender: string, recipient: string, extra: Record<string, unknown> = {}) =>
    itemEvent({
      sender: { id: sender },
      recipient: { id: recipient },
      timestamp: 1780000000000,
      message: { mid: 'm9', text: 'hi', ...extra },
    });

  it('is null when neither party is the account', () => {
    expect(participantId(message(CUSTOMER, '2938475610293847'), ACCOUNT_A)).toBeNull();
  });

  it('is null for an echo sent to the account (inconsistent: only the account sends echoes)', () => {
    expect(participantId(message(CUSTOMER, ACCOUNT_A, { is_echo: true }), ACCOUNT_A)).toBeNull();
  });

  it('is the customer for a message the account sent without the echo flag', () => {
    expect(participantId(message(ACCOUNT_A, CUSTOMER), ACCOUNT_A)).toBe(CUSTOMER);
  });
});
