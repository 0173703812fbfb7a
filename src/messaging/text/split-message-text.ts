/** Meta's limit for the text of one message, in bytes of UTF-8. */
export const MESSAGE_TEXT_MAX_BYTES = 1000;

/** Enough for any one code point, so that every part makes progress. */
const SMALLEST_LIMIT = 4;

/** Whitespace where a line may break; the no-break spaces exist to hold words together. */
const BREAKABLE_SPACE = /[^\S\u00A0\u2007\u202F]/;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Splits a text into parts of at most `maxBytes` bytes of UTF-8 each, in
 * order. A part ends at the last breakable space that fits, and the
 * whitespace around each split is dropped; a word longer than a whole part is
 * cut at the last character (grapheme cluster) that fits, so an emoji, a flag
 * or a letter with its accents is never torn apart, unless one such cluster
 * is itself too long. No part is empty or blank, so a blank text gives none.
 */
export function splitMessageText(text: string, maxBytes: number = MESSAGE_TEXT_MAX_BYTES): string[] {
  if (!Number.isInteger(maxBytes) || maxBytes < SMALLEST_LIMIT) {
    throw new RangeError(`maxBytes must be an integer of at least ${SMALLEST_LIMIT}, got ${maxBytes}`);
  }
  const parts: string[] = [];
  let rest = text;
  for (let fits = prefixLengthWithin(rest, maxBytes); fits < rest.length; fits = prefixLengthWithin(rest, maxBytes)) {
    const cut = lastBreakableSpace(rest, fits) ?? lastGraphemeBoundary(rest, fits) ?? fits;
    const part = rest.slice(0, cut).trimEnd();
    if (part !== '') parts.push(part);
    rest = rest.slice(cut).trimStart();
  }
  if (rest.trim() !== '') parts.push(rest);
  return parts;
}

/** The length, in UTF-16 code units, of the longest prefix whose UTF-8 encoding fits in `maxBytes`. */
function prefixLengthWithin(text: string, maxBytes: number): number {
  let bytes = 0;
  let length = 0;
  for (const character of text) {
    bytes += utf8Length(character.codePointAt(0) ?? 0);
    if (bytes > maxBytes) break;
    length += character.length;
  }
  return length;
}

/** A lone surrogate counts as the three bytes of the U+FFFD that replaces it, as Buffer.byteLength counts it. */
function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  return codePoint < 0x10000 ? 3 : 4;
}

/** The index of the last breakable space at or before `end`, if any follows some text. */
function lastBreakableSpace(text: string, end: number): number | null {
  for (let index = end; index > 0; index -= 1) {
    if (BREAKABLE_SPACE.test(text[index])) return index;
  }
  return null;
}

/**
 * The last grapheme boundary at or before `end`, other than the start. Whether
 * a position is a boundary depends only on the text before it and the one
 * character after it, so segmenting just past `end` is enough.
 */
function lastGraphemeBoundary(text: string, end: number): number | null {
  let boundary = 0;
  for (const { index } of graphemes.segment(text.slice(0, end + 2))) {
    if (index > end) break;
    boundary = index;
  }
  return boundary > 0 ? boundary : null;
}
