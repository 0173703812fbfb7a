import { readdirSync } from 'node:fs';
import { META_FIXTURES_DIR as FIXTURES, metaFixture } from '../../../test/support/meta-fixtures';
import type { InstagramEvent, MessageEvent, ParsedDelivery } from '@messaging/intake/events/instagram-event';
import { parseWebhookPayload } from './parse-webhook-payload';
import { WebhookPayloadError } from './webhook-payload.error';

const ACCOUNT_A = '17841400000000001';
const ACCOUNT_B = '17841400000000002';
const CUSTOMER = '1029384756102938';
const OTHER_CUSTOMER = '3847561029384756';
const MID_1 =
  'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjMTc4NDE0MDAwMDAwMDAwMDE6MzQwMjgyMzY2ODQxNzEwMzAwOTQ5MTI4MTAwMDAwMDAwMDAwMDAxZDZD';
const MID_2 =
  'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjMTc4NDE0MDAwMDAwMDAwMDE6MzQwMjgyMzY2ODQxNzEwMzAwOTQ5MTI4MTAwMDAwMDAwMDAwMDAyZDZD';
const CDN = 'https://lookaside.fbsbx.com/ig_messaging_cdn/';

const fixture = (name: string): unknown => metaFixture(name);

/** The single event of a one-entry, one-item fixture. */
function onlyEvent(name: string): InstagramEvent {
  const delivery = parseWebhookPayload(fixture(name));
  expect(delivery.entries).toHaveLength(1);
  expect(delivery.entries[0].entryId).toBe(ACCOUNT_A);
  expect(delivery.entries[0].events).toHaveLength(1);
  return delivery.entries[0].events[0];
}

function onlyMessage(name: string): MessageEvent {
  const event = onlyEvent(name);
  if (event.kind !== 'message') throw new Error(`${name} parsed as ${event.kind}, not as a message`);
  return event;
}

function payloadError(body: unknown): WebhookPayloadError {
  try {
    parseWebhookPayload(body);
  } catch (error) {
    if (error instanceof WebhookPayloadError) return error;
    throw error;
  }
  throw new Error('the payload was accepted');
}

function messagingBody(...items: unknown[]): unknown {
  return { object: 'instagram', entry: [{ id: ACCOUNT_A, time: 1780000000812, messaging: items }] };
}

function eventsOf(delivery: ParsedDelivery): InstagramEvent[] {
  return delivery.entries.flatMap((entry) => entry.events);
}

const inbound = { senderId: CUSTOMER, recipientId: ACCOUNT_A, standby: false };

