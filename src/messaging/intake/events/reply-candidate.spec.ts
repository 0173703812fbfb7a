import { metaFixture } from '../../../../test/support/meta-fixtures';
import type { ChangeEvent, InstagramEvent } from './instagram-event';
import { parseWebhookPayload } from '@webhooks/parsing/parse-webhook-payload';
import { isAnswerableComment, isReplyCandidate } from './reply-candidate';

function eventsOf(body: unknown): InstagramEvent[] {
  return parseWebhookPayload(body).entries.flatMap((entry) => entry.events);
}

function fixtureEvent(name: string): InstagramEvent {
  const [event] = eventsOf(metaFixture(name));
  return event;
}

describe('isReplyCandidate', () => {
  it.each([
    ['text-message.json', true],
    ['quick-reply.json', true],
    ['story-reply.json', true],
    ['inline-reply.json', true],
    ['ad-referral-message.json', true],
    ['postback.json', true],
    ['echo-message.json', false],
    ['standby.json', false],
    ['image-attachment.json', false],
    ['story-mention.json', false],
    ['ig-post-share.json', false],
    ['deleted-message.json', false],
    ['unsupported-message.json', false],
    ['message-edit.json', false],
    ['reaction.json', false],
    ['unreaction.json', false],
    ['seen.json', false],
    ['referral.json', false],
    ['comment-change.json', false],
  ])('%s: %s', (name, expected) => {
    expect(isReplyCandidate(fixtureEvent(name))).toBe(expected);
  });

  const item = (message: Record<string, unknown>, list: 'messaging' | 'standby' = 'messaging') => ({
    object: 'instagram',
    entry: [{ id: '1', [list]: [{ sender: { id: '2' }, recipient: { id: '1' }, timestamp: 1780000000000, message }] }],
  });

  it('ignores a message of blank text', () => {
    expect(isReplyCandidate(eventsOf(item({ mid: 'm', text: ' \n\t ' }))[0])).toBe(false);
  });

  it('answers a quick-reply tap even without a title', () => {
    expect(isReplyCandidate(eventsOf(item({ mid: 'm', quick_reply: { payload: 'HOURS' } }))[0])).toBe(true);
  });

  it('never answers a standby postback', () => {
    const body = {
      object: 'instagram',
      entry: [{ id: '1', standby: [{ sender: { id: '2' }, recipient: { id: '1' }, timestamp: 1, postback: {} }] }],
    };
    expect(isReplyCandidate(eventsOf(body)[0])).toBe(false);
  });
});

describe('isAnswerableComment', () => {
  const ACCOUNT = '17841400000000001';
  const comment = fixtureEvent('comment-change.json') as ChangeEvent;
  const mention = fixtureEvent('mention-change.json') as ChangeEvent;

  it('answers a comment someone else made', () => {
    expect(isAnswerableComment(ACCOUNT, comment)).toBe(true);
  });

  it.each([
    ['the account’s own comment', { ...comment, senderId: ACCOUNT }],
    ['a comment delivered in standby', { ...comment, standby: true }],
    ['a comment naming no one', { ...comment, senderId: null }],
    ['a change that is no comment', mention],
  ])('never answers %s', (_case, event) => {
    expect(isAnswerableComment(ACCOUNT, event)).toBe(false);
  });
});
