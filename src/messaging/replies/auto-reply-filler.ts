import { Injectable } from '@nestjs/common';
import { ContactProfileLookup, ContactRepository } from '@contacts';
import type { Message } from '../message';
import { fillAutoReply, hasReplyPlaceholders } from './reply-text';

/**
 * How long the sender waits for Meta to name a new customer before their
 * first reply goes out: a greeting by name is worth a moment, not a stall.
 */
export const FIRST_REPLY_PROFILE_WAIT_MS = 3000;

/**
 * Fills `{{username}}` and `{{name}}` in an automatic reply as it is sent, not
 * when it was queued: the webhook path makes no Graph API call, so the first
 * reply to a new customer is queued before anyone knows their name. Here the
 * profile is looked up first when it is not known yet (bounded by
 * FIRST_REPLY_PROFILE_WAIT_MS); only if Meta fails do the placeholders become
 * empty.
 */
@Injectable()
export class AutoReplyFiller {
  constructor(
    private readonly contacts: ContactRepository,
    private readonly lookup: ContactProfileLookup,
  ) {}

  /** The message as it is to be sent: an automatic reply with its placeholders filled in, anything else as it is. */
  async fill(message: Message): Promise<Message> {
    const automatic = message.origin === 'rule' || message.origin === 'fallback';
    const placeholders =
      (message.text !== null && hasReplyPlaceholders(message.text)) ||
      (message.payload !== null && hasReplyPlaceholders(JSON.stringify(message.payload)));
    if (!automatic || !placeholders || !message.recipientId) return message;
    let contact = await this.contacts.getByIgsid(message.accountId, message.recipientId);
    if (contact && contact.profileFetchedAt === null) {
      contact = await this.lookup.lookUp(contact, { timeoutMs: FIRST_REPLY_PROFILE_WAIT_MS });
    }
    const recipient = { username: contact?.username, name: contact?.name };
    return {
      ...message,
      text: message.text === null ? null : fillAutoReply(message.text, recipient),
      // A rule's template: its texts (a button template's, a card's title) are filled in the same way.
      payload:
        message.payload === null
          ? null
          : (fillStrings(message.payload, (text) => fillAutoReply(text, recipient)) as Record<string, unknown>),
    };
  }
}

/** The value with `fill` applied to every string in it, however deep. */
function fillStrings(value: unknown, fill: (text: string) => string): unknown {
  if (typeof value === 'string') return fill(value);
  if (Array.isArray(value)) return value.map((item) => fillStrings(item, fill));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, fillStrings(inner, fill)]));
  }
  return value;
}
