import { createHash } from 'node:crypto';
import type { InstagramEvent } from './instagram-event';
import { canonicalJson } from './canonical-json';

/**
 * A deterministic id for an event, at most 96 characters: `<kind>:<sha256 hex>`.
 * Meta delivers at least once, so a redelivered event must map to the same key;
 * it is built only from what Meta sent, never from the time of arrival.
 * Messages and postbacks are told apart by their own mid, but every kind has a
 * key so that a caller need not branch; the key is what deduplicates reactions,
 * read receipts, edits, deletions, referrals, changes and unknown events.
 */
export function eventKey(event: InstagramEvent): string {
  const identity = JSON.stringify(identityOf(event));
  return `${event.kind}:${createHash('sha256').update(identity).digest('hex')}`;
}

/** The fields that make one event this event and not another. */
function identityOf(event: InstagramEvent): unknown[] {
  const parties = [event.senderId, event.recipientId];
  switch (event.kind) {
    case 'message':
      return [...parties, event.mid];
    case 'message_deleted':
      // A message is unsent once; a second notice of it is the same fact.
      return [...parties, event.mid];
    case 'message_edit':
      return [...parties, event.mid, event.editCount, event.text, event.timestamp.getTime()];
    case 'reaction':
      return [...parties, event.mid, event.reaction, event.emoji, event.timestamp.getTime()];
    case 'unreaction':
      return [...parties, event.mid, event.timestamp.getTime()];
    case 'postback':
      return event.mid !== null
        ? [...parties, event.mid]
        : [...parties, event.title, event.payload, event.timestamp.getTime()];
    case 'referral': {
      const { ref, source, type, adId } = event.referral;
      return [...parties, ref, source, type, adId, event.timestamp.getTime()];
    }
    case 'seen':
      return [...parties, event.mid, event.timestamp.getTime()];
    case 'change':
      // The entry time of a change is the batch's, which may differ between redeliveries.
      return [...parties, event.field, canonicalJson(event.value)];
    case 'unknown':
      return [canonicalJson(event.raw)];
  }
}