describe('parseWebhookPayload on the Meta fixtures', () => {
  const tested = new Set<string>();
  const fixtureTest = (name: string, test: () => void) => {
    tested.add(name);
    it(name, test);
  };

  fixtureTest('text-message.json', () => {
    const delivery = parseWebhookPayload(fixture('text-message.json'));
    expect(delivery.entries[0].time).toEqual(new Date(1780000000812));
    expect(onlyMessage('text-message.json')).toEqual({
      kind: 'message',
      ...inbound,
      timestamp: new Date(1780000000000),
      mid: MID_1,
      text: 'Hi! Do you ship to Berlin?',
      attachments: [],
      isEcho: false,
      isUnsupported: false,
      replyTo: null,
      quickReplyPayload: null,
      referral: null,
      raw: expect.objectContaining({ timestamp: 1780000000000 }),
    });
  });

  fixtureTest('echo-message.json', () => {
    expect(onlyMessage('echo-message.json')).toMatchObject({
      senderId: ACCOUNT_A,
      recipientId: CUSTOMER,
      mid: MID_2,
      text: 'Yes, we ship to Germany in 3-5 days.',
      isEcho: true,
      timestamp: new Date(1780000005000),
    });
  });

  it.each([
    ['image-attachment.json', 'image'],
    ['video-attachment.json', 'video'],
    ['audio-attachment.json', 'audio'],
    ['file-attachment.json', 'file'],
    ['ig-reel.json', 'ig_reel'],
    ['story-mention.json', 'story_mention'],
  ])('%s carries one %s attachment with its CDN url and no text', (name, type) => {
    tested.add(name);
    const message = onlyMessage(name);
    expect(message).toMatchObject({ ...inbound, text: null, isEcho: false });
    expect(message.attachments).toEqual([{ type, payload: { url: expect.stringContaining(CDN) } }]);
  });

  fixtureTest('ig-post-share.json', () => {
    expect(onlyMessage('ig-post-share.json').attachments).toEqual([
      {
        type: 'ig_post',
        payload: {
          ig_post_media_id: '18000000000000701',
          title: 'Our new spring collection is here',
          url: expect.stringContaining(CDN),
        },
      },
    ]);
  });

  fixtureTest('share-attachment-transition.json', () => {
    const attachments = onlyMessage('share-attachment-transition.json').attachments;
    expect(attachments).toHaveLength(1);
    expect(attachments[0]).toMatchObject({ type: 'ig_post', payload: { ig_post_media_id: '18000000000000801' } });
  });

  fixtureTest('story-reply.json', () => {
    expect(onlyMessage('story-reply.json')).toMatchObject({
      text: 'Love this! Is it still available?',
      replyTo: { type: 'story', storyId: '18000000000001001', url: expect.stringContaining(CDN) },
    });
  });

  fixtureTest('inline-reply.json', () => {
    expect(onlyMessage('inline-reply.json')).toMatchObject({
      text: 'What about this one?',
      replyTo: { type: 'message', mid: MID_2 },
      timestamp: new Date(1780000009000),
    });
  });

  fixtureTest('quick-reply.json', () => {
    expect(onlyMessage('quick-reply.json')).toMatchObject({ text: 'Opening hours', quickReplyPayload: 'HOURS' });
  });

  fixtureTest('ad-referral-message.json', () => {
    expect(onlyMessage('ad-referral-message.json')).toMatchObject({
      text: 'Hi, I saw your ad',
      referral: {
        ref: 'spring_sale',
        adId: '120200000000000001',
        source: 'ADS',
        type: 'OPEN_THREAD',
        adsContextData: { ad_title: 'Spring sale', photo_url: expect.any(String) },
      },
    });
  });

  fixtureTest('referral.json', () => {
    expect(onlyEvent('referral.json')).toMatchObject({
      kind: 'referral',
      ...inbound,
      referral: { ref: 'welcome_link', source: 'SHORTLINKS', type: 'OPEN_THREAD', adId: null, adsContextData: null },
    });
  });

  fixtureTest('deleted-message.json', () => {
    expect(onlyEvent('deleted-message.json')).toMatchObject({
      kind: 'message_deleted',
      ...inbound,
      mid: MID_1,
      timestamp: new Date(1780000060000),
    });
  });

  fixtureTest('unsupported-message.json', () => {
    expect(onlyMessage('unsupported-message.json')).toMatchObject({ isUnsupported: true, text: null, attachments: [] });
  });

  fixtureTest('message-edit.json', () => {
    expect(onlyEvent('message-edit.json')).toMatchObject({
      kind: 'message_edit',
      ...inbound,
      mid: MID_1,
      text: 'Hi! Do you ship to Munich?',
      editCount: 1,
    });
  });

  fixtureTest('reaction.json', () => {
    expect(onlyEvent('reaction.json')).toMatchObject({
      kind: 'reaction',
      ...inbound,
      mid: MID_2,
      reaction: 'love',
      emoji: '\u2764\ufe0f',
      timestamp: new Date(1780000007000),
    });
  });

  fixtureTest('unreaction.json', () => {
    expect(onlyEvent('unreaction.json')).toMatchObject({ kind: 'unreaction', ...inbound, mid: MID_2 });
  });

  fixtureTest('postback.json', () => {
    expect(onlyEvent('postback.json')).toMatchObject({
      kind: 'postback',
      ...inbound,
      mid: expect.stringMatching(/^aWdf/),
      title: 'Talk to a human',
      payload: 'TALK_TO_HUMAN',
      referral: null,
    });
  });

  fixtureTest('seen.json', () => {
    expect(onlyEvent('seen.json')).toMatchObject({
      kind: 'seen',
      ...inbound,
      mid: MID_2,
      timestamp: new Date(1780000006000),
    });
  });

  fixtureTest('standby.json', () => {
    expect(onlyMessage('standby.json')).toMatchObject({ ...inbound, standby: true, text: 'Is anyone there?' });
  });

  fixtureTest('comment-change.json', () => {
    const delivery = parseWebhookPayload(fixture('comment-change.json'));
    // `changes` entries count in seconds, not milliseconds.
    expect(delivery.entries[0].time).toEqual(new Date(1780000001000));
    expect(onlyEvent('comment-change.json')).toEqual({
      kind: 'change',
      senderId: CUSTOMER,
      recipientId: ACCOUNT_A,
      timestamp: new Date(1780000001000),
      standby: false,
      field: 'comments',
      value: expect.objectContaining({ id: '18000000000001902' }),
      comment: {
        id: '18000000000001902',
        text: 'How much is this?',
        mediaId: '18000000000001901',
        mediaProductType: 'FEED',
        parentId: null,
        adId: null,
        fromUsername: 'synthetic_customer',
      },
      mention: null,
      raw: expect.objectContaining({ field: 'comments' }),
    });
  });

  fixtureTest('mention-change.json', () => {
    expect(onlyEvent('mention-change.json')).toMatchObject({
      kind: 'change',
      senderId: null,
      recipientId: ACCOUNT_A,
      timestamp: new Date(1780000002000),
      field: 'mentions',
      comment: null,
      mention: { mediaId: '18000000000001911', commentId: '18000000000001912' },
    });
  });

  it('reads a mention in a caption, which names the media only', () => {
    const change = { field: 'mentions', value: { media_id: '18000000000001911' } };
    const body = { object: 'instagram', entry: [{ id: ACCOUNT_A, time: 1780000002, changes: [change] }] };
    expect(eventsOf(parseWebhookPayload(body))[0]).toMatchObject({
      mention: { mediaId: '18000000000001911', commentId: null },
    });
  });

  fixtureTest('batched-two-accounts.json', () => {
    const delivery = parseWebhookPayload(fixture('batched-two-accounts.json'));
    expect(delivery.entries.map((entry) => entry.entryId)).toEqual([ACCOUNT_A, ACCOUNT_B]);
    expect(delivery.entries[0].events).toEqual([
      expect.objectContaining({ kind: 'message', senderId: CUSTOMER, recipientId: ACCOUNT_A, text: 'Hello account A' }),
    ]);
    expect(delivery.entries[1].events).toEqual([
      expect.objectContaining({
        kind: 'message',
        senderId: OTHER_CUSTOMER,
        recipientId: ACCOUNT_B,
        text: 'Hello account B',
        timestamp: new Date(1780000001100),
      }),
    ]);
  });

  it('covers every webhook fixture, and none parses to an unknown event', () => {
    const webhookFixtures = readdirSync(FIXTURES).filter((name) => {
      const body = name.endsWith('.json') ? fixture(name) : null;
      return typeof body === 'object' && body !== null && 'object' in body && body.object === 'instagram';
    });
    expect(webhookFixtures.length).toBeGreaterThanOrEqual(25);
    expect(webhookFixtures.filter((name) => !tested.has(name))).toEqual([]);
    for (const name of webhookFixtures) {
      const kinds = eventsOf(parseWebhookPayload(fixture(name))).map((event) => event.kind);
      expect({ name, kinds }).toEqual({ name, kinds: expect.not.arrayContaining(['unknown']) });
    }
  });
});

