import type { JsonObject } from '@messaging';

/** Meta's ids are 15 to 20 digits; the cap keeps a hostile id out of the 64-character id columns. */
const MAX_ID_LENGTH = 64;

/** Meta's mids are opaque strings of about 150 characters; the cap matches the mid column. */
const MAX_MID_LENGTH = 255;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads only own properties, so keys such as `constructor` or `__proto__` in
 * a payload resolve to what Meta sent, never to something inherited.
 */
export function ownField(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

export function readObject(object: JsonObject, key: string): JsonObject | null {
  const value = ownField(object, key);
  return isJsonObject(value) ? value : null;
}

export function readString(object: JsonObject, key: string): string | null {
  const value = ownField(object, key);
  return typeof value === 'string' ? value : null;
}

export function readInteger(object: JsonObject, key: string): number | null {
  const value = ownField(object, key);
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}

/** Meta sends flags as `true` or leaves them out; anything else is not a yes. */
export function readFlag(object: JsonObject, key: string): boolean {
  return ownField(object, key) === true;
}

/**
 * Ids are strings on the wire, but some senders write them as JSON numbers. A
 * number beyond 2^53 has already lost digits in JSON.parse, so it is refused
 * rather than turned into somebody else's id.
 */
export function toId(value: unknown): string | null {
  if (typeof value === 'string') return value.length > 0 && value.length <= MAX_ID_LENGTH ? value : null;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  return null;
}

/** The `id` inside `{ "id": ... }` objects such as `sender` and `recipient`. */
export function readNestedId(object: JsonObject, key: string): string | null {
  const nested = readObject(object, key);
  return nested === null ? null : toId(ownField(nested, 'id'));
}

export function readMid(object: JsonObject, key: string): string | null {
  const value = ownField(object, key);
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_MID_LENGTH ? value : null;
}
