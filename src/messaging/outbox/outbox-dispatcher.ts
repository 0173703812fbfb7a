import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Clock, ProcessRole, nextPause } from '@common';
import { MessagingSettings } from '../messaging-settings';
import { type DeliveryOutcome, OutboxDelivery } from './outbox-delivery';
import { OutboxSignal } from './outbox-signal';
import { type Claim, OutboxRepository } from './outbox.repository';

/**
 * The server's background sender: claims due messages under a lease and
 * hands each to `OutboxDelivery`, up to `maxInFlight` at once. Claims only
 * ever return the first queued message of a conversation, so parts and
 * messages of one conversation leave one after another, in order, while
 * different conversations go in parallel.
 *
 * It sleeps on `OutboxSignal` (woken at once by a message queued in this
 * process, or by a finished send that lets a conversation's next message
 * go), at most `pollIntervalMs`, or less when a retry it scheduled falls
 * due sooner. While polls keep finding nothing, the sleep doubles up to
 * `idlePollMaxMs`, so an idle service costs next to nothing; work queued in
 * this process still wakes it at once, and other replicas' work or a
 * released queue is noticed within `idlePollMaxMs`.
 */
@Injectable()
export class OutboxDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxDispatcher.name);
  private readonly inFlight = new Set<Promise<void>>();
  private loop: Promise<void> | null = null;
  private stopping = false;
  /** The earliest retry this dispatcher scheduled that is still ahead (others are found by polling). */
  private nextRetryAt: number | null = null;
  private claimFailing = false;
  /** The longest sleep until the next poll: doubled by each poll that finds nothing to do, up to `idlePollMaxMs`. */
  private pollPauseMs: number;

  constructor(
    private readonly role: ProcessRole,
    private readonly settings: MessagingSettings,
    private readonly outbox: OutboxRepository,
    private readonly delivery: OutboxDelivery,
    private readonly signal: OutboxSignal,
    private readonly clock: Clock,
  ) {
    this.pollPauseMs = settings.outbox.pollIntervalMs;
  }

  onApplicationBootstrap(): void {
    if (!this.role.runsBackgroundWork) return;
    this.loop = this.run();
  }

  /** Stops claiming, then lets the sends under way finish (each is bounded by the Graph API timeout). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.signal.notify();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  private async run(): Promise<void> {
    const { maxInFlight } = this.settings.outbox;
    // Each claim is a query over the outbox: when most slots are busy, it waits for a batch's worth to free up.
    const batch = Math.ceil(maxInFlight / 4);
    while (!this.stopping) {
      const room = maxInFlight - this.inFlight.size;
      if (room >= batch) {
        const claimed = await this.claimAndStart(room);
        // A full batch means more may be due: claim again straight away while there is room.
        if (claimed === room) continue;
        const { pollIntervalMs, idlePollMaxMs } = this.settings.outbox;
        const busy = claimed + this.inFlight.size;
        this.pollPauseMs = nextPause(this.pollPauseMs, busy, pollIntervalMs, idlePollMaxMs);
      }
      await this.signal.wait(this.sleepMs());
    }
  }

  /** How many messages it claimed (and started sending). */
  private async claimAndStart(room: number): Promise<number> {
    let claimed: Claim[];
    try {
      const now = this.clock.now();
      claimed = await this.outbox.claimDue(
        this.delivery.owner,
        room,
        now,
        new Date(now.getTime() + this.settings.outbox.leaseMs),
      );
    } catch (error) {
      // The database may be away for a while: say so once, not at every poll.
      if (!this.claimFailing) this.logger.error({ err: error }, 'cannot read the outbox; will keep trying');
      this.claimFailing = true;
      return 0;
    }
    if (this.claimFailing) this.logger.log('the outbox is readable again');
    this.claimFailing = false;
    for (const claim of claimed) this.start(claim);
    return claimed.length;
  }

  private start(claim: Claim): void {
    const { message } = claim;
    const sending: Promise<void> = this.delivery
      .deliver(claim)
      .then((outcome) => this.noteRetry(outcome))
      .catch((error: unknown) => {
        // Its lease runs out and a dispatcher claims it again.
        this.logger.error({ err: error, accountId: message.accountId, messageId: message.id }, 'delivery failed');
      })
      .finally(() => {
        this.inFlight.delete(sending);
        this.signal.notify();
      });
    this.inFlight.add(sending);
  }

  private noteRetry(outcome: DeliveryOutcome): void {
    if (outcome.result !== 'retry') return;
    const at = outcome.at.getTime();
    if (this.nextRetryAt === null || at < this.nextRetryAt) this.nextRetryAt = at;
  }

  private sleepMs(): number {
    const poll = this.pollPauseMs;
    if (this.nextRetryAt === null) return poll;
    const untilRetry = this.nextRetryAt - this.clock.now().getTime();
    if (untilRetry <= 0) this.nextRetryAt = null;
    return Math.max(0, Math.min(poll, untilRetry));
  }
}
