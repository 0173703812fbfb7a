import { Injectable, Logger } from '@nestjs/common';
import { Clock, LeaseOwner, RandomSource } from '@common';
import { Transactor } from '@database';
import { Metrics } from '@metrics';
import type { AttemptRecord, ClaimedDelivery } from '../event-delivery';
import { EventDeliveryRepository } from '../event-delivery.repository';
import { EventEndpointRepository } from '../event-endpoint.repository';
import { EndpointSubscriptions } from '../endpoint-subscriptions';
import { DeliveredOutcomes } from './delivered-outcomes';
import { EndpointHttpClient, type PostOutcome } from './endpoint-http-client';
import { EventDeliverySettings } from './event-delivery-settings';
import { nextAttemptAt, retryAfterMsOf } from './retry-schedule';
import { signedHeaders } from './webhook-signature';

/** What became of one attempt, for the metrics; and for the worker, whether the endpoint was disabled by it. */
export type AttemptOutcome = 'delivered' | 'retry' | 'failed';

export interface AttemptResult {
  outcome: AttemptOutcome;
  endpointDisabled: boolean;
}

const HTTP_OK = (status: number) => status >= 200 && status < 300;

/** Statuses whose `Retry-After` is honoured. */
const RETRY_AFTER_STATUSES = new Set([429, 503]);

/**
 * How long a success waits to be recorded with the others of that second:
 * one commit a second, however many an endpoint takes, rather than the
 * intake's share of the database.
 */
const DELIVERED_FLUSH_MS = 1000;

/**
 * An endpoint that keeps succeeding has its last success written at most
 * this often: that is all the 24-hour rule needs, and a busy endpoint then
 * costs no write per delivery. A success after a failure is written at once.
 */
const SUCCESS_WRITE_INTERVAL_MS = 5000;

/** What the delivery keeps of a refused answer: its status, and the start of what the receiver said. */
function refusalOf(status: number, excerpt: string): string {
  const said = excerpt.replace(/\s+/g, ' ').trim();
  const note = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
  return `HTTP ${status}${note}${said ? `: ${said}` : ''}`;
}

/**
 * Makes one attempt of a claimed delivery and records it: a 2xx is
 * delivered; anything else (no answer within the timeout, a network error,
 * a 3xx, 4xx or 5xx) is tried again on the schedule, honouring `Retry-After`
 * on 429 and 503, until the last attempt fails it. An endpoint that has
 * had no success for `disableAfterMs` is disabled, and its pending
 * deliveries fail with it (an operator can retry them once it is enabled).
 */
@Injectable()
export class DeliveryAttempts {
  private readonly logger = new Logger(DeliveryAttempts.name);
  private readonly http: EndpointHttpClient;
  private readonly deliveredOutcomes: DeliveredOutcomes;
  /** When this process last wrote each endpoint's success; forgotten at a failure, so the next success is written. */
  private readonly successWritten = new Map<string, number>();

  constructor(
    private readonly settings: EventDeliverySettings,
    private readonly deliveries: EventDeliveryRepository,
    private readonly endpoints: EventEndpointRepository,
    private readonly subscriptions: EndpointSubscriptions,
    private readonly transactor: Transactor,
    private readonly metrics: Metrics,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly leaseOwner: LeaseOwner,
  ) {
    const { timeoutMs, maxInFlightPerEndpoint } = settings.timings;
    this.http = new EndpointHttpClient(settings.allowPrivateAddresses, timeoutMs, maxInFlightPerEndpoint);
    this.deliveredOutcomes = new DeliveredOutcomes(
      (delivered) => this.deliveries.markManyDelivered(this.leaseOwner.id, delivered),
      DELIVERED_FLUSH_MS,
      this.logger,
    );
  }

  /** Once the worker has stopped: what succeeded is recorded, and the connections are closed. */
  async close(): Promise<void> {
    await this.deliveredOutcomes.flush();
    this.http.close();
  }

