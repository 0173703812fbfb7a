/** Emoji presentation selectors: a heart typed with or without U+FE0F is the same heart. */
const PRESENTATION_SELECTORS = /[\uFE0E\uFE0F]/g;

/**
 * Brings a keyword and a message to one form, so that matching ignores case
 * and Unicode normalisation differences:
 *
 * - NFKC, so composed and decomposed accents, full-width letters and digits,
 *   and ligatures such as `ﬁ` compare equal to their plain forms;
 * - case folding, approximated as upper-casing and then lower-casing, which
 *   also folds the special cases that lower-casing alone misses: `ß` and `ẞ`
 *   become `ss` (so `Straße` matches `STRASSE` and `strasse`), the final sigma
 *   `ς` becomes `σ`, and Turkish `İ` becomes `i`;
 * - emoji presentation selectors removed;
 * - whitespace runs collapsed to one space, and trimmed.
 *
 * Accents are not removed: `café` and `cafe` are different words.
 */
export function normalizeForMatching(text: string): string {
  return text
    .normalize('NFKC')
    .toUpperCase()
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/ς/g, 'σ')
    .replace(/i\u0307/g, 'i')
    .normalize('NFKC')
    .replace(PRESENTATION_SELECTORS, '')
    .replace(/\s+/gu, ' ')
    .trim();
}
