import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { PUBLIC_FIGURES_MAX_AGE_MS, RecentValue } from '@common';
import { EventDeliveryRepository, EventEndpointRepository } from '@events';

/** What /health tells about event webhooks: counts only, since it answers anyone. */
export interface EventFigures {
  pending: number;
  /** Given up, kept for an operator to retry (`POST /event-endpoints/:id/deliveries/retry-failed`). */
  failed: number;
  oldestPendingAt: Date | null;
  /** Endpoints that get no events; `GET /event-endpoints` names them, with why. */
  endpointsDisabled: number;
}

/**
 * The event deliveries' backlog and the disabled endpoints. Reported, never
 * failed on: an endpoint that does not answer is no reason to take a
 * replica out of service. Counting scans the backlog, so a figure a few
 * seconds old is served to anyone who asks in between.
 */
@Injectable()
export class EventsHealthIndicator {
  private readonly figures: RecentValue<EventFigures>;

  constructor(
    private readonly indicator: HealthIndicatorService,
    deliveries: EventDeliveryRepository,
    endpoints: EventEndpointRepository,
  ) {
    this.figures = new RecentValue(PUBLIC_FIGURES_MAX_AGE_MS, async () => {
      const [backlog, endpointsDisabled] = await Promise.all([deliveries.backlog(), endpoints.countDisabled()]);
      return { ...backlog, endpointsDisabled };
    });
  }

  async report(key = 'events') {
    const check = this.indicator.check(key);
    try {
      return check.up({ ...(await this.figures.get()) });
    } catch {
      return check.down({ message: 'the event deliveries cannot be read' });
    }
  }
}
