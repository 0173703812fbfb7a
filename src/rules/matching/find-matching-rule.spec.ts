import { describeRuleMatch } from './describe-rule-match';
import { findMatchingRule, rulesInPriorityOrder } from './find-matching-rule';
import type { MatchableRule, MatchType } from './matchable-rule';

let nextId = 0;

function rule(overrides: Partial<MatchableRule> = {}): MatchableRule {
  nextId += 1;
  return {
    id: `rule-${String(nextId).padStart(3, '0')}`,
    name: `rule ${nextId}`,
    matchType: 'contains',
    keywords: ['price'],
    priority: 0,
    isActive: true,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    ...overrides,
  };
}

function matches(matchType: MatchType, keyword: string, text: string): boolean {
  return findMatchingRule([rule({ matchType, keywords: [keyword] })], text) !== null;
}

describe('findMatchingRule: one keyword against one message', () => {
  it.each<[MatchType, string, string, boolean]>([
    // contains
    ['contains', 'price', 'What is the PRICE?', true],
    ['contains', 'price', 'pricey', true],
    ['contains', 'price', 'how much', false],
    ['contains', 'Straße', 'Wo ist die STRASSE?', true],
    ['contains', 'strasse', 'die Straße', true],
    ['contains', 'STRASSE', 'die Straẞe', true],
    ['contains', 'café', 'CAFE\u0301 au lait', true],
    ['contains', 'cafe\u0301', 'un café', true],
    ['contains', 'cafe', 'un café', false],
    ['contains', 'file', 'the ﬁle is here', true],
    ['contains', 'abc123', 'ＡＢＣ１２３', true],
    ['contains', '❤️', 'I ❤ this', true],
    ['contains', '❤', 'I ❤️ this', true],
    ['contains', 'opening hours', 'your opening   hours\nplease', true],
    ['contains', 'ΟΔΟΣ', 'η οδος', true],
    ['contains', 'istanbul', 'İSTANBUL', true],
    ['contains', 'Привет', 'привет, как дела', true],
    ['contains', '  ', 'any text at all', false],
    ['contains', '\uFE0F', 'any text at all', false],
    ['contains', '(.*)', 'a (.*) b', true],
    ['contains', '(.*)', 'anything', false],
    // word
    ['word', 'hi', 'Hi!', true],
    ['word', 'hi', 'oh, hi there', true],
    ['word', 'hi', 'this', false],
    ['word', 'hi', 'hi5', false],
    ['word', 'hi', 'hiking', false],
    ['word', 'hi', '¡HI!', true],
    ['word', 'hi', 'hi_there', true],
    ['word', 'price', "price's fine", true],
    ['word', 'opening hours', 'What are your opening hours?', true],
    ['word', 'opening hours', 'reopening hours', false],
    ['word', 'opening hours', 'opening hoursly', false],
    ['word', '24', 'open 24/7', true],
    ['word', '24', 'open 247', false],
    ['word', 'café', 'un CAFE\u0301!', true],
    ['word', 'caf', 'un café', false],
    ['word', 'привет', 'Привет!', true],
    ['word', 'привет', 'приветствую', false],
    ['word', 'γεια', 'Γεια σου', true],
    ['word', 'γεια', 'γειαααα', false],
    ['word', 'مرحبا', 'مرحبا بك', true],
    ['word', 'مرحبا', 'لمرحبا', false],
    ['word', 'नमस्ते', 'नमस्ते जी', true],
    ['word', '營業時間', '请问营业时间', false], // traditional and simplified characters differ
    ['word', '営業時間', '営業時間は何時ですか', true],
    ['word', '价格', '这个价格多少', true],
    ['word', 'iphone', 'iPhoneを買いたい', true],
    ['word', 'ราคา', 'ราคาเท่าไหร่ครับ', true],
    ['word', '가격', '가격 알려주세요', true],
    ['word', '가격', '가격은 얼마예요', false],
    ['word', '❤️', 'I❤️you', true],
    ['word', '❤️', '❤', true],
    ['word', '👍', 'ok 👍🏽', true],
    ['word', '👍', 'ok 👎', false],
    ['word', '#sale', 'any #SALE today?', true],
    ['word', 'a.b', 'see a.b.', true],
    ['word', 'ß', 'SS', true],
    // exact
    ['exact', 'hello', '  HELLO \n', true],
    ['exact', 'opening hours', 'Opening\t\tHours', true],
    ['exact', 'hello', 'hello!', false],
    ['exact', 'hello', 'hello there', false],
    ['exact', 'ﬁne', 'FINE', true],
    ['exact', '👍', '👍', true],
    // starts_with
    ['starts_with', 'price', '  Price of the red one?', true],
    ['starts_with', 'price', 'prices please', true],
    ['starts_with', 'price', 'the price', false],
    ['starts_with', 'hallo', 'ＨＡＬＬＯ', true],
    ['starts_with', '!help', '!HELP me', true],
  ])('%s %j on %j: %s', (matchType, keyword, text, expected) => {
    expect(matches(matchType, keyword, text)).toBe(expected);
  });

  it('reports the keyword as written and how it matched', () => {
    const hours = rule({ name: 'Hours', matchType: 'word', keywords: ['price', 'Opening Hours', 'hours'] });
    const match = findMatchingRule([hours], 'opening hours?');
    expect(match).toEqual({ rule: hours, keyword: 'Opening Hours', matchType: 'word' });
    if (match === null) return;
    expect(describeRuleMatch(match)).toBe(
      'rule "Hours" matched: keyword "Opening Hours" appears in the message as a whole word',
    );
  });

  it('matches nothing in an empty message, and with no rules', () => {
    expect(findMatchingRule([rule({ keywords: ['a'] })], '')).toBeNull();
    expect(findMatchingRule([], 'hello')).toBeNull();
    expect(findMatchingRule([rule({ keywords: [] })], 'hello')).toBeNull();
  });

  it('matches nothing for a match type it does not know', () => {
    const future = rule({ matchType: 'regex' as MatchType, keywords: ['.*'] });
    expect(findMatchingRule([future], 'anything .*')).toBeNull();
  });
});

