import type { InstagramEvent, JsonObject, ParsedDelivery, ParsedEntry } from '@messaging';
import { epochToDate } from './epoch-time';
import { isJsonObject, ownField, toId } from './json-values';
import { exceedsNestingDepth } from './nesting-depth';
import { parseChange } from './parse-change';
import { parseMessagingItem } from './parse-messaging-item';
import { unknownEvent } from './unknown-event';
import { WebhookPayloadError } from './webhook-payload.error';

/**
 * Meta batches at most 1000 updates in one request. Far more is not Meta's,
 * and storing it row by row would hold the intake past Meta's 5-second limit.
 */
const MAX_UPDATES = 1000;

/** Meta's bodies nest about ten levels; far deeper is not a Meta body. */
const MAX_NESTING_DEPTH = 64;

/**
 * Turns a webhook body (as JSON.parse returned it) into the events of every
 * entry. Only an envelope that is not an Instagram notification is refused,
 * with a WebhookPayloadError; inside a valid envelope, an item that cannot be
 * understood becomes an `unknown` event, so nothing Meta sent is dropped.
 */
export function parseWebhookPayload(body: unknown): ParsedDelivery {
  if (!isJsonObject(body)) throw new WebhookPayloadError(`the body must be a JSON object, got ${describe(body)}`);
  const object = ownField(body, 'object');
  if (object !== 'instagram') throw new WebhookPayloadError(`"object" must be "instagram", got ${describe(object)}`);
  const entries = ownField(body, 'entry');
  if (!Array.isArray(entries)) throw new WebhookPayloadError(`"entry" must be an array, got ${describe(entries)}`);
  if (exceedsNestingDepth(body, MAX_NESTING_DEPTH)) {
    throw new WebhookPayloadError(`the body nests deeper than ${MAX_NESTING_DEPTH} levels`);
  }
  const updates = countUpdates(entries);
  if (updates > MAX_UPDATES) {
    throw new WebhookPayloadError(`a delivery carries at most ${MAX_UPDATES} updates, this one ${updates}`);
  }
  return { entries: entries.map(parseEntry) };
}

/** Entries and the items of their lists, counted before any is parsed. */
function countUpdates(entries: unknown[]): number {
  let items = 0;
  for (const entry of entries) {
    if (!isJsonObject(entry)) continue;
    for (const key of ['messaging', 'standby', 'changes']) {
      const list = ownField(entry, key);
      if (Array.isArray(list)) items += list.length;
    }
  }
  return Math.max(entries.length, items);
}

function parseEntry(entry: unknown, index: number): ParsedEntry {
  if (!isJsonObject(entry)) throw new WebhookPayloadError(`entry[${index}] must be an object, got ${describe(entry)}`);
  const id = ownField(entry, 'id');
  const entryId = toId(id);
  if (entryId === null) {
    throw new WebhookPayloadError(
      `entry[${index}].id must be a string of 1 to 64 characters or an integer below 2^53, got ${describe(id)}`,
    );
  }
  const entryTime = epochToDate(ownField(entry, 'time'));
  const events = [
    ...eventsOf(entry, 'messaging', false, (item) => parseMessagingItem(item, { entryId, entryTime, standby: false })),
    ...eventsOf(entry, 'standby', true, (item) => parseMessagingItem(item, { entryId, entryTime, standby: true })),
    ...eventsOf(entry, 'changes', false, (item) => parseChange(item, { entryId, entryTime })),
  ];
  return { entryId, time: entryTime, events, raw: entry };
}

/** A list field that is present but not a list is kept as one unknown event rather than ignored. */
function eventsOf(
  entry: JsonObject,
  key: 'messaging' | 'standby' | 'changes',
  standby: boolean,
  parseItem: (item: unknown) => InstagramEvent,
): InstagramEvent[] {
  const items = ownField(entry, key);
  if (items === undefined) return [];
  if (!Array.isArray(items)) return [unknownEvent(items, `entry.${key} is not an array`, { standby })];
  return items.map(parseItem);
}

/** Names a received value in an error message without echoing a large or hostile payload back. */
function describe(value: unknown): string {
  if (typeof value === 'string')
    return value.length > 40 ? `${JSON.stringify(value.slice(0, 40))}...` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  return Array.isArray(value) ? 'an array' : 'an object';
}
