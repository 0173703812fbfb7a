import type { MatchType } from './matchable-rule';

/** Letters, digits and combining marks make up words; everything else (spaces, punctuation, emoji) separates them. */
const WORD_CHARACTER = /^[\p{L}\p{N}\p{M}]$/u;

/**
 * Scripts written without spaces between words. A whole-word test is
 * meaningless there, so next to these characters a keyword matches as a
 * substring: `営業時間` fires on `営業時間は何時ですか`, and `iPhone` on
 * `iPhoneを買いたい`. Korean (Hangul) separates words with spaces and is not
 * in this list.
 */
const UNSPACED_SCRIPT =
  /^[\p{Script_Extensions=Han}\p{Script_Extensions=Hiragana}\p{Script_Extensions=Katakana}\p{Script_Extensions=Thai}\p{Script_Extensions=Lao}\p{Script_Extensions=Khmer}\p{Script_Extensions=Myanmar}]$/u;

/**
 * Whether a keyword matches a message; both already passed through
 * normalizeForMatching. The keyword is searched as plain text, never compiled
 * into a pattern, so nothing in it has a special meaning. An empty keyword
 * matches nothing.
 */
export function keywordMatches(matchType: MatchType, text: string, keyword: string): boolean {
  if (keyword === '') return false;
  switch (matchType) {
    case 'contains':
      return text.includes(keyword);
    case 'word':
      return containsWholeWord(text, keyword);
    case 'exact':
      return text === keyword;
    case 'starts_with':
      return text.startsWith(keyword);
    default:
      // A rule stored by a newer version with a type this one does not know answers nothing.
      return false;
  }
}

/**
 * An occurrence counts when it is not glued to more word characters on
 * either side: `hi` fires on `Hi!` and `oh, hi there`, not on `this`; a
 * phrase such as `opening hours` is one keyword; an emoji keyword is its own
 * word wherever it stands.
 */
function containsWholeWord(text: string, keyword: string): boolean {
  const first = firstCodePoint(keyword);
  const last = lastCodePoint(keyword, keyword.length);
  for (let at = text.indexOf(keyword); at !== -1; at = text.indexOf(keyword, at + 1)) {
    const before = lastCodePoint(text, at);
    const after = firstCodePoint(text.slice(at + keyword.length));
    if (!continuesWord(before, first) && !continuesWord(last, after)) return true;
  }
  return false;
}

/** Whether two adjacent characters belong to one word of a script that separates its words. */
function continuesWord(left: string, right: string): boolean {
  return isSpacedWordCharacter(left) && isSpacedWordCharacter(right);
}

function isSpacedWordCharacter(character: string): boolean {
  return WORD_CHARACTER.test(character) && !UNSPACED_SCRIPT.test(character);
}

function firstCodePoint(text: string): string {
  const codePoint = text.codePointAt(0);
  return codePoint === undefined ? '' : String.fromCodePoint(codePoint);
}

/** The character that ends just before `end`, with both halves of a surrogate pair. */
function lastCodePoint(text: string, end: number): string {
  if (end <= 0) return '';
  const isPairEnd = end >= 2 && /[\uDC00-\uDFFF]/.test(text[end - 1]) && /[\uD800-\uDBFF]/.test(text[end - 2]);
  return text.slice(isPairEnd ? end - 2 : end - 1, end);
}
