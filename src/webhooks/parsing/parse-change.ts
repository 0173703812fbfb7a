import type { ChangedComment, ChangedMention, ChangeEvent, JsonObject, UnknownEvent } from '@messaging';
import { epochToDate } from './epoch-time';
import { isJsonObject, ownField, readNestedId, readObject, readString, toId } from './json-values';
import { unknownEvent } from './unknown-event';

export interface ChangeContext {
  entryId: string;
  /** A change usually has no time of its own; the entry's (in seconds) stands in. */
  entryTime: Date | null;
}

const COMMENT_FIELDS: ReadonlySet<string> = new Set(['comments', 'live_comments']);

/** One item of `entry[].changes`: `{ field, value }`, for fields such as `comments`. */
export function parseChange(item: unknown, context: ChangeContext): ChangeEvent | UnknownEvent {
  const known = { recipientId: context.entryId, timestamp: context.entryTime };
  if (!isJsonObject(item)) return unknownEvent(item, 'the change is not an object', known);
  const field = readString(item, 'field');
  if (field === null) return unknownEvent(item, 'the change has no field', known);
  const value = ownField(item, 'value');
  const details = isJsonObject(value) ? value : null;
  const timestamp = (details && epochToDate(ownField(details, 'timestamp'))) ?? context.entryTime;
  if (timestamp === null) return unknownEvent(item, 'the change has no valid time', known);
  return {
    kind: 'change',
    senderId: details === null ? null : readNestedId(details, 'from'),
    recipientId: context.entryId,
    timestamp,
    standby: false,
    raw: item,
    field,
    value,
    comment: details !== null && COMMENT_FIELDS.has(field) ? parseComment(details) : null,
    mention: details !== null && field === 'mentions' ? parseMention(details) : null,
  };
}

function parseComment(value: JsonObject): ChangedComment | null {
  const id = toId(ownField(value, 'id'));
  if (id === null) return null;
  const from = readObject(value, 'from');
  const media = readObject(value, 'media');
  return {
    id,
    text: readString(value, 'text'),
    mediaId: readNestedId(value, 'media'),
    mediaProductType: media === null ? null : readString(media, 'media_product_type'),
    parentId: toId(ownField(value, 'parent_id')),
    adId: toId(ownField(value, 'ad_id')),
    fromUsername: from === null ? null : readString(from, 'username'),
  };
}

function parseMention(value: JsonObject): ChangedMention | null {
  const mediaId = toId(ownField(value, 'media_id'));
  if (mediaId === null) return null;
  return { mediaId, commentId: toId(ownField(value, 'comment_id')) };
}