describe('parseWebhookPayload timestamps', () => {
  const item = (timestamp: unknown) => ({
    sender: { id: CUSTOMER },
    recipient: { id: ACCOUNT_A },
    timestamp,
    message: { mid: 'm1', text: 'hi' },
  });
  const timestampOf = (body: unknown) => eventsOf(parseWebhookPayload(body))[0].timestamp;

  it.each([
    ['epoch milliseconds', 1780000000000, new Date(1780000000000)],
    ['epoch seconds', 1780000000, new Date(1780000000000)],
    ['epoch seconds as a digit string (dashboard test deliveries)', '1780000000', new Date(1780000000000)],
    ['fractional milliseconds', 1780000000000.9, new Date(1780000000000)],
  ])('reads %s', (_label, timestamp, expected) => {
    expect(timestampOf(messagingBody(item(timestamp)))).toEqual(expected);
  });

  it.each([undefined, null, 'yesterday', -1, Number.MAX_VALUE, '', {}, '12345678901234567'])(
    'falls back to the entry time when the item timestamp is %p',
    (timestamp) => {
      expect(timestampOf(messagingBody(item(timestamp)))).toEqual(new Date(1780000000812));
    },
  );

  it('keeps an item with no usable time as an unknown event', () => {
    const body = { object: 'instagram', entry: [{ id: ACCOUNT_A, messaging: [item('never')] }] };
    expect(eventsOf(parseWebhookPayload(body))).toEqual([
      expect.objectContaining({ kind: 'unknown', senderId: CUSTOMER, recipientId: ACCOUNT_A, timestamp: null }),
    ]);
  });

  it('gives a change without its own time the entry time in seconds', () => {
    const body = {
      object: 'instagram',
      entry: [{ id: ACCOUNT_A, time: 1780000001, changes: [{ field: 'mentions' }] }],
    };
    expect(eventsOf(parseWebhookPayload(body))).toEqual([
      expect.objectContaining({
        kind: 'change',
        field: 'mentions',
        timestamp: new Date(1780000001000),
        comment: null,
        mention: null,
      }),
    ]);
  });

  it('prefers the time a change value carries itself', () => {
    const change = { field: 'messages', value: { sender: { id: '12334' }, timestamp: '1527459824' } };
    const body = { object: 'instagram', entry: [{ id: '0', time: 1780000001, changes: [change] }] };
    expect(eventsOf(parseWebhookPayload(body))[0]).toMatchObject({
      kind: 'change',
      senderId: null,
      recipientId: '0',
      timestamp: new Date(1527459824000),
    });
  });
});