  async attempt(delivery: ClaimedDelivery): Promise<AttemptResult> {
    const startedAt = this.clock.now();
    const outcome = await this.post(delivery, startedAt);
    const attempt: AttemptRecord = {
      at: this.clock.now(),
      responseStatus: outcome.kind === 'answered' ? outcome.status : null,
      error:
        outcome.kind === 'failed'
          ? outcome.error
          : HTTP_OK(outcome.status)
            ? null
            : refusalOf(outcome.status, outcome.excerpt),
      durationMs: outcome.durationMs,
    };
    const result =
      outcome.kind === 'answered' && HTTP_OK(outcome.status)
        ? { outcome: await this.delivered(delivery, attempt), endpointDisabled: false }
        : await this.failedAttempt(delivery, attempt, outcome);
    this.metrics.eventDelivery(delivery.endpointId, result.outcome, outcome.durationMs / 1000);
    return result;
  }

  private post(delivery: ClaimedDelivery, at: Date): Promise<PostOutcome> {
    if (delivery.secrets === null) {
      const error = 'not sent: the endpoint’s signing secret cannot be decrypted (check APP_SECRET_KEY_PREVIOUS)';
      return Promise.resolve({ kind: 'failed', error, durationMs: 0 });
    }
    const headers = signedHeaders(delivery.eventId, at, delivery.payload, delivery.secrets);
    return this.http.post(delivery.url, { ...headers }, delivery.payload);
  }

  private async delivered(delivery: ClaimedDelivery, attempt: AttemptRecord): Promise<AttemptOutcome> {
    this.deliveredOutcomes.add({ id: delivery.id, attempt });
    const written = this.successWritten.get(delivery.endpointId);
    if (written === undefined || attempt.at.getTime() - written >= SUCCESS_WRITE_INTERVAL_MS) {
      this.successWritten.set(delivery.endpointId, attempt.at.getTime());
      await this.endpoints.recordSuccess(delivery.endpointId, attempt.at);
    }
    return 'delivered';
  }

  private async failedAttempt(
    delivery: ClaimedDelivery,
    attempt: AttemptRecord,
    outcome: PostOutcome,
  ): Promise<AttemptResult> {
    const retryAfterMs =
      outcome.kind === 'answered' && RETRY_AFTER_STATUSES.has(outcome.status)
        ? retryAfterMsOf(outcome.retryAfter, attempt.at)
        : null;
    const attempts = delivery.attempts + 1;
    const next = nextAttemptAt(attempt.at, attempts, retryAfterMs, this.settings.timings, () => this.random.fraction());
    const owner = this.leaseOwner.id;
    if (next === null) await this.deliveries.markFailed(owner, delivery.id, attempt);
    else await this.deliveries.retryLater(owner, delivery.id, next, attempt);
    this.successWritten.delete(delivery.endpointId);
    const failingSince = await this.endpoints.recordFailure(delivery.endpointId, attempt.at);
    const endpointDisabled =
      failingSince !== null &&
      attempt.at.getTime() - failingSince.getTime() >= this.settings.timings.disableAfterMs &&
      (await this.disable(delivery.endpointId, failingSince, attempt.at));
    return { outcome: next === null ? 'failed' : 'retry', endpointDisabled };
  }

  /** True when it disabled the endpoint now. */
  private async disable(endpointId: string, failingSince: Date, now: Date): Promise<boolean> {
    const reason = `no successful delivery since ${failingSince.toISOString()}`;
    const failed = await this.transactor.run(async () => {
      if (!(await this.endpoints.disable(endpointId, reason, now))) return null;
      return this.deliveries.failPending(endpointId, `endpoint disabled: ${reason}`, now);
    });
    if (failed === null) return false;
    this.subscriptions.changed();
    this.logger.warn(
      { endpointId, failedDeliveries: failed },
      `event endpoint disabled: ${reason}; enable it with PUT {"enabled": true}, then retry its failed deliveries`,
    );
    return true;
  }
}
