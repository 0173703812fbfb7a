import { type ReplyRecipient, renderReply } from '@rules';
import { MESSAGE_TEXT_MAX_BYTES, splitMessageText } from '../text/split-message-text';

/**
 * What `{{username}}` and `{{name}}` may grow to, in bytes of UTF-8: an
 * Instagram username has at most 30 (ASCII) characters, and a longer name is
 * cut. An automatic reply is split into parts when it is queued, and filled
 * in only when it is sent, so each part leaves this much room per
 * placeholder and stays within Meta's limit once filled in.
 */
const PLACEHOLDER_BYTES = { username: 30, name: 100 } as const;

const PLACEHOLDER = /\{\{\s*(username|name)\s*\}\}/g;

/** Below this a part would be mostly room for names: a reply with that many placeholders is split no finer. */
const SMALLEST_PART_BYTES = 200;

/** The parts an automatic reply is queued as, with its placeholders still in them. */
export function autoReplyParts(text: string): string[] {
  const reserve = Array.from(text.matchAll(PLACEHOLDER), (m) => PLACEHOLDER_BYTES[m[1] as 'username' | 'name']).reduce(
    (sum, bytes) => sum + bytes,
    0,
  );
  return splitMessageText(text, Math.max(SMALLEST_PART_BYTES, MESSAGE_TEXT_MAX_BYTES - reserve));
}

export function hasReplyPlaceholders(text: string): boolean {
  return /\{\{\s*[\w.-]+\s*\}\}/.test(text);
}

/** A queued part with the customer's username and name filled in, each cut to the room its part left for it. */
export function fillAutoReply(text: string, recipient: ReplyRecipient): string {
  return renderReply(text, {
    username: clipBytes(recipient.username, PLACEHOLDER_BYTES.username),
    name: clipBytes(recipient.name, PLACEHOLDER_BYTES.name),
  });
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The longest prefix of whole characters (grapheme clusters) within `maxBytes` of UTF-8. */
function clipBytes(value: string | null | undefined, maxBytes: number): string | null {
  if (value === null || value === undefined || Buffer.byteLength(value) <= maxBytes) return value ?? null;
  let kept = '';
  for (const { segment } of graphemes.segment(value)) {
    if (Buffer.byteLength(kept + segment) > maxBytes) break;
    kept += segment;
  }
  return kept;
}