describe('parseWebhookPayload envelope', () => {
  it.each([
    ['a null body', null, 'the body must be a JSON object, got null'],
    ['an array body', [], 'the body must be a JSON object, got an array'],
    ['a string body', 'instagram', 'the body must be a JSON object, got "instagram"'],
    ['no object', { entry: [] }, '"object" must be "instagram", got nothing'],
    ['a Page notification', { object: 'page', entry: [] }, '"object" must be "instagram", got "page"'],
    ['an upper-case object', { object: 'Instagram', entry: [] }, '"object" must be "instagram", got "Instagram"'],
    ['no entry', { object: 'instagram' }, '"entry" must be an array, got nothing'],
    ['an entry object', { object: 'instagram', entry: { id: '1' } }, '"entry" must be an array, got an object'],
    ['a null entry', { object: 'instagram', entry: [null] }, 'entry[0] must be an object, got null'],
    ['an entry without id', { object: 'instagram', entry: [{ id: '1' }, { time: 1 }] }, 'entry[1].id must be'],
    ['an empty id', { object: 'instagram', entry: [{ id: '' }] }, 'entry[0].id must be'],
    ['an object id', { object: 'instagram', entry: [{ id: { id: '1' } }] }, 'got an object'],
    ['a 65-character id', { object: 'instagram', entry: [{ id: '1'.repeat(65) }] }, 'entry[0].id must be'],
    ['a negative id', { object: 'instagram', entry: [{ id: -1 }] }, 'got -1'],
    ['a fractional id', { object: 'instagram', entry: [{ id: 1.5 }] }, 'got 1.5'],
    // 17841400000000001 is not a double: JSON.parse has already turned it into another account's id.
    ['an id beyond 2^53', JSON.parse('{"object":"instagram","entry":[{"id":17841400000000001}]}'), 'below 2^53'],
  ])('refuses %s', (_label, body, message) => {
    expect(payloadError(body).message).toContain(message);
  });

  it('is a validation error that the HTTP edge answers with 400', () => {
    expect(payloadError({ object: 'page' })).toMatchObject({
      code: 'webhook_payload_invalid',
      name: 'WebhookPayloadError',
    });
  });

  it('does not echo a long hostile value back', () => {
    expect(payloadError({ object: 'x'.repeat(10_000) }).message.length).toBeLessThan(120);
  });

  it('accepts an empty entry list and entries without events', () => {
    expect(parseWebhookPayload({ object: 'instagram', entry: [] })).toEqual({ entries: [] });
    expect(parseWebhookPayload({ object: 'instagram', entry: [{ id: 17841400000001 }] })).toEqual({
      entries: [{ entryId: '17841400000001', time: null, events: [], raw: { id: 17841400000001 } }],
    });
  });
});

