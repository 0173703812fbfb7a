import { setTimeout as sleep } from 'node:timers/promises';
import { Clock } from '@common';
import { Injectable } from '@nestjs/common';
import type { Message } from '../message';
import { MessageRepository } from '../message.repository';
import { MessagingSettings } from '../messaging-settings';
import { OutboxDelivery } from './outbox-delivery';
import { OutboxRepository } from './outbox.repository';

const SETTLE_POLL_MS = 100;

/**
 * Sends messages just queued, now, from this process, and waits for the
 * outcome: what `send-message` does instead of leaving them to the server's
 * dispatcher. It claims them like any dispatcher, so a server running beside
 * it never sends them twice; a message the server claimed first is waited for.
 */
@Injectable()
export class ImmediateDispatch {
  constructor(
    private readonly settings: MessagingSettings,
    private readonly outbox: OutboxRepository,
    private readonly delivery: OutboxDelivery,
    private readonly messages: MessageRepository,
    private readonly clock: Clock,
  ) {}

  /** The messages' states afterwards, in order; it stops at the first one that was not sent. */
  async sendNow(queued: Message[]): Promise<Message[]> {
    const settled: Message[] = [];
    for (const message of queued) {
      const now = this.clock.now();
      const claimed = await this.outbox.claimMessage(
        this.delivery.owner,
        message.accountId,
        message.id,
        now,
        new Date(now.getTime() + this.settings.outbox.leaseMs),
      );
      if (claimed) await this.delivery.deliver(claimed);
      const state = await this.settle(message);
      settled.push(state);
      if (state.status !== 'sent' && state.status !== 'delivered') break;
    }
    return settled;
  }

  /** The message once no dispatcher is sending it (bounded by one lease). */
  private async settle(message: Message): Promise<Message> {
    const deadline = Date.now() + this.settings.outbox.leaseMs;
    for (;;) {
      const state = await this.messages.getById(message.accountId, message.id);
      if (!state) throw new Error(`message ${message.id} disappeared from the outbox`);
      if (state.status !== 'sending' || Date.now() >= deadline) return state;
      await sleep(SETTLE_POLL_MS);
    }
  }
}
