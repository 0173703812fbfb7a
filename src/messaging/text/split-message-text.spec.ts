import { MESSAGE_TEXT_MAX_BYTES, splitMessageText } from './split-message-text';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const words = (text: string) => text.split(/\s+/).filter((word) => word !== '');
const graphemesOf = (text: string) =>
  Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text), (s) => s.segment);

/** Every part fits, none is blank or padded with whitespace at a split. */
function expectWellFormed(parts: string[], maxBytes = MESSAGE_TEXT_MAX_BYTES): void {
  for (const part of parts) {
    expect(bytes(part)).toBeLessThanOrEqual(maxBytes);
    expect(part.trim()).not.toBe('');
    expect(part).not.toMatch(/\uFFFD/);
  }
}

describe('splitMessageText', () => {
  it('keeps a text within the limit whole', () => {
    expect(splitMessageText('Hello there')).toEqual(['Hello there']);
    expect(MESSAGE_TEXT_MAX_BYTES).toBe(1000);
  });

  it('splits a 2500-byte text at word boundaries into parts of at most 1000 bytes', () => {
    const vocabulary = ['shipping', 'to', 'Berlin', 'takes', 'three', 'days,', 'usually.', 'Größe', 'M'];
    const sourceWords = Array.from({ length: 1000 }, (_, i) => vocabulary[i % vocabulary.length]);
    const text = sourceWords
      .join(' ')
      .slice(0, 2500)
      .replace(/\s+\S*$/, '');
    expect(bytes(text)).toBeGreaterThan(2400);

    const parts = splitMessageText(text);

    expect(parts).toHaveLength(3);
    expectWellFormed(parts);
    expect(parts.flatMap(words)).toEqual(words(text));
    expect(parts.join(' ')).toBe(text);
    // The first part is filled as far as a word allows.
    expect(bytes(parts[0])).toBeGreaterThan(1000 - 'usually.'.length - 2);
  });

  it('counts bytes, not characters', () => {
    const text = Array.from({ length: 400 }, () => 'äöü').join(' '); // 6 bytes a word, 2799 bytes in all
    const parts = splitMessageText(text);
    expect(parts.length).toBe(3);
    expectWellFormed(parts);
    expect(parts.join(' ')).toBe(text);
  });

  it('keeps a text of exactly 1000 bytes whole and splits one of 1001', () => {
    const exact = `${'a'.repeat(499)} ${'b'.repeat(500)}`;
    expect(bytes(exact)).toBe(1000);
    expect(splitMessageText(exact)).toEqual([exact]);
    expect(splitMessageText(`${exact}c`)).toEqual(['a'.repeat(499), `${'b'.repeat(500)}c`]);
  });

  it('splits at a space that falls right after the limit', () => {
    const text = `${'a'.repeat(1000)} ${'b'.repeat(10)}`;
    expect(splitMessageText(text)).toEqual(['a'.repeat(1000), 'b'.repeat(10)]);
  });

  it('hard-splits a word longer than the limit', () => {
    const text = `start ${'x'.repeat(2500)} end`;
    const parts = splitMessageText(text);
    expect(parts).toEqual(['start', 'x'.repeat(1000), 'x'.repeat(1000), `${'x'.repeat(500)} end`]);
  });

  it('never splits a multi-byte character: CJK without spaces', () => {
    const text = '営業時間は何時ですか'.repeat(50); // 3 bytes a character, 1500 bytes
    const parts = splitMessageText(text);
    expect(parts.map(bytes)).toEqual([999, 501]);
    expect(parts.join('')).toBe(text);
  });

  it('never splits an emoji, its skin tone or a ZWJ sequence', () => {
    const family = '👨‍👩‍👧‍👦'; // 25 bytes
    const text = `${'a'.repeat(990)}${family}${'👍🏽'.repeat(3)}`;
    const parts = splitMessageText(text);
    expectWellFormed(parts);
    expect(parts).toEqual(['a'.repeat(990), `${family}${'👍🏽'.repeat(3)}`]);
  });

  it('never separates the two halves of a flag', () => {
    const text = '🇩🇪'.repeat(130); // 8 bytes a flag
    const parts = splitMessageText(text);
    expect(parts.map(bytes)).toEqual([1000, 40]);
    expect(parts.flatMap(graphemesOf).every((flag) => flag === '🇩🇪')).toBe(true);
  });

  it('keeps accents with their letters', () => {
    const text = 'e\u0301'.repeat(400); // 3 bytes a letter, decomposed
    const parts = splitMessageText(text);
    expect(parts.map(bytes)).toEqual([999, 201]);
    expect(parts.every((part) => part.startsWith('e'))).toBe(true);
  });

  it('falls back to code points for a single cluster longer than the limit', () => {
    const zalgo = `a${'\u0301'.repeat(600)}`; // one grapheme of 1201 bytes
    const parts = splitMessageText(zalgo);
    expectWellFormed(parts);
    expect(parts.join('')).toBe(zalgo);
  });

  it('does not break at a no-break space', () => {
    const text = `${'a'.repeat(600)} 10\u00A0EUR${'b'.repeat(400)}`; // 1008 bytes
    expect(splitMessageText(text)).toEqual(['a'.repeat(600), `10\u00A0EUR${'b'.repeat(400)}`]);
  });

  it('drops the whitespace at split points, newlines included', () => {
    const text = `${'a'.repeat(900)}\n\n   \t${'b'.repeat(200)}`;
    expect(splitMessageText(text)).toEqual(['a'.repeat(900), 'b'.repeat(200)]);
  });

  it('never produces an empty part', () => {
    expect(splitMessageText('')).toEqual([]);
    expect(splitMessageText('   \n ')).toEqual([]);
    expect(splitMessageText(' '.repeat(3000))).toEqual([]);
    const parts = splitMessageText(`${' '.repeat(1500)}word${' '.repeat(1500)}`);
    expect(parts).toEqual(['word']);
  });

  it('keeps lone surrogates countable as Buffer counts them', () => {
    const text = '\uD83D'.repeat(400); // 3 bytes each once encoded
    const parts = splitMessageText(text);
    expect(parts.map(bytes)).toEqual([999, 201]);
  });

  it('honours a smaller limit', () => {
    const parts = splitMessageText('one two three four five six', 9);
    expect(parts).toEqual(['one two', 'three', 'four five', 'six']);
  });

  it('splits a long text in linear time', () => {
    const text = 'lorem ipsum dolor sit amet '.repeat(40_000); // about 1 MB
    const started = Date.now();
    const parts = splitMessageText(text);
    expect(Date.now() - started).toBeLessThan(10_000);
    expectWellFormed(parts);
    // Compared as a boolean: a diff of two megabytes helps nobody.
    expect(parts.join(' ') === text).toBe(true);
  });

  it.each([0, 3, 2.5, Number.NaN])('refuses a limit of %p bytes', (maxBytes) => {
    expect(() => splitMessageText('text', maxBytes)).toThrow(RangeError);
  });
});