describe('parseWebhookPayload on hostile or unexpected input', () => {
  it('never reads inherited properties or pollutes prototypes', () => {
    const body = JSON.parse(
      '{"object":"instagram","entry":[{"id":"1","__proto__":{"messaging":[{"sender":{"id":"9"}}]},' +
        '"messaging":[{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1780000000000,' +
        '"constructor":{"prototype":{"polluted":true}},"__proto__":{"message":{"mid":"m"}}}]}]}',
    );
    const events = eventsOf(parseWebhookPayload(body));
    expect(events).toEqual([
      expect.objectContaining({ kind: 'unknown', reason: expect.stringContaining('"constructor"') }),
    ]);
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.prototype).not.toHaveProperty('message');
  });

  it('does not mistake names of Object.prototype members for fields', () => {
    const item = {
      sender: { id: CUSTOMER },
      recipient: { id: ACCOUNT_A },
      timestamp: 1780000000000,
      hasOwnProperty: 1,
    };
    expect(eventsOf(parseWebhookPayload(messagingBody(item)))[0]).toMatchObject({ kind: 'unknown' });
    const noText = { ...item, message: { mid: 'm1', toString: 'x' } };
    expect(eventsOf(parseWebhookPayload(messagingBody(noText)))[0]).toMatchObject({ kind: 'message', text: null });
  });

  it('keeps items that are not objects, and lists that are not lists, as unknown events', () => {
    const body = {
      object: 'instagram',
      entry: [{ id: ACCOUNT_A, time: 1780000000812, messaging: [null, 42, 'text', []], standby: {}, changes: 'x' }],
    };
    const events = eventsOf(parseWebhookPayload(body));
    expect(events.map((event) => [event.kind, event.standby])).toEqual([
      ['unknown', false],
      ['unknown', false],
      ['unknown', false],
      ['unknown', false],
      ['unknown', true],
      ['unknown', false],
    ]);
    expect(events.map((event) => event.raw)).toEqual([null, 42, 'text', [], {}, 'x']);
  });

  it('keeps an event type it does not know, raw', () => {
    const item = {
      sender: { id: CUSTOMER },
      recipient: { id: ACCOUNT_A },
      timestamp: 1780000000000,
      optin: { ref: 'x' },
    };
    expect(eventsOf(parseWebhookPayload(messagingBody(item)))).toEqual([
      {
        kind: 'unknown',
        senderId: CUSTOMER,
        recipientId: ACCOUNT_A,
        timestamp: new Date(1780000000000),
        standby: false,
        raw: item,
        reason: 'unrecognised messaging event (keys: "sender", "recipient", "timestamp", "optin")',
      },
    ]);
  });

  it.each([
    ['no sender', { recipient: { id: ACCOUNT_A }, timestamp: 1, message: { mid: 'm' } }],
    ['a sender without id', { sender: {}, recipient: { id: ACCOUNT_A }, timestamp: 1, message: { mid: 'm' } }],
    [
      'an id beyond 2^53',
      JSON.parse('{"sender":{"id":10293847561029384},"recipient":{"id":"1"},"message":{"mid":"m"}}'),
    ],
    ['a message without mid', { sender: { id: '1' }, recipient: { id: '2' }, timestamp: 1, message: { text: 'hi' } }],
    ['a mid over 255 characters', { sender: { id: '1' }, recipient: { id: '2' }, message: { mid: 'm'.repeat(256) } }],
    ['a reaction without mid', { sender: { id: '1' }, recipient: { id: '2' }, reaction: { action: 'react' } }],
    [
      'a reaction with an odd action',
      { sender: { id: '1' }, recipient: { id: '2' }, reaction: { mid: 'm', action: 1 } },
    ],
    ['an edit without mid', { sender: { id: '1' }, recipient: { id: '2' }, message_edit: { text: 'x' } }],
  ])('keeps an item with %s as an unknown event', (_label, item) => {
    expect(eventsOf(parseWebhookPayload(messagingBody(item)))).toEqual([
      expect.objectContaining({ kind: 'unknown', raw: item }),
    ]);
  });

  it('normalises numeric ids to strings', () => {
    const item = { sender: { id: 1029384756102938 }, recipient: { id: 17841400000000 }, message: { mid: 'm' } };
    expect(eventsOf(parseWebhookPayload(messagingBody(item)))[0]).toMatchObject({
      kind: 'message',
      senderId: '1029384756102938',
      recipientId: '17841400000000',
    });
  });

  it('ignores fields of the wrong type instead of failing', () => {
    const message = {
      mid: 'm1',
      text: 5,
      attachments: [null, 'x', { type: 3, payload: 'p' }, { type: 'ephemeral' }, { type: 'brand_new', payload: {} }],
      is_echo: 'true',
      is_unsupported: 1,
      reply_to: { story: 'x', mid: 7 },
      quick_reply: 'HOURS',
      referral: [],
    };
    const item = { sender: { id: CUSTOMER }, recipient: { id: ACCOUNT_A }, timestamp: 1780000000000, message };
    expect(eventsOf(parseWebhookPayload(messagingBody(item)))[0]).toMatchObject({
      kind: 'message',
      text: null,
      attachments: [
        { type: 'unknown', payload: null },
        { type: 'unknown', payload: null },
        { type: 'unknown', payload: null },
        { type: 'ephemeral', payload: null },
        { type: 'brand_new', payload: {} },
      ],
      isEcho: false,
      isUnsupported: false,
      replyTo: null,
      quickReplyPayload: null,
      referral: null,
    });
  });

  it('keeps a legacy share when no ig_post describes it', () => {
    const message = { mid: 'm1', attachments: [{ type: 'share', payload: { url: 'https://x' } }] };
    const item = { sender: { id: CUSTOMER }, recipient: { id: ACCOUNT_A }, timestamp: 1780000000000, message };
    expect(eventsOf(parseWebhookPayload(messagingBody(item)))[0]).toMatchObject({
      attachments: [{ type: 'share', payload: { url: 'https://x' } }],
    });
  });

  it('refuses a delivery of 100000 items before parsing any', () => {
    const item = {
      sender: { id: CUSTOMER },
      recipient: { id: ACCOUNT_A },
      timestamp: 1780000000000,
      read: { mid: 'm' },
    };
    expect(payloadError(messagingBody(...Array.from({ length: 100_000 }, () => item))).message).toContain(
      'at most 1000 updates, this one 100000',
    );
  });

  it('refuses a body nested so deep that storing it would overflow the stack', () => {
    const deep = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    const body = messagingBody({ sender: { id: '1' }, recipient: { id: '2' }, message: { mid: 'm', deep } });
    expect(payloadError(body).message).toContain('nests deeper than 64 levels');
  });

  it('throws nothing but WebhookPayloadError on randomly damaged fixtures, and its output serialises', () => {
    const random = seededRandom(20260201);
    const replacements: unknown[] = [null, 0, -1, 1e300, '', 'x', true, [], {}, [null], { id: '1' }, '__proto__'];
    const names = readdirSync(FIXTURES).filter((name) => name.endsWith('.json'));
    for (let round = 0; round < 2000; round += 1) {
      const body = fixture(names[Math.floor(random() * names.length)]);
      damage(body, replacements, random);
      try {
        JSON.stringify(parseWebhookPayload(body));
      } catch (error) {
        expect(error).toBeInstanceOf(WebhookPayloadError);
      }
    }
  });
});

