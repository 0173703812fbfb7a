import type { Message } from '../message';

export interface SentMessage {
  /** Meta's `message_id`, which its echo of the message will carry as `mid`. */
  mid: string | null;
}

/**
 * Sends one outbox message through Meta's Send API with its account's own
 * access token. Only the outbox dispatcher calls it: everything else queues.
 */
export abstract class MessageSender {
  /**
   * `accountUpdatedAt` is when the account last changed as the claim read it:
   * credentials read before that are not used.
   * @throws GraphApiError saying whether to retry, back off, hold the account or give up.
   */
  abstract send(message: Message, accountUpdatedAt?: Date): Promise<SentMessage>;
}
