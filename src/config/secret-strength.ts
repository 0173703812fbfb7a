/**
 * Whether a configured secret looks made rather than generated. The service
 * cannot measure randomness, but it can refuse what is certainly not random:
 * a value the documentation shows in place of a secret, and, in production, a
 * value with too few different symbols or made of one repeated pattern.
 */

/** What `deploy/kubernetes/secret.example.yaml` and the README show in place of a secret. */
const DOCUMENTED_PLACEHOLDERS = [
  'REPLACE-WITH-openssl-rand-hex-32',
  'REPLACE-WITH-openssl-rand-base64-32',
  'change-me',
].map((placeholder) => placeholder.toLowerCase());

/** The shapes placeholders take: an instruction or a name in angle brackets, not a value. */
const PLACEHOLDER_SHAPES = [/replace[\s_-]*with/i, /change[\s_-]*me/i, /^<.*>$/];

/**
 * A 32-character hex token drawn at random has about 14 different
 * characters; fewer than 8 happens about once in 25 million draws.
 */
const MIN_DISTINCT_TOKEN_CHARACTERS = 8;
/** 32 random bytes have about 30 different values; fewer than 16 practically never happens. */
const MIN_DISTINCT_KEY_BYTES = 16;

export function isPlaceholder(value: string): boolean {
  const trimmed = value.trim();
  return (
    DOCUMENTED_PLACEHOLDERS.includes(trimmed.toLowerCase()) || PLACEHOLDER_SHAPES.some((shape) => shape.test(trimmed))
  );
}

/** A token (such as ADMIN_API_TOKEN) with fewer than 8 different characters, or one pattern over and over. */
export function tokenLacksVariety(token: string): boolean {
  return lacksVariety([...token], MIN_DISTINCT_TOKEN_CHARACTERS);
}

/** Key bytes with fewer than 16 different values, or one pattern over and over (`AAAA…`, `0101…`). */
export function keyLacksVariety(key: Uint8Array): boolean {
  return lacksVariety([...key], MIN_DISTINCT_KEY_BYTES);
}

function lacksVariety<T>(symbols: T[], minDistinct: number): boolean {
  return new Set(symbols).size < minDistinct || repeatsAPattern(symbols);
}

/** The whole sequence is a shorter one repeated (`abcabcab`): each symbol equals the one a period before it. */
function repeatsAPattern<T>(symbols: T[]): boolean {
  for (let period = 1; period <= symbols.length / 2; period++) {
    if (symbols.every((symbol, index) => index < period || symbol === symbols[index - period])) return true;
  }
  return false;
}
