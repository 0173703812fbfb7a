import type { InstagramEvent, JsonObject, MessagingEventBase } from '@messaging';
import { epochToDate } from './epoch-time';
import { isJsonObject, ownField, readInteger, readMid, readNestedId, readObject, readString } from './json-values';
import { parseMessage } from './parse-message';
import { parseReferral } from './parse-referral';
import { unknownEvent } from './unknown-event';

export interface MessagingItemContext {
  /** `entry[].id`: the account the item belongs to. */
  entryId: string;
  /** Stands in for an item that carries no timestamp of its own. */
  entryTime: Date | null;
  /** The item came from `entry[].standby`. */
  standby: boolean;
}

/** Named in the reason of an unrecognised item, so an operator can see what Meta sent. */
const MAX_KEYS_IN_REASON = 8;

/** One item of `entry[].messaging` or `entry[].standby`. */
export function parseMessagingItem(item: unknown, context: MessagingItemContext): InstagramEvent {
  if (!isJsonObject(item)) return unknownEvent(item, 'the item is not an object', { standby: context.standby });
  const senderId = readNestedId(item, 'sender');
  const recipientId = readNestedId(item, 'recipient');
  const timestamp = epochToDate(ownField(item, 'timestamp')) ?? context.entryTime;
  if (senderId === null || recipientId === null || timestamp === null) {
    const known = { senderId, recipientId, timestamp, standby: context.standby };
    return unknownEvent(item, 'the item lacks a valid sender id, recipient id or timestamp', known);
  }
  const event = parseByType(item, { senderId, recipientId, timestamp, standby: context.standby, raw: item });
  // The account's own message is outbound whatever its flag says: it is never answered, and it takes a conversation over.
  return event.kind === 'message' && senderId === context.entryId ? { ...event, isEcho: true } : event;
}

/** Meta sends one event type per item; the first known key decides. */
function parseByType(item: JsonObject, base: MessagingEventBase): InstagramEvent {
  const message = readObject(item, 'message');
  if (message !== null) return parseMessage(message, base);

  const edit = readObject(item, 'message_edit');
  if (edit !== null) {
    const mid = readMid(edit, 'mid');
    if (mid === null) return { kind: 'unknown', ...base, reason: 'message_edit without a valid mid' };
    return {
      kind: 'message_edit',
      ...base,
      mid,
      text: readString(edit, 'text'),
      editCount: readInteger(edit, 'num_edit'),
    };
  }

  const reaction = readObject(item, 'reaction');
  if (reaction !== null) {
    const mid = readMid(reaction, 'mid');
    const action = readString(reaction, 'action');
    if (mid === null) return { kind: 'unknown', ...base, reason: 'reaction without a valid mid' };
    if (action === 'unreact') return { kind: 'unreaction', ...base, mid };
    if (action !== 'react') return { kind: 'unknown', ...base, reason: 'reaction with an unknown action' };
    const emoji = readString(reaction, 'emoji');
    return { kind: 'reaction', ...base, mid, reaction: readString(reaction, 'reaction'), emoji };
  }

  const postback = readObject(item, 'postback');
  if (postback !== null) {
    const referral = readObject(postback, 'referral');
    return {
      kind: 'postback',
      ...base,
      mid: readMid(postback, 'mid'),
      title: readString(postback, 'title'),
      payload: readString(postback, 'payload'),
      referral: referral === null ? null : parseReferral(referral),
    };
  }

  const read = readObject(item, 'read');
  if (read !== null) return { kind: 'seen', ...base, mid: readMid(read, 'mid') };

  const referral = readObject(item, 'referral');
  if (referral !== null) return { kind: 'referral', ...base, referral: parseReferral(referral) };

  return { kind: 'unknown', ...base, reason: `unrecognised messaging event (keys: ${describeKeys(item)})` };
}

function describeKeys(item: JsonObject): string {
  const keys = Object.keys(item);
  const named = keys.slice(0, MAX_KEYS_IN_REASON).map((key) => JSON.stringify(key.slice(0, 40)));
  return keys.length > MAX_KEYS_IN_REASON ? `${named.join(', ')}, ...` : named.join(', ');
}
