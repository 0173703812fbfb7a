import { metaFixture, webhookFixtureNames } from '../../../../test/support/meta-fixtures';
import { eventKey } from './event-key';
import type { InstagramEvent } from './instagram-event';
import { parseWebhookPayload } from '@webhooks/parsing/parse-webhook-payload';

const fixture = (name: string): Record<string, unknown> => metaFixture(name);

function eventsOf(body: unknown): InstagramEvent[] {
  return parseWebhookPayload(body).entries.flatMap((entry) => entry.events);
}

function keyOf(body: unknown): string {
  const events = eventsOf(body);
  expect(events).toHaveLength(1);
  return eventKey(events[0]);
}

/** The fixture with one value inside its first item replaced. */
function withItem(name: string, change: (item: Record<string, unknown>) => void): unknown {
  const body = fixture(name);
  const entry = (body.entry as Array<Record<string, unknown>>)[0];
  const list = (entry.messaging ?? entry.changes) as Array<Record<string, unknown>>;
  change(list[0]);
  return body;
}

function withEntryTime(name: string, time: number): unknown {
  const body = fixture(name);
  (body.entry as Array<Record<string, unknown>>)[0].time = time;
  return body;
}

const webhookFixtures = webhookFixtureNames();

describe('eventKey', () => {
  it.each(webhookFixtures)('is "<kind>:<sha256 hex>", at most 96 characters, for %s', (name) => {
    for (const event of eventsOf(fixture(name))) {
      const key = eventKey(event);
      expect(key).toMatch(new RegExp(`^${event.kind}:[0-9a-f]{64}$`));
      expect(key.length).toBeLessThanOrEqual(96);
    }
  });

  it.each(webhookFixtures)('is the same for a redelivery of %s, even in another batch', (name) => {
    const first = eventsOf(fixture(name)).map(eventKey);
    const again = eventsOf(withEntryTime(name, 1790000000000)).map(eventKey);
    expect(again).toEqual(first);
  });

  it('differs between the events of all fixtures', () => {
    const keys = webhookFixtures.flatMap((name) => eventsOf(fixture(name)).map(eventKey));
    // Several fixtures point at the same mid (the edit, deletion, reaction and read receipt of messages #1 and #2).
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('tells a reaction from its removal and from a later reaction to the same message', () => {
    const reaction = keyOf(fixture('reaction.json'));
    const unreaction = keyOf(fixture('unreaction.json'));
    const laterReaction = keyOf(withItem('reaction.json', (item) => (item.timestamp = 1780000009000)));
    expect(new Set([reaction, unreaction, laterReaction]).size).toBe(3);
  });

  it('tells reactions of different people or to different messages apart', () => {
    const reaction = keyOf(fixture('reaction.json'));
    const otherSender = keyOf(withItem('reaction.json', (item) => (item.sender = { id: '2938475610293847' })));
    const otherMessage = keyOf(
      withItem('reaction.json', (item) => ((item.reaction as Record<string, unknown>).mid = 'another-mid')),
    );
    expect(new Set([reaction, otherSender, otherMessage]).size).toBe(3);
  });

  it('gives a second notice that a message was unsent the same key', () => {
    const deleted = keyOf(fixture('deleted-message.json'));
    expect(keyOf(withItem('deleted-message.json', (item) => (item.timestamp = 1780000099000)))).toBe(deleted);
  });

  it('tells successive edits of one message apart', () => {
    const firstEdit = keyOf(fixture('message-edit.json'));
    const secondEdit = keyOf(
      withItem('message-edit.json', (item) => {
        item.timestamp = 1780000040000;
        item.message_edit = { ...(item.message_edit as object), text: 'Hi! Hamburg?', num_edit: 2 };
      }),
    );
    expect(secondEdit).not.toBe(firstEdit);
  });

  it('does not depend on the order of keys in a change', () => {
    const change = keyOf(fixture('comment-change.json'));
    const reordered = withItem('comment-change.json', (item) => {
      const value = item.value as Record<string, unknown>;
      item.value = Object.fromEntries(Object.entries(value).reverse());
    });
    expect(keyOf(reordered)).toBe(change);
    expect(keyOf(withItem('comment-change.json', (item) => (item.field = 'live_comments')))).not.toBe(change);
  });

  it('keys a message by its mid alone', () => {
    const text = keyOf(fixture('text-message.json'));
    expect(keyOf(withItem('text-message.json', (item) => (item.timestamp = 1780000000001)))).toBe(text);
  });

  it('keys an unknown event by its content', () => {
    const body = (optin: unknown) => ({
      object: 'instagram',
      entry: [{ id: '1', messaging: [{ sender: { id: '2' }, recipient: { id: '1' }, timestamp: 1, optin }] }],
    });
    expect(keyOf(body({ ref: 'a', x: 1 }))).toBe(keyOf(body({ x: 1, ref: 'a' })));
    expect(keyOf(body({ ref: 'a' }))).not.toBe(keyOf(body({ ref: 'b' })));
    expect(keyOf(body({ ref: 'a' }))).toMatch(/^unknown:/);
  });
});
