import { randomBytes } from 'node:crypto';
import { isPlaceholder, keyLacksVariety, tokenLacksVariety } from './secret-strength';

describe('isPlaceholder', () => {
  it.each([
    'REPLACE-WITH-openssl-rand-hex-32',
    'REPLACE-WITH-openssl-rand-base64-32',
    'replace-with-openssl-rand-hex-32',
    'REPLACE_WITH_A_RANDOM_TOKEN_OF_32_CHARACTERS',
    'change-me',
    'CHANGEME-changeme-changeme-changeme',
    '<a long random token of your own>',
  ])('recognises %s', (value) => {
    expect(isPlaceholder(value)).toBe(true);
  });

  it('takes generated values for what they are', () => {
    for (let i = 0; i < 100; i++) {
      expect(isPlaceholder(randomBytes(32).toString('hex'))).toBe(false);
      expect(isPlaceholder(randomBytes(32).toString('base64'))).toBe(false);
    }
  });
});

describe('tokenLacksVariety', () => {
  it.each([
    ['one character', 'a'.repeat(40)],
    ['two characters', 'ab'.repeat(20)],
    ['seven different characters', 'abcdefg'.repeat(4) + 'abcd'],
    ['a repeated pattern of many characters', '0123456789abcdef'.repeat(2)],
    ['a pattern that does not fill the end', 'Secret-1'.repeat(4) + 'Sec'],
  ])('refuses %s', (_name, token) => {
    expect(tokenLacksVariety(token)).toBe(true);
  });

  it('accepts what openssl rand -hex 32 and -base64 32 make', () => {
    for (let i = 0; i < 1000; i++) {
      expect(tokenLacksVariety(randomBytes(32).toString('hex'))).toBe(false);
      expect(tokenLacksVariety(randomBytes(16).toString('hex'))).toBe(false);
      expect(tokenLacksVariety(randomBytes(32).toString('base64'))).toBe(false);
    }
  });
});

describe('keyLacksVariety', () => {
  it('refuses keys of repeated or few byte values', () => {
    expect(keyLacksVariety(Buffer.alloc(32))).toBe(true);
    expect(keyLacksVariety(Buffer.from('01'.repeat(32), 'hex'))).toBe(true);
    expect(keyLacksVariety(Buffer.from('00112233445566778899aabbccddeeff'.repeat(2), 'hex'))).toBe(true);
  });

  it('accepts random keys', () => {
    for (let i = 0; i < 1000; i++) expect(keyLacksVariety(randomBytes(32))).toBe(false);
  });
});
