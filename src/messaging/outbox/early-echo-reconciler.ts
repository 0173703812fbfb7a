import { Injectable } from '@nestjs/common';
import { Transactor } from '@database';
import type { Message } from '../message';
import { MessageRepository } from '../message.repository';
import { MessagingEvents } from '../reporting/messaging-events';
import { HumanTakeover } from '../replies/human-takeover';
import { OutboxRepository } from './outbox.repository';
import { asSent } from './sent-outcomes';

export type EarlyEchoResult = 'reconciled' | 'not_an_app_echo' | 'lease_lost';

class LeaseLost extends Error {}

/** How far Meta's timestamps may run behind this service's clock. */
const CLOCK_SKEW_MS = 60_000;

/**
 * Meta's echo of a message can arrive before the Send API's answer. The
 * intake then finds no message with that mid, so it stores the echo as typed
 * by a person in the Instagram app and pauses automation for a human
 * takeover. When the answer arrives and the mid is already taken, this puts
 * it right, in one transaction: the echo row was ours, so it is deleted, our
 * message takes the mid and is delivered (at the echo's time), and the pause
 * the echo caused goes back to what the last real app message calls for
 * (none, usually). A pause someone else set is left alone. The message
 * is reported sent and delivered, in the same transaction. The same goes
 * for an echo of a call that never got its answer (`reconcileUnanswered`).
 */
@Injectable()
export class EarlyEchoReconciler {
  constructor(
    private readonly transactor: Transactor,
    private readonly outbox: OutboxRepository,
    private readonly messages: MessageRepository,
    private readonly takeover: HumanTakeover,
    private readonly events: MessagingEvents,
  ) {}

  /**
   * A message whose last call got no answer (a timeout, a dropped
   * connection) may have reached Meta all the same: its echo, stored as typed
   * in the app, then says so, and the message is reconciled with it rather
   * than sent a second time. The echo is one of the conversation's, with the
   * message's text, from a minute before it was queued on (Meta's clock may
   * run behind ours); null when there is none, and the message is to be sent.
   */
  async reconcileUnanswered(owner: string, message: Message): Promise<EarlyEchoResult | null> {
    if (message.text === null) return null;
    const since = new Date(message.timestamp.getTime() - CLOCK_SKEW_MS);
    const echo = await this.messages.findAppEcho(message.accountId, message.conversationId, message.text, since);
    if (!echo?.mid) return null;
    // That call was counted when it failed.
    return this.reconcile(owner, message, echo.mid, echo.timestamp, false);
  }

  /** `attemptMade`: the call that returned `mid` is still to be counted. */
  async reconcile(
    owner: string,
    message: Message,
    mid: string,
    sentAt: Date,
    attemptMade = true,
  ): Promise<EarlyEchoResult> {
    try {
      return await this.transactor.run(async () => {
        const echo = await this.messages.getByMid(message.accountId, mid);
        if (!echo || echo.origin !== 'app' || echo.conversationId !== message.conversationId) return 'not_an_app_echo';
        await this.messages.deleteAppEcho(message.accountId, echo.id);
        // Rolls the deletion back too: the message now belongs to another dispatcher, which will meet the same echo.
        if ((await this.outbox.markSent(owner, message, mid, sentAt, attemptMade)) !== 'recorded') {
          throw new LeaseLost();
        }
        await this.messages.markDelivered(message.accountId, mid, echo.timestamp);
        const lifted = await this.takeover.echoWasOurs(message, echo);
        const sent = asSent(message, mid, sentAt, attemptMade);
        await this.events.report([
          { event: 'message.sent', message: sent },
          { event: 'message.delivered', message: { ...sent, status: 'delivered', deliveredAt: echo.timestamp } },
          ...(lifted
            ? [{ event: 'conversation.automation_resumed' as const, conversation: lifted, by: 'service' as const }]
            : []),
        ]);
        return 'reconciled';
      });
    } catch (error) {
      if (error instanceof LeaseLost) return 'lease_lost';
      throw error;
    }
  }
}
