import type { MessageAttachment } from '@messaging';
import { isJsonObject, readObject, readString } from './json-values';

/**
 * Normalises `message.attachments`. Between November 2025 and the removal of
 * the legacy format, Meta described one shared post twice: as a legacy `share`
 * and as an `ig_post`. The `ig_post` carries more (media id, caption), so when
 * both are present the `share` is the duplicate and is dropped.
 */
export function parseAttachments(value: unknown): MessageAttachment[] {
  if (!Array.isArray(value)) return [];
  const attachments = value.map(toAttachment);
  const describesSharedPostTwice = attachments.some((attachment) => attachment.type === 'ig_post');
  return describesSharedPostTwice ? attachments.filter((attachment) => attachment.type !== 'share') : attachments;
}

function toAttachment(item: unknown): MessageAttachment {
  if (!isJsonObject(item)) return { type: 'unknown', payload: null };
  return { type: readString(item, 'type') ?? 'unknown', payload: readObject(item, 'payload') };
}