/** A small deterministic PRNG (mulberry32), so a failing round can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Replaces one randomly chosen value somewhere inside `root` (a fixture body). */
function damage(root: unknown, replacements: unknown[], random: () => number): void {
  let node = root;
  for (;;) {
    if (typeof node !== 'object' || node === null) return;
    const container = node as Record<string, unknown>;
    const keys = Object.keys(container);
    if (keys.length === 0) return;
    const key = keys[Math.floor(random() * keys.length)];
    if (random() < 0.3) {
      container[key] = replacements[Math.floor(random() * replacements.length)];
      return;
    }
    node = container[key];
  }
}

describe('delivery size', () => {
  const item = (n: number) => ({
    sender: { id: '1' },
    recipient: { id: '2' },
    timestamp: 1780000000000,
    message: { mid: `m${n}`, text: 'x' },
  });

  it('accepts Meta’s largest batch of 1000 updates', () => {
    const body = {
      object: 'instagram',
      entry: [{ id: '2', time: 1780000000000, messaging: Array.from({ length: 1000 }, (_, n) => item(n)) }],
    };
    expect(parseWebhookPayload(body).entries[0].events).toHaveLength(1000);
  });

  it('refuses more updates than Meta ever batches', () => {
    const body = {
      object: 'instagram',
      entry: [{ id: '2', time: 1780000000000, messaging: Array.from({ length: 1001 }, (_, n) => item(n)) }],
    };
    expect(() => parseWebhookPayload(body)).toThrow(/at most 1000 updates/);
    const entries = Array.from({ length: 1001 }, () => ({ id: '2', time: 1780000000000 }));
    expect(() => parseWebhookPayload({ object: 'instagram', entry: entries })).toThrow(WebhookPayloadError);
  });
});
