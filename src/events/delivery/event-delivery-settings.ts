const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export interface DeliveryTimings {
  /** The wait after each failed attempt (about, with jitter); one attempt more than waits, then `failed`. */
  retryDelaysMs: readonly number[];
  /** ± this share of each wait, so deliveries that failed together do not all come back together. */
  jitter: number;
  /** The longest `Retry-After` honoured; a longer one waits this long. */
  maxRetryAfterMs: number;
  /** An attempt with no answer within this has failed. */
  timeoutMs: number;
  /**
   * A worker's hold on the deliveries it claimed. It claims ahead of an
   * endpoint only as many as its attempts (at the pace it answers) end
   * within half of this.
   */
  leaseMs: number;
  /** Attempts under way at once in this process, and to any one endpoint. */
  maxInFlight: number;
  maxInFlightPerEndpoint: number;
  /** Deliveries one worker holds (under way or waiting for a slot), in all and at most of one endpoint. */
  maxClaimed: number;
  maxClaimedPerEndpoint: number;
  pollIntervalMs: number;
  /** While polls find nothing the pause doubles, up to this. */
  idlePollMaxMs: number;
  /** An endpoint with no success for this long is disabled. */
  disableAfterMs: number;
  /** After a rotation, the previous secret signs beside the new one for this long. */
  previousSecretMs: number;
  /** How long an endpoint change made on another replica may take to apply here. */
  subscriptionsMaxAgeMs: number;
}

/** How event deliveries are made and retried (SPEC section 10); one provider, so tests can make it fast. */
export class EventDeliverySettings {
  constructor(
    readonly timings: DeliveryTimings,
    /** EVENT_ENDPOINTS_ALLOW_PRIVATE. */
    readonly allowPrivateAddresses: boolean,
  ) {}

  static fromEnvironment(env: { EVENT_ENDPOINTS_ALLOW_PRIVATE: boolean }): EventDeliverySettings {
    return new EventDeliverySettings(
      {
        retryDelaysMs: [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR],
        jitter: 0.1,
        maxRetryAfterMs: 24 * HOUR,
        timeoutMs: 15 * SECOND,
        leaseMs: 3 * MINUTE,
        maxInFlight: 32,
        maxInFlightPerEndpoint: 4,
        maxClaimed: 512,
        maxClaimedPerEndpoint: 256,
        pollIntervalMs: SECOND,
        idlePollMaxMs: 8 * SECOND,
        disableAfterMs: 24 * HOUR,
        previousSecretMs: 24 * HOUR,
        subscriptionsMaxAgeMs: 5 * SECOND,
      },
      env.EVENT_ENDPOINTS_ALLOW_PRIVATE,
    );
  }
}
