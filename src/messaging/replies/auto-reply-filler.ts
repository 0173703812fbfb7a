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
    if (!automatic || message.text === null || !hasReplyPlaceholders(message.text) || !message.recipientId) {
      return message;
    }
    let contact = await this.contacts.getByIgsid(message.accountId, message.recipientId);
    if (contact && contact.profileFetchedAt === null) {
      contact = await this.lookup.lookUp(contact, { timeoutMs: FIRST_REPLY_PROFILE_WAIT_MS });
    }
    return { ...message, text: fillAutoReply(message.text, { username: contact?.username, name: contact?.name }) };
  }
}
