import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { BackgroundLoop, Clock, LeaseOwner, ProcessRole } from '@common';
import type { ClaimedDelivery } from '../event-delivery';
import { EventDeliveryRepository } from '../event-delivery.repository';
import { EndpointSubscriptions } from '../endpoint-subscriptions';
import { DeliveryAttempts } from './delivery-attempts';
import { EventDeliverySettings } from './event-delivery-settings';

/** One endpoint's deliveries in this worker: those under way, and those claimed and waiting for a slot. */
interface Lane {
  running: number;
  waiting: ClaimedDelivery[];
}

/** How fast each endpoint answers, as a moving average of its attempts' durations. */
const PACE_WEIGHT = 0.2;

const heldBy = (lane: Lane) => lane.running + lane.waiting.length;

/**
 * The server's event sender, apart from the message outbox: it claims due
 * deliveries under its own leases, a few per endpoint ahead, and attempts
 * them, at most `maxInFlight` at once and `maxInFlightPerEndpoint` to one
 * endpoint, so that a slow or dead endpoint holds only its own slots, never
 * the intake, the outbox or the other endpoints. It polls every
 * `pollIntervalMs` (backing off while idle), is woken at once by an event
 * queued in this process, and claims again once an endpoint's claimed
 * deliveries have all started, so that a busy endpoint costs a claim per
 * many deliveries rather than one each.
 */
@Injectable()
export class EventDeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EventDeliveryWorker.name);
  private readonly loop: BackgroundLoop;
  private readonly lanes = new Map<string, Lane>();
  /** Milliseconds an attempt of each endpoint takes, lately; an endpoint not tried yet is taken to time out. */
  private readonly paceMs = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private claimFailing = false;
  private stopping = false;

  constructor(
    private readonly role: ProcessRole,
    private readonly settings: EventDeliverySettings,
    private readonly deliveries: EventDeliveryRepository,
    private readonly attempts: DeliveryAttempts,
    private readonly subscriptions: EndpointSubscriptions,
    private readonly leaseOwner: LeaseOwner,
    private readonly clock: Clock,
  ) {
    const { pollIntervalMs, idlePollMaxMs } = settings.timings;
    this.loop = new BackgroundLoop(this.logger, () => this.claimAndStart(), pollIntervalMs, idlePollMaxMs);
  }

  onApplicationBootstrap(): void {
    if (!this.role.runsBackgroundWork) return;
    this.loop.start(0);
  }

  /** Claims nothing more and lets the attempts under way end (each within the timeout); waiting ones go back when their leases expire. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.loop.stop();
    for (const lane of this.lanes.values()) lane.waiting = [];
    await Promise.allSettled([...this.inFlight]);
    await this.attempts.close();
  }

  /** There is work: claim it now rather than at the next poll. */
  wake(): void {
    this.loop.wake();
  }

  private get held(): number {
    let held = 0;
    for (const lane of this.lanes.values()) held += heldBy(lane);
    return held;
  }

  /** How many it claimed (0 lets the loop back off while nothing is under way). */
  private async claimAndStart(): Promise<number> {
    const { maxClaimed, maxClaimedPerEndpoint, leaseMs } = this.settings.timings;
    let claimed: ClaimedDelivery[];
    try {
      await this.dropWhatIsNoLongerEnabled();
      const room = maxClaimed - this.held;
      if (this.stopping || room <= 0) return this.held;
      const now = this.clock.now();
      const roomOf = (endpointId: string) => {
        const lane = this.lanes.get(endpointId);
        return this.claimAhead(endpointId) - (lane ? heldBy(lane) : 0);
      };
      const full = [...this.lanes.keys()].filter((endpointId) => roomOf(endpointId) <= 0);
      claimed = await this.deliveries.claimDue(
        { owner: this.leaseOwner.id, until: new Date(now.getTime() + leaseMs), now },
        { total: room, maxPerEndpoint: maxClaimedPerEndpoint, roomOf, full },
      );
    } catch (error) {
      // The database may be away for a while: said once, not at every poll.
      if (!this.claimFailing) this.logger.error({ err: error }, 'cannot read the event deliveries; will keep trying');
      this.claimFailing = true;
      return 0;
    }
    if (this.claimFailing) this.logger.log('the event deliveries are readable again');
    this.claimFailing = false;
    for (const delivery of claimed) this.laneOf(delivery.endpointId).waiting.push(delivery);
    this.startWhatFits();
    return claimed.length + this.held;
  }

  /**
   * How many deliveries of an endpoint to hold: as many as its slots get
   * through within half the lease at the pace it answers, so that none waits
   * past its lease (a slow endpoint gets a few, a fast one up to
   * `maxClaimedPerEndpoint`, which then costs one claim per many deliveries).
   */
  private claimAhead(endpointId: string): number {
    const { leaseMs, timeoutMs, maxInFlightPerEndpoint, maxClaimedPerEndpoint } = this.settings.timings;
    const pace = Math.max(1, this.paceMs.get(endpointId) ?? timeoutMs);
    const ahead = Math.floor((maxInFlightPerEndpoint * leaseMs) / 2 / pace);
    return Math.min(maxClaimedPerEndpoint, Math.max(maxInFlightPerEndpoint, ahead));
  }

  /**
   * Claimed deliveries of an endpoint disabled or deleted since (here at
   * once, elsewhere within the subscriptions' age) are not attempted: their
   * leases run out, and they go once it is enabled again.
   */
  private async dropWhatIsNoLongerEnabled(): Promise<void> {
    if (this.lanes.size === 0) return;
    const enabled = await this.subscriptions.current();
    for (const [endpointId, lane] of this.lanes) if (!enabled.has(endpointId)) lane.waiting = [];
  }

  private laneOf(endpointId: string): Lane {
    let lane = this.lanes.get(endpointId);
    if (!lane) this.lanes.set(endpointId, (lane = { running: 0, waiting: [] }));
    return lane;
  }

  private startWhatFits(): void {
    const { maxInFlight, maxInFlightPerEndpoint } = this.settings.timings;
    for (const [endpointId, lane] of this.lanes) {
      while (lane.waiting.length > 0 && lane.running < maxInFlightPerEndpoint && this.inFlight.size < maxInFlight) {
        this.start(endpointId, lane, lane.waiting.shift()!);
      }
    }
  }

  private start(endpointId: string, lane: Lane, delivery: ClaimedDelivery): void {
    lane.running += 1;
    const startedAt = this.clock.now().getTime();
    const attempt: Promise<void> = this.attempts
      .attempt(delivery)
      .then((result) => {
        if (result.endpointDisabled) lane.waiting = [];
        const took = this.clock.now().getTime() - startedAt;
        const pace = this.paceMs.get(endpointId);
        this.paceMs.set(endpointId, pace === undefined ? took : pace + PACE_WEIGHT * (took - pace));
      })
      .catch((error: unknown) => {
        // Its lease runs out and a worker claims it again.
        this.logger.error({ err: error, endpointId, deliveryId: delivery.id }, 'event delivery attempt failed');
      })
      .finally(() => this.finished(endpointId, lane, attempt));
    this.inFlight.add(attempt);
  }

  private finished(endpointId: string, lane: Lane, attempt: Promise<void>): void {
    this.inFlight.delete(attempt);
    lane.running -= 1;
    if (heldBy(lane) === 0) this.lanes.delete(endpointId);
    if (this.stopping) return;
    this.startWhatFits();
    // Every delivery it had claimed for this endpoint has started: more may be due.
    if (lane.waiting.length === 0) this.loop.wake();
  }
}
