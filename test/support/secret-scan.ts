import { randomBytes } from 'node:crypto';

/** A secret the run used, by the name a failure should show (never its value). */
export interface Secret {
  name: string;
  value: string;
}

/** Somewhere a secret must not appear: a log, a response body, a database column. */
export interface Haystack {
  where: string;
  text: string;
}

export interface Leak {
  where: string;
  secret: string;
  /** Whether the whole secret or only a fragment of it was found. */
  found: 'whole' | 'fragment';
  /** Where in the haystack, so the offending line can be looked up (the value itself is not repeated). */
  offset: number;
}

/** A run of this many characters of a secret is as good as the secret to someone guessing the rest. */
export const FRAGMENT_LENGTH = 12;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A fresh secret of letters and digits only, so that JSON, URL or shell
 * escaping cannot disguise it in a log line, and with no part shared with
 * any other value of the run (no common prefix that a username or a
 * message could also contain).
 */
export function randomSecret(length = 48): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (byte) => ALPHABET[byte % ALPHABET.length]).join('');
}

/** The secret with one character (`index`, negative from the end) changed to another of the same alphabet. */
export function changeAt(secret: string, index: number): string {
  const i = (index + secret.length) % secret.length;
  return `${secret.slice(0, i)}${secret[i] === 'A' ? 'B' : 'A'}${secret.slice(i + 1)}`;
}

/** Every run of FRAGMENT_LENGTH characters of the value (the value itself when shorter). */
export function fragmentsOf(value: string): string[] {
  if (value.length <= FRAGMENT_LENGTH) return [value];
  return Array.from({ length: value.length - FRAGMENT_LENGTH + 1 }, (_, i) => value.slice(i, i + FRAGMENT_LENGTH));
}

/**
 * Finds each secret, whole or as any FRAGMENT_LENGTH-character fragment, in
 * every haystack. One pass over each haystack looks up every window in a map
 * of all fragments, so megabytes of log are searched quickly.
 */
export function findLeaks(haystacks: Haystack[], secrets: Secret[]): Leak[] {
  const fragments = new Map<string, Secret>();
  for (const secret of secrets) {
    if (secret.value.length < FRAGMENT_LENGTH) throw new Error(`secret ${secret.name} is too short to search for`);
    for (const fragment of fragmentsOf(secret.value)) fragments.set(fragment, secret);
  }
  const leaks: Leak[] = [];
  for (const { where, text } of haystacks) {
    const reported = new Set<string>();
    for (let i = 0; i + FRAGMENT_LENGTH <= text.length; i++) {
      const secret = fragments.get(text.slice(i, i + FRAGMENT_LENGTH));
      if (!secret || reported.has(secret.name)) continue;
      reported.add(secret.name);
      const found = text.includes(secret.value) ? 'whole' : 'fragment';
      leaks.push({ where, secret: secret.name, found, offset: i });
    }
  }
  return leaks;
}