describe('findMatchingRule: which rule answers', () => {
  it('tries higher priority first', () => {
    const low = rule({ priority: 1, keywords: ['price'] });
    const high = rule({ priority: 10, keywords: ['price'] });
    expect(findMatchingRule([low, high], 'price?')?.rule).toBe(high);
  });

  it('accepts negative priorities', () => {
    const fallbackish = rule({ priority: -5, keywords: ['price'] });
    const normal = rule({ priority: 0, keywords: ['price'] });
    expect(findMatchingRule([fallbackish, normal], 'price')?.rule).toBe(normal);
  });

  it('breaks a priority tie by age: the older rule first', () => {
    const newer = rule({ createdAt: new Date('2026-02-01T00:00:00Z') });
    const older = rule({ createdAt: new Date('2026-01-15T00:00:00Z') });
    expect(findMatchingRule([newer, older], 'price')?.rule).toBe(older);
    expect(findMatchingRule([older, newer], 'price')?.rule).toBe(older);
  });

  it('breaks a tie of priority and age by id, whatever order the rules come in', () => {
    const a = rule({ id: 'a' });
    const b = rule({ id: 'b' });
    expect(findMatchingRule([b, a], 'price')?.rule).toBe(a);
    expect(findMatchingRule([a, b], 'price')?.rule).toBe(a);
  });

  it('skips a higher rule that does not match', () => {
    const shipping = rule({ priority: 10, keywords: ['shipping'] });
    const price = rule({ priority: 1, keywords: ['price'] });
    expect(findMatchingRule([shipping, price], 'price?')?.rule).toBe(price);
  });

  it('never lets an inactive rule match, whatever its priority', () => {
    const inactive = rule({ priority: 100, isActive: false, keywords: ['price'] });
    const active = rule({ priority: 1, keywords: ['price'] });
    expect(findMatchingRule([inactive, active], 'price')?.rule).toBe(active);
    expect(findMatchingRule([inactive], 'price')).toBeNull();
  });

  it('gives back the caller’s own rule type', () => {
    const withReply = { ...rule(), responseText: 'It costs 10 EUR' };
    expect(findMatchingRule([withReply], 'price')?.rule.responseText).toBe('It costs 10 EUR');
  });
});

describe('rulesInPriorityOrder', () => {
  it('sorts by priority, then age, then id, without changing its input', () => {
    const rules = [
      rule({ id: 'c', priority: 1 }),
      rule({ id: 'b', priority: 5, createdAt: new Date('2026-03-01T00:00:00Z') }),
      rule({ id: 'a', priority: 5, createdAt: new Date('2026-03-01T00:00:00Z') }),
      rule({ id: 'd', priority: 5, createdAt: new Date('2026-02-01T00:00:00Z') }),
    ];
    expect(rulesInPriorityOrder(rules).map((r) => r.id)).toEqual(['d', 'a', 'b', 'c']);
    expect(rules.map((r) => r.id)).toEqual(['c', 'b', 'a', 'd']);
  });
});
