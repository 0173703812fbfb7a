import type { RuleTrigger } from '../rule-trigger';
import { findCommentRule, findMessageRule, findPostbackRule, type TriggeredRule } from './trigger-match';

let nextId = 0;
function rule(trigger: RuleTrigger, overrides: Partial<TriggeredRule> = {}): TriggeredRule {
  nextId += 1;
  return {
    id: `rule-${String(nextId).padStart(3, '0')}`,
    name: `rule ${nextId}`,
    trigger,
    matchType: 'word',
    keywords: ['guide'],
    mediaIds: null,
    priority: 0,
    isActive: true,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    ...overrides,
  };
}

describe('findMessageRule', () => {
  it('answers a Direct Message with message rules only', () => {
    const comment = rule('comment', { priority: 10 });
    const postback = rule('postback', { priority: 10, keywords: ['guide'] });
    const message = rule('message');
    expect(findMessageRule([comment, postback, message], 'the guide please')?.rule).toBe(message);
    expect(findMessageRule([comment, postback], 'the guide please')).toBeNull();
  });
});

describe('findPostbackRule', () => {
  it('compares each keyword exactly with the payload, whatever the match type', () => {
    const hours = rule('postback', { matchType: 'contains', keywords: ['SHOW_MENU', 'HOURS'] });
    expect(findPostbackRule([hours], 'HOURS')).toEqual({ rule: hours, keyword: 'HOURS', matchType: 'exact' });
    expect(findPostbackRule([hours], 'hours')).toBeNull();
    expect(findPostbackRule([hours], 'HOURS ')).toBeNull();
    expect(findPostbackRule([hours], 'OPENING_HOURS')).toBeNull();
    expect(findPostbackRule([hours], '')).toBeNull();
  });

  it('tries higher priority first and never an inactive or non-postback rule', () => {
    const low = rule('postback', { priority: 1, keywords: ['HOURS'] });
    const high = rule('postback', { priority: 5, keywords: ['HOURS'] });
    const inactive = rule('postback', { priority: 9, keywords: ['HOURS'], isActive: false });
    const message = rule('message', { priority: 10, matchType: 'exact', keywords: ['HOURS'] });
    expect(findPostbackRule([low, inactive, message, high], 'HOURS')?.rule).toBe(high);
  });
});

describe('findCommentRule', () => {
  it('matches the comment text with the rule’s match type', () => {
    const guide = rule('comment', { matchType: 'word', keywords: ['guide'] });
    expect(findCommentRule([guide], { text: 'GUIDE please!', mediaId: 'm1' })?.rule).toBe(guide);
    expect(findCommentRule([guide], { text: 'guidebook', mediaId: 'm1' })).toBeNull();
    expect(findCommentRule([guide], { text: null, mediaId: 'm1' })).toBeNull();
  });

  it('limits a rule with media ids to comments on those media', () => {
    const onReel = rule('comment', { mediaIds: ['reel-1', 'post-2'], priority: 5 });
    const anywhere = rule('comment', { keywords: ['guide', 'price'] });
    expect(findCommentRule([onReel, anywhere], { text: 'guide', mediaId: 'post-2' })?.rule).toBe(onReel);
    expect(findCommentRule([onReel, anywhere], { text: 'guide', mediaId: 'post-3' })?.rule).toBe(anywhere);
    expect(findCommentRule([onReel], { text: 'guide', mediaId: 'post-3' })).toBeNull();
    expect(findCommentRule([onReel], { text: 'guide', mediaId: null })).toBeNull();
  });

  it('ignores message and postback rules', () => {
    const message = rule('message');
    const postback = rule('postback', { keywords: ['guide'] });
    expect(findCommentRule([message, postback], { text: 'guide', mediaId: 'm1' })).toBeNull();
  });
});
