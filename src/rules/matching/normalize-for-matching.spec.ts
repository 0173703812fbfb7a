import { normalizeForMatching } from './normalize-for-matching';

describe('normalizeForMatching', () => {
  it.each([
    ['Hello World', 'hello world'],
    ['  many \t\n spaces\u00A0here  ', 'many spaces here'],
    ['Straße', 'strasse'],
    ['STRAẞE', 'strasse'],
    ['ΟΔΟΣ', 'οδοσ'],
    ['İstanbul', 'istanbul'],
    ['ﬁne', 'fine'],
    ['ＦＵＬＬ　ＷＩＤＴＨ １２', 'full width 12'],
    ['cafe\u0301', 'café'],
    ['❤️ ❤︎ ❤', '❤ ❤ ❤'],
    ['ŉ', 'ʼn'],
  ])('%j becomes %j', (text, expected) => {
    expect(normalizeForMatching(text)).toBe(expected);
  });

  it.each(['Straße ẞ', 'ΟΔΟΣ ς', 'İı', 'ﬁ ǅ ᾳ ŉ', '👨‍👩‍👧 👍🏽 ❤️', 'Ǆemal', 'ﾃｽﾄ', 'é'])('is idempotent on %j', (text) => {
    const once = normalizeForMatching(text);
    expect(normalizeForMatching(once)).toBe(once);
  });
});
